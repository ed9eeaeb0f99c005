package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void lineShowsBarSimulatedTimeAndSpeed() {
        assertThat(Progress.line(12 * HOUR, 24 * HOUR, 2300)).isEqualTo("[==========          ] 12h00m / 1d  x2300");
        assertThat(Progress.line(0, 2 * HOUR, 0)).isEqualTo("[                    ] 0.0s / 2h");
        assertThat(Progress.line(2 * HOUR, 2 * HOUR, 10.4)).isEqualTo("[====================] 2h00m / 2h  x10");
        assertThat(Progress.line(330_000_000_000L, HOUR, 1)).startsWith("[=         ").contains("5m30s / 1h");
    }

    @Test
    void printsOnItsStreamWithCarriageReturnAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong wall = new AtomicLong();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2 * HOUR, wall::get);
        wall.set(1_000_000_000L); // one second of wall time for one hour of virtual time
        p.at(HOUR);
        p.done();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("\r[==========          ] 1h00m / 2h  x3600" + System.lineSeparator());
    }

    @Test
    void noneIsSilent() {
        Progress p = Progress.none();
        p.at(5);
        p.done(); // nothing to assert but that it neither prints nor fails
    }
}
