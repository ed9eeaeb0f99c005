package org.metertwin.peripherals.meter.mains;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;

/**
 * The mains at the meter's terminals as the scenario drives it: a sequence of stationary {@link MainsState}s,
 * each in force from the virtual time it was set. Devices that sense the mains (the metering IC, the power
 * supply) listen; a listener hears of a change <em>before</em> it takes effect, so it can first bring itself
 * up to the change's time under the old state. Waveforms stay continuous across a change of frequency: the
 * fundamental's angle θ carries over.
 */
public final class Mains {
    /** Hears that the state is about to change at {@code atNanos}; {@link #state()} is still the old one. */
    @FunctionalInterface
    public interface Listener {
        void changing(Mains mains, long atNanos);
    }

    private final String name;
    private final List<Listener> listeners = new ArrayList<>(2);
    private MainsState state;
    private long since;
    /** θ at {@link #since}, in [0, 2π). */
    private double angleAtSince;

    public Mains(String name, MainsState initial) {
        this.name = name;
        this.state = initial;
    }

    public String name() {
        return name;
    }

    public MainsState state() {
        return state;
    }

    /** The virtual time from which the present state holds. */
    public long since() {
        return since;
    }

    /** The fundamental's angle θ at a time not before {@link #since()}, reduced to [0, 2π). */
    public double angleAt(long nanos) {
        double turns = state.frequencyHz() * ((nanos - since) * 1e-9) + angleAtSince / (2 * Math.PI);
        return (turns - Math.floor(turns)) * 2 * Math.PI;
    }

    /** Changes the state at {@code atNanos} (not before the present state's start). */
    public void set(MainsState next, long atNanos) {
        if (atNanos < since) {
            throw new IllegalArgumentException(name + ": change at " + atNanos + " ns is before the present state ("
                    + since + " ns)");
        }
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).changing(this, atNanos);
        }
        angleAtSince = angleAt(atNanos);
        since = atNanos;
        state = next;
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    /**
     * {@code mains}: properties {@code voltage} (V RMS, default 230), {@code frequency} (Hz, default 50),
     * {@code current} (A RMS, default 0) and {@code power-factor} (default 1, lagging). A scenario changes the
     * state as it runs.
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "mains";
        }

        public String description() {
            return "the mains supply at the meter terminals: voltage, frequency, phase and neutral current";
        }

        public Object create(DeviceContext c) throws MachineException {
            double v = c.decimal("voltage", 230);
            double f = c.decimal("frequency", 50);
            double i = c.decimal("current", 0);
            double pf = c.decimal("power-factor", 1);
            if (!(f > 0)) {
                throw c.error("properties.frequency", "must be > 0 Hz, got " + f);
            }
            if (v < 0 || i < 0) {
                throw c.error("properties", "voltage and current must be >= 0");
            }
            if (!(pf >= -1 && pf <= 1)) {
                throw c.error("properties.power-factor", "must be within -1..1, got " + pf);
            }
            return new Mains(c.name(), MainsState.sinusoidal(f, v, i, Math.acos(pf)));
        }
    }
}
