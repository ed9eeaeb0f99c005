package org.metertwin.peripherals.meter;

import java.util.function.BooleanSupplier;
import org.metertwin.core.time.EventQueue;

/** An event queue on a virtual clock the test moves: meter devices tested without a processor core. */
public final class MeterClock {
    public final EventQueue events = new EventQueue();
    private long now;

    public MeterClock() {
        events.attach(() -> now, () -> { });
    }

    public long now() {
        return now;
    }

    /** Fires every event due up to {@code nanos}, each at its own time, and leaves the clock there. */
    public void runTo(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("time runs forward only: " + nanos + " < " + now);
        }
        while (events.nextTime() <= nanos) {
            now = events.nextTime();
            events.runDue(now);
        }
        now = nanos;
    }

    public void runFor(long nanos) {
        runTo(now + nanos);
    }

    /** Runs event by event until {@code condition} holds; fails after {@code limitNanos}. */
    public void runUntil(BooleanSupplier condition, long limitNanos) {
        long end = now + limitNanos;
        while (!condition.getAsBoolean()) {
            long next = events.nextTime();
            if (next > end) {
                throw new AssertionError("condition not reached within " + limitNanos + " ns");
            }
            runTo(next);
        }
    }
}
