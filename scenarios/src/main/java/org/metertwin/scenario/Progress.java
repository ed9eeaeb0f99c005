package org.metertwin.scenario;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line on a terminal, in simulated time: {@code [=====     ] 1h00m / 2h  x2300}. The runner
 * calls {@link #at} at fixed virtual-time milestones, so the emulation does not depend on whether anyone
 * watches; the wall clock only feeds the speed figure on the line.
 */
public final class Progress {
    private static final int WIDTH = 20;
    private final PrintStream out;
    private final long durationNanos;
    private final LongSupplier wallNanos;
    private final long wallStart;
    private boolean shown;

    /** A progress line on {@code out} (null: none), for a run of {@code durationNanos} of virtual time. */
    public Progress(PrintStream out, long durationNanos, LongSupplier wallNanos) {
        this.out = out;
        this.durationNanos = durationNanos;
        this.wallNanos = wallNanos;
        this.wallStart = wallNanos.getAsLong();
    }

    public static Progress none() {
        return new Progress(null, 1, () -> 0);
    }

    /** The run has reached {@code virtualNanos} of its duration. */
    public void at(long virtualNanos) {
        if (out == null) {
            return;
        }
        long wall = wallNanos.getAsLong() - wallStart;
        double speed = wall <= 0 ? 0 : (double) virtualNanos / wall;
        out.print("\r" + line(virtualNanos, durationNanos, speed));
        out.flush();
        shown = true;
    }

    /** Ends the line, so that what follows starts on a fresh one. */
    public void done() {
        if (out != null && shown) {
            out.println();
            out.flush();
        }
    }

    /** The line for {@code virtualNanos} of {@code durationNanos} at {@code speed} times real time. */
    static String line(long virtualNanos, long durationNanos, double speed) {
        int filled = (int) Math.min(WIDTH, (virtualNanos * (double) WIDTH) / durationNanos);
        String bar = "=".repeat(filled) + " ".repeat(WIDTH - filled);
        String x = speed <= 0 ? "" : String.format(Locale.ROOT, "  x%.0f", speed);
        return "[" + bar + "] " + clock(virtualNanos) + " / " + Durations.format(durationNanos) + x;
    }

    /** Simulated time for the line: 12h00m, 5m30s or 12.5s. */
    static String clock(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
