package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec --trace/--trace-registers/--coverage}: files written, and one-line errors with status 2. */
class TraceCoverageCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void demoWithTraceAndCoverage() throws Exception {
        Path trace = dir.resolve("demo.trace");
        Path info = dir.resolve("demo.info");
        assertThat(run("exec", "--trace", trace.toString(), "--coverage", info.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("MeterTwin demo: one second of 230 V");
        assertThat(Files.readAllLines(trace).get(0)).startsWith("# metertwin trace 1 of ");
        assertThat(Files.readAllLines(trace)).anyMatch(l -> l.matches("[0-9a-f]{8} \\d+ reset(\\+0x[0-9a-f]+)?"));
        String lcov = Files.readString(info);
        // the demo's own code is built without -g; libgcc's soft-float routines have line info
        assertThat(lcov).startsWith("TN:").contains("\nSF:", "/libgcc/config/arm/ieee754-df.S\n", "\nDA:", "\nLH:")
                .endsWith("end_of_record\n");
        assertThat(lcov).containsPattern("\nFNDA:[1-9][0-9]*,__aeabi_dmul\n"); // the demo multiplies doubles
    }

    @Test
    void traceRegistersNeedsTrace() {
        assertThat(run("exec", "--trace-registers")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --trace-registers: needs --trace FILE" + System.lineSeparator());
    }

    @Test
    void unwritableTraceIsBadInput() {
        Path trace = dir.resolve("missing/t.trace");
        assertThat(run("exec", "--trace", trace.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --trace " + trace + ": cannot write: no such directory"
                + System.lineSeparator());
    }

    @Test
    void coverageOfAnElfWithoutDebugInfoIsBadInput() throws Exception {
        Path elf = resource("/firmware/fault.elf"); // built with -g0
        assertThat(run("exec", "--coverage", dir.resolve("f.info").toString(), elf.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --coverage: " + elf
                + " has no DWARF line table (.debug_line); build it with -g" + System.lineSeparator());
    }

    @Test
    void damagedLineTableIsOneLineNamingFileSectionAndOffset() throws Exception {
        Path demo = resource(ExecCommand.DEMO_RESOURCE);
        byte[] image = Files.readAllBytes(demo);
        int debugLine = 0x246c; // arm-none-eabi-readelf -S demo.elf: .debug_line at file offset 0x246c
        image[debugLine + 4] = 9; // the first unit's version
        Files.write(demo, image);
        assertThat(run("exec", "--semihosting", "--coverage", dir.resolve("d.info").toString(), demo.toString()))
                .isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + demo
                + ": .debug_line at offset 0x4: unsupported line table version 9 (2 to 5 are supported)"
                + System.lineSeparator());
    }
}
