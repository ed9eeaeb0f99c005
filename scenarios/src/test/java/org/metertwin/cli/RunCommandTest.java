package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.scenario.ScenarioLoader;

/** The run command's exit statuses for bad input: one line on stderr, status 2, before any meter is built. */
class RunCommandTest extends CliTestBase {
    @Test
    void missingFile() {
        assertThat(run("run", "no-such.yaml")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: no-such.yaml: no such file" + System.lineSeparator());
        assertThat(out.size()).isZero();
    }

    @Test
    void unknownField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "meter: metrology\nduration: 2h\nvoltage: 230\n");
        assertThat(run("run", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + f + ":3:1: voltage: unknown field; expected one of duration,"
                + " expect, load, mains, meter, start, supply" + System.lineSeparator());
    }

    @Test
    void badValue(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "duration: 2h\nload:\n  - { at: 3h, current: 1 }\n");
        assertThat(run("run", "--quiet", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + f + ":3:11: load[0].at: expected a time before the end of the"
                + " scenario (2h), got '3h'" + System.lineSeparator());
    }

    @Test
    void notYaml(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("binary.yaml");
        Files.write(f, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, '[', '{'});
        assertThat(run("run", f.toString())).isEqualTo(2);
        assertThat(errText().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("metertwin: " + f + ":")
                .doesNotContain("Exception"));
    }

    @Test
    void reportInAMissingDirectory(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "duration: 1m\n");
        Path report = dir.resolve("no/such/dir/r.json");
        assertThat(run("run", "--report", report.toString(), f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --report " + report + ": expected a file in an existing directory"
                + System.lineSeparator());
    }

    @Test
    void badOption() {
        assertThat(run("run", "--frobnicate")).isEqualTo(2);
        assertThat(errText().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("metertwin: Unknown option"));
    }

    @Test
    void badGdbOptions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "duration: 1m\n");
        assertThat(run("run", "--gdb", "host:99999", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --gdb host:99999: expected [ADDRESS:]PORT with a port from 0 to"
                + " 65535" + System.lineSeparator());
        err.reset();
        assertThat(run("run", "--gdb-wait", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --gdb-wait: needs --gdb PORT" + System.lineSeparator());
    }

    /** A gdb server no client connects to changes nothing: the run ends as without it. */
    @Test
    void runWithAnIdleGdbServer(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "duration: 1m\nload: [ { at: 0s, current: 10 } ]\n"
                + "expect: [ { register: activeImportWh, tolerancePercent: 0.02 } ]\n");
        assertThat(run("run", "--quiet", "--gdb", "0", f.toString())).isZero();
        assertThat(errText()).startsWith("metertwin: gdb server for the metering core listening on 127.0.0.1:");
    }

    @Test
    void bundledScenariosAreValid() throws Exception {
        for (String name : new String[] {"example.yaml", "power-cut.yaml", "mixed.yaml"}) {
            assertThat(ScenarioLoader.bundled(name).name()).isEqualTo(name);
        }
    }
}
