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
 * it has already passed that time — at most one quantum late, and never earlier than sent.
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
            long when = Math.max(f.when, receiverNow);
            if (!arriving.isEmpty() && when < arriving.peekLast().when) {
                when = arriving.peekLast().when; // keep the line's order
            }
            arriving.add(new InFlight(when, f.data, f.format));
        }
        if (!arrival.isScheduled()) {
            receiverQueue.schedule(arrival, arriving.peek().when);
        }
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
