package org.metertwin.peripherals.stm32;

import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.EventQueue;

/** A bare event queue whose clock the test moves, fixed STM32 clocks, and interrupt lines that record. */
final class TestMachine {
    final EventQueue events = new EventQueue();
    long now;

    TestMachine() {
        events.attach(() -> now, () -> { });
    }

    /** Fires every event due up to {@code nanos} and leaves the clock there. */
    void runTo(long nanos) {
        events.runDue(nanos);
        now = nanos;
    }

    void runFor(long nanos) {
        runTo(now + nanos);
    }

    /** Runs event by event until {@code condition} holds; fails after {@code limitNanos}. */
    void runUntil(java.util.function.BooleanSupplier condition, long limitNanos) {
        long end = now + limitNanos;
        while (!condition.getAsBoolean()) {
            long next = events.nextTime();
            if (next > end) {
                throw new AssertionError("condition not reached within " + limitNanos + " ns");
            }
            runTo(next);
        }
    }

    static Stm32Clocks clocks(long hz) {
        return new Stm32Clocks() {
            public long frequency(Domain domain) {
                return hz;
            }

            public boolean isEnabled(String peripheral) {
                return true;
            }

            public void addListener(Runnable changed) {
            }
        };
    }

    /** An interrupt line that remembers its level. */
    static final class Line implements InterruptLine {
        boolean level;

        @Override
        public void set(boolean l) {
            level = l;
        }
    }
}
