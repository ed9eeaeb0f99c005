package org.metertwin.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as scenarios write them: one or more whole numbers with a unit, largest first, such as
 * {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d} or {@code 1h30m}; {@code 0} alone is zero.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
            1_000_000L};
    /** Longest accepted: 10 years of virtual time, well inside a long of nanoseconds. */
    static final long MAX_NANOS = 3650 * NANOS[0];

    private Durations() {
    }

    /** Nanoseconds of {@code text}; an {@link IllegalArgumentException} says what was expected. */
    public static long parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("0")) {
            return 0;
        }
        Matcher m = PART.matcher(t);
        long total = 0;
        int pos = 0;
        int lastUnit = -1;
        while (pos < t.length() && m.find(pos) && m.start() == pos) {
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw bad(text);
            }
            lastUnit = unit;
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            if (n > MAX_NANOS / NANOS[unit] || total + n * NANOS[unit] > MAX_NANOS) {
                throw new IllegalArgumentException("expected at most 3650d, got '" + text + "'");
            }
            total += n * NANOS[unit];
            pos = m.end();
        }
        if (pos == 0 || pos != t.length()) {
            throw bad(text);
        }
        return total;
    }

    /** The shortest text that {@link #parse} reads back as {@code nanos} (sub-millisecond parts dropped). */
    public static String format(long nanos) {
        if (nanos < NANOS[4]) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        long rest = nanos;
        for (int i = 0; i < UNITS.length; i++) {
            long n = rest / NANOS[i];
            if (n > 0) {
                sb.append(n).append(UNITS[i]);
                rest -= n * NANOS[i];
            }
        }
        return sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("expected a duration such as 500ms, 30s, 15m, 2h, 1d or 1h30m, got '"
                + text + "'");
    }
}
