package org.metertwin.peripherals.meter.pulse;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.EventQueue;

/**
 * Records the meter's test output (the LED or optocoupler pulse output of IEC 62052-11 / 62053-21, one pulse
 * per 1/constant kWh): every pulse's virtual start time and width. Memory is bounded: a total count plus a
 * ring of the last {@code history} pulses. A pulse is counted when it ends (when its width is known); one
 * still in progress is not yet counted.
 */
public final class PulseOutput {
    /** Hears each completed pulse. */
    @FunctionalInterface
    public interface Listener {
        void pulse(long startNanos, long widthNanos);
    }

    private final String name;
    private final EventQueue events;
    private final boolean activeHigh;
    private final long[] starts, widths;
    private final List<Listener> listeners = new ArrayList<>(1);
    private long count;
    private long startOfCurrent = -1;

    public PulseOutput(String name, EventQueue events, Pin pin, boolean activeHigh, int history) {
        if (history < 1) {
            throw new IllegalArgumentException(name + ": history must be >= 1");
        }
        this.name = name;
        this.events = events;
        this.activeHigh = activeHigh;
        this.starts = new long[history];
        this.widths = new long[history];
        if (pin.level() == activeHigh) {
            startOfCurrent = events.now(); // already active when we start watching
        }
        pin.listen((p, level) -> edge(level));
    }

    public String name() {
        return name;
    }

    private void edge(boolean level) {
        long now = events.now();
        if (level == activeHigh) {
            startOfCurrent = now;
        } else if (startOfCurrent >= 0) {
            long start = startOfCurrent;
            int slot = (int) (count % starts.length);
            starts[slot] = start;
            widths[slot] = now - start;
            count++;
            startOfCurrent = -1;
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).pulse(start, now - start);
            }
        }
    }

    /** Completed pulses since the start. */
    public long count() {
        return count;
    }

    /** How many pulses the ring still holds: {@code min(count, history)}. */
    public int retained() {
        return (int) Math.min(count, starts.length);
    }

    /** Start of the {@code back}-th most recent pulse (0: the last one); {@code back < retained()}. */
    public long start(int back) {
        return starts[slot(back)];
    }

    /** Width of the {@code back}-th most recent pulse (0: the last one). */
    public long width(int back) {
        return widths[slot(back)];
    }

    private int slot(int back) {
        if (back < 0 || back >= retained()) {
            throw new IndexOutOfBoundsException(name + ": pulse " + back + " back is not retained (" + retained()
                    + " are)");
        }
        return (int) ((count - 1 - back) % starts.length);
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    /**
     * {@code pulse-output}: pin {@code pin}; properties {@code active-level} ({@code high} or {@code low},
     * default high) and {@code history} (pulses kept, default 256).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "pulse-output";
        }

        public String description() {
            return "records the meter's energy pulse output: count, start times and widths";
        }

        public Object create(DeviceContext c) throws MachineException {
            String level = c.string("active-level", "high");
            if (!level.equals("high") && !level.equals("low")) {
                throw c.error("properties.active-level", "expected high or low, got '" + level + "'");
            }
            long history = c.number("history", 256);
            if (history < 1 || history > 1_000_000) {
                throw c.error("properties.history", "must be within 1..1000000, got " + history);
            }
            return new PulseOutput(c.name(), c.events(), c.pin("pin"), level.equals("high"), (int) history);
        }
    }
}
