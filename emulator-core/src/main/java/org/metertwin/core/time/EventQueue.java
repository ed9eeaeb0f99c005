package org.metertwin.core.time;

import java.util.Arrays;

/**
 * A machine's events in virtual time, ordered by (time, insertion order): the order never depends on the
 * host. Devices never read the wall clock; they schedule events here and the processor runs until the
 * next one is due (see {@code CortexM4.run}).
 *
 * <p>The queue is a binary heap of reusable {@link Event}s. While an event fires, {@link #now()} is the
 * event's own time, so that periodic devices schedule their next event without drift.
 */
public final class EventQueue {
    private Event[] heap = new Event[16];
    private int size;
    private long order;
    private TimeSource time = () -> 0L;
    /** Told when an event becomes the earliest one, so a running processor can stop sooner. */
    private Runnable earlierDeadline = () -> { };
    /** The time of the event being fired, or -1. */
    private long firing = -1;

    /** The machine's clock (its processor) and how to tell it that the next deadline moved earlier. */
    public void attach(TimeSource time, Runnable earlierDeadline) {
        this.time = time;
        this.earlierDeadline = earlierDeadline;
    }

    public Event event(String name, Event.Action action) {
        return new Event(name, action);
    }

    /** The present: the firing event's time while one fires, else the machine's clock. */
    public long now() {
        return firing >= 0 ? firing : time.nanos();
    }

    /** Schedules {@code e} at an absolute virtual time, moving it if it was already scheduled. */
    public void schedule(Event e, long atNanos) {
        if (e.index >= 0) {
            remove(e.index);
        }
        e.when = atNanos;
        e.order = order++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.index = size;
        size++;
        up(e.index);
        if (heap[0] == e) {
            earlierDeadline.run();
        }
    }

    /** Schedules {@code e} a delay after {@link #now()}. */
    public void scheduleIn(Event e, long delayNanos) {
        schedule(e, now() + delayNanos);
    }

    public void cancel(Event e) {
        if (e.index >= 0) {
            remove(e.index);
        }
    }

    /** The time of the earliest event, or {@link Long#MAX_VALUE} when none is scheduled. */
    public long nextTime() {
        return size == 0 ? Long.MAX_VALUE : heap[0].when;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Fires, in order, every event due at or before {@code nanos}, including those they schedule. */
    public void runDue(long nanos) {
        while (size > 0 && heap[0].when <= nanos) {
            Event e = heap[0];
            remove(0);
            long saved = firing;
            firing = e.when;
            try {
                e.action.fire(e.when);
            } finally {
                firing = saved;
            }
        }
    }

    private void remove(int i) {
        Event e = heap[i];
        e.index = -1;
        size--;
        if (i != size) {
            heap[i] = heap[size];
            heap[i].index = i;
            heap[size] = null;
            if (!down(i)) {
                up(i);
            }
        } else {
            heap[size] = null;
        }
    }

    private static boolean before(Event a, Event b) {
        return a.when < b.when || (a.when == b.when && a.order < b.order);
    }

    private void up(int i) {
        Event e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(e, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private boolean down(int i) {
        int start = i;
        Event e = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
        return i != start;
    }
}
