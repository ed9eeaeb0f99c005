package org.metertwin.core.machine;

import java.util.ArrayDeque;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.serial.SerialSink;

/**
 * One direction of a serial line between UARTs of two machines. The sender's characters are stamped with
 * the sender's virtual time (the end of their stop bit) and held until the {@link Simulation} hands them
 * over at a quantum boundary; the receiver then gets each one at its stamped time, or at its own present if
 * it has already passed that time — at most about one quantum late, never earlier than sent, and never
 * closer to the character before it than one character time (the line's own rate).
 *
 * <p>Either end may be a board's UART or a {@link LinkPeer} (a participant written in Java): the link does not
 * tell them apart.
 */
final class SerialLink implements SerialSink {
    /** A character on its way. */
    private record InFlight(long when, int data, SerialFormat format) {
    }

    private final String name;
    private final EventQueue senderTime;
    private final EventQueue receiverQueue;
    private final SerialSink receiver;
    private final ArrayDeque<InFlight> outbox = new ArrayDeque<>();
    private final ArrayDeque<InFlight> arriving = new ArrayDeque<>();
    private final Event arrival;
    /** When the last character handed over arrives: the next cannot come sooner than one character later. */
    private long lastArrival = Long.MIN_VALUE / 2;
    private LinkObserver observer;

    /** Hears every character when it arrives (for traces and determinism checks). */
    @FunctionalInterface
    interface LinkObserver {
        void arrived(String link, long when, int data);
    }

    SerialLink(String name, EventQueue senderQueue, SerialPort to, EventQueue receiverQueue) {
        this.name = name;
        this.senderTime = senderQueue;
        this.receiverQueue = receiverQueue;
        this.receiver = to.receiver();
        this.arrival = receiverQueue.event(name, this::deliver);
    }

    void observe(LinkObserver o) {
        this.observer = o;
    }

    /** The sender's side: called on the sender's timeline when a stop bit ends. */
    @Override
    public void receive(int data, SerialFormat format) {
        outbox.add(new InFlight(senderTime.now(), data, format));
    }

    /** At a quantum boundary, after every machine has reached it: move sent characters to the receiver. */
    void handOver() {
        if (outbox.isEmpty()) {
            return;
        }
        long receiverNow = receiverQueue.now();
        while (!outbox.isEmpty()) {
            InFlight f = outbox.poll();
            // a character delayed to the quantum's end must not catch up with the one before it: the line carries
            // one character per character time, in order, so a receiver never sees two at once (an overrun
            // that the real line cannot cause)
            long when = Math.max(Math.max(f.when, receiverNow), lastArrival + characterNanos(f.format));
            lastArrival = when;
            arriving.add(new InFlight(when, f.data, f.format));
        }
        if (!arrival.isScheduled()) {
            receiverQueue.schedule(arrival, arriving.peek().when);
        }
    }

    private static long characterNanos(SerialFormat format) {
        return format == null ? 0 : format.frameNanos();
    }

    boolean idle() {
        return outbox.isEmpty() && arriving.isEmpty();
    }

    private void deliver(long when) {
        InFlight f = arriving.poll();
        if (observer != null) {
            observer.arrived(name, when, f.data);
        }
        receiver.receive(f.data, f.format);
        if (!arriving.isEmpty()) {
            receiverQueue.schedule(arrival, arriving.peek().when);
        }
    }
}
