package org.metertwin.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    private long clock;
    private final EventQueue q = new EventQueue();
    private final List<String> fired = new ArrayList<>();

    EventQueueTest() {
        q.attach(() -> clock, () -> { });
    }

    private Event ev(String name) {
        return q.event(name, when -> fired.add(name + "@" + when));
    }

    @Test
    void firesByTimeThenInsertionOrder() {
        Event a = ev("a"), b = ev("b"), c = ev("c"), d = ev("d");
        q.schedule(c, 30);
        q.schedule(a, 10);
        q.schedule(d, 10);
        q.schedule(b, 20);
        q.runDue(25);
        assertThat(fired).containsExactly("a@10", "d@10", "b@20");
        assertThat(q.nextTime()).isEqualTo(30);
        q.runDue(100);
        assertThat(fired).containsExactly("a@10", "d@10", "b@20", "c@30");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void rescheduleMovesAndCancelRemoves() {
        Event a = ev("a"), b = ev("b");
        q.schedule(a, 10);
        q.schedule(b, 20);
        q.schedule(a, 30); // moved after b
        q.cancel(b);
        assertThat(b.isScheduled()).isFalse();
        q.runDue(100);
        assertThat(fired).containsExactly("a@30");
    }

    @Test
    void nowIsTheEventsOwnTimeWhileItFiresSoPeriodicEventsDoNotDrift() {
        clock = 1_000_000; // the core overshot the deadline
        List<Long> ticks = new ArrayList<>();
        Event[] tick = new Event[1];
        tick[0] = q.event("tick", when -> {
            ticks.add(q.now());
            if (ticks.size() < 5) {
                q.scheduleIn(tick[0], 100);
            }
        });
        q.schedule(tick[0], 7);
        q.runDue(1_000_000);
        assertThat(ticks).containsExactly(7L, 107L, 207L, 307L, 407L);
        assertThat(q.now()).isEqualTo(1_000_000);
    }

    @Test
    void earlierDeadlineIsSignalledOnlyForANewHead() {
        int[] signals = new int[1];
        q.attach(() -> clock, () -> signals[0]++);
        q.schedule(ev("a"), 50);
        q.schedule(ev("b"), 60);
        q.schedule(ev("c"), 40);
        assertThat(signals[0]).isEqualTo(2);
    }

    @Test
    void heapOrderMatchesASortUnderRandomOperations() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(ev("e" + i));
        }
        for (int round = 0; round < 2000; round++) {
            Event e = events.get(rnd.nextInt(events.size()));
            if (rnd.nextInt(4) == 0) {
                q.cancel(e);
            } else {
                q.schedule(e, rnd.nextLong(1000));
            }
        }
        long last = -1;
        List<Event> pending = events.stream().filter(Event::isScheduled)
                .sorted((x, y) -> Long.compare(x.when(), y.when())).toList();
        for (Event e : pending) {
            if (!e.isScheduled()) {
                continue; // fired with an earlier one due at the same time
            }
            assertThat(q.nextTime()).isEqualTo(e.when());
            assertThat(e.when()).isGreaterThanOrEqualTo(last);
            last = e.when();
            q.runDue(e.when());
        }
        assertThat(q.isEmpty()).isTrue();
    }
}
