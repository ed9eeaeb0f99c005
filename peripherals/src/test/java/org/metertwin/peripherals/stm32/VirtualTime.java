package org.metertwin.peripherals.stm32;

import org.metertwin.core.time.EventQueue;

/** An event queue on a clock the test moves, with fixed STM32 clocks: devices tested without a core. */
final class VirtualTime {
    final EventQueue events = new EventQueue();
    long now;
    long timerHz = 16_000_000;

    VirtualTime() {
        events.attach(() -> now, () -> { });
    }

    /** Fires every event up to {@code nanos}, each at its own time, and leaves the clock there. */
    void runTo(long nanos) {
        while (events.nextTime() <= nanos) {
            now = events.nextTime();
            events.runDue(now);
        }
        now = nanos;
    }

    Stm32Clocks clocks() {
        return new Stm32Clocks() {
            public long frequency(Domain domain) {
                return domain == Domain.RTC ? 32_768 : domain == Domain.LSI ? 32_000 : timerHz;
            }

            public boolean isEnabled(String peripheral) {
                return true;
            }

            public void addListener(Runnable changed) {
            }
        };
    }
}
