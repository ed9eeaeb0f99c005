package org.metertwin.core.time;

/**
 * Something a device wants done at a point of virtual time. A device creates its events once, with
 * {@link EventQueue#event}, and schedules, reschedules and cancels them as often as it likes: scheduling
 * allocates nothing.
 */
public final class Event {
    /** What happens when the event fires; {@code when} is its scheduled time in virtual nanoseconds. */
    @FunctionalInterface
    public interface Action {
        void fire(long when);
    }

    final String name;
    final Action action;
    long when;
    /** Insertion order: the tie-break between events due at the same nanosecond. */
    long order;
    /** Position in the queue's heap, -1 when not scheduled. */
    int index = -1;

    Event(String name, Action action) {
        this.name = name;
        this.action = action;
    }

    public String name() {
        return name;
    }

    public boolean isScheduled() {
        return index >= 0;
    }

    /** The time it is scheduled for; meaningless when not scheduled. */
    public long when() {
        return when;
    }

    @Override
    public String toString() {
        return name + (isScheduled() ? " @" + when + "ns" : " (idle)");
    }
}
