package org.metertwin.peripherals.host;

import org.metertwin.core.time.EventQueue;

/** An event queue whose present the test moves, firing events on the way as a processor would. */
final class ManualClock {
    final EventQueue events = new EventQueue();
    long now;

    ManualClock() {
        events.attach(() -> now, () -> { });
    }

    void advanceTo(long nanos) {
        while (events.nextTime() <= nanos) {
            now = Math.max(now, events.nextTime());
            events.runDue(now);
        }
        now = nanos;
    }
}
