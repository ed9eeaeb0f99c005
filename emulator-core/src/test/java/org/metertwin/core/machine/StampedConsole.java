package org.metertwin.core.machine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A console that keeps what a board printed, whole and cut into lines, each stamped with the virtual time its
 * newline came out at (from {@code clock}): for tests that judge when something was said, such as power-cut
 * sweeps. Shared through emulator-core's test-jar.
 */
public final class StampedConsole extends OutputStream {
    /** A console line and the virtual time (ns) of its newline. */
    public record Line(long nanos, String text) {
    }

    private final LongSupplier clock;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();

    public StampedConsole(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void write(int b) {
        all.write(b);
        if (b == '\n') {
            lines.add(new Line(clock.getAsLong(), line.toString(StandardCharsets.ISO_8859_1)));
            line.reset();
        } else {
            line.write(b);
        }
    }

    /** Everything printed so far. */
    public synchronized String text() {
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** The complete lines so far. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }
}
