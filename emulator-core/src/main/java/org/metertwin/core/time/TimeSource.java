package org.metertwin.core.time;

/** The present moment of one machine, in virtual nanoseconds since it was created. */
@FunctionalInterface
public interface TimeSource {
    long nanos();
}
