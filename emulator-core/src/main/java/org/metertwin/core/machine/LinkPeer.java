package org.metertwin.core.machine;

import java.util.ArrayDeque;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.serial.SerialSink;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * A participant written in Java at one end of a {@link SerialLink}, in place of a board's UART: a stand-in
 * for a core, a protocol client. It has a timeline of its own that the {@link Simulation} advances with the
 * boards ({@link Simulation#link(Board, String, LinkPeer)}): what it {@linkplain #transmit transmits} leaves
 * one character per character time at its line format, each stamped with the end of its stop bit, exactly as
 * a UART's transmitter; what the link delivers reaches {@link #onReceive its receiver} at the arrival time.
 *
 * <p>Unlike a board, a peer's transmissions are known before they happen (they are queued), so the simulation
 * advances peers before boards in every step: the board at the other end gets each character at its stamped
 * time, not at a quantum's end.
 */
public final class LinkPeer {
    private final String name;
    private final SerialFormat format;
    private final EventQueue events = new EventQueue();
    private final ArrayDeque<Integer> outgoing = new ArrayDeque<>();
    private final Event stopBitEnd;
    private SerialSink line = SerialSink.NONE;
    private SerialSink receiver = SerialSink.NONE;
    private long clock;
    private boolean joined;

    public LinkPeer(String name, SerialFormat format) {
        this.name = name;
        this.format = format;
        events.attach(() -> clock, () -> { });
        this.stopBitEnd = events.event(name + " stop bit", this::sent);
    }

    public String name() {
        return name;
    }

    /** The peer's present: where the simulation has advanced it to (while an arrival fires, its time). */
    public long now() {
        return events.now();
    }

    /** Where characters the link delivers go, each when its stop bit ends; replaces any previous one. */
    public void onReceive(SerialSink sink) {
        this.receiver = sink;
    }

    /** Queues a character: it starts when the line is free, and reaches the link one character time later. */
    public void transmit(int data) {
        outgoing.add(data & 0xFF);
        if (!stopBitEnd.isScheduled()) {
            events.schedule(stopBitEnd, now() + format.frameNanos());
        }
    }

    /** Whether characters are still queued or on the line. */
    public boolean transmitting() {
        return !outgoing.isEmpty();
    }

    private void sent(long when) {
        line.receive(outgoing.poll(), format);
        if (!outgoing.isEmpty()) {
            events.schedule(stopBitEnd, when + format.frameNanos());
        }
    }

    /** The peer as the link sees it: a UART-like port on the peer's timeline. */
    SerialPort port() {
        return new SerialPort() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void connectTransmitter(SerialSink sink) {
                line = sink;
            }

            @Override
            public SerialSink receiver() {
                return (data, f) -> receiver.receive(data, f);
            }

            @Override
            public SerialFormat format() {
                return format;
            }

            @Override
            public boolean canReceive() {
                return true;
            }
        };
    }

    EventQueue events() {
        return events;
    }

    /** Joins a simulation at its present time (once). */
    void join(long nanos) {
        if (joined) {
            throw new IllegalStateException(name + " is already on a link");
        }
        joined = true;
        clock = nanos;
    }

    /** Fires what is due up to {@code nanos} (characters leaving, characters arriving) and moves there. */
    void advanceTo(long nanos) {
        events.runDue(nanos);
        clock = Math.max(clock, nanos);
    }

    long nextEventNanos() {
        return events.nextTime();
    }
}
