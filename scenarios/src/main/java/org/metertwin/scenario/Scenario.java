package org.metertwin.scenario;

import java.util.List;

/**
 * A checked scenario, ready to run: the meter it is for, its length, its timeline cut into
 * {@link Segment}s (contiguous, from 0 to {@code durationNanos}) and its expectations.
 */
public record Scenario(String name, String meter, String start, long durationNanos, List<Segment> segments,
                       List<Expectation> expectations) {
    public Scenario {
        segments = List.copyOf(segments);
        expectations = List.copyOf(expectations);
    }
}
