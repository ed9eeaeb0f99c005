package org.metertwin.peripherals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * Runs every netduinoplus2 test program (src/test/firmware/netduinoplus2) and compares its console output
 * and exit status with the golden files: QEMU's where QEMU models the blocks used, RM0090's otherwise.
 * A program with a NAME.yaml next to it runs on that machine description instead of the built-in board.
 */
class Netduinoplus2FirmwareTest {
    static final Path DIR = Paths.get("src/test/resources/firmware/netduinoplus2");

    static Stream<String> programs() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".elf"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void matchesGolden(String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = ExecOptions.semihosted(out, 2_000_000_000L);
        FirmwareInputs.attach(o, DIR.resolve(name + ".input"), out);
        FirmwareInputs.supply(o, DIR.resolve(name + ".vdd"));
        // a program needing wiring the board lacks (SPI loopback) comes with its own description, NAME.yaml
        Path machine = DIR.resolve(name + ".yaml");
        ExecResult r = Exec.run(Files.exists(machine) ? machine.toString() : "netduinoplus2",
                DIR.resolve(name + ".elf"), o);
        String expected = Files.readString(DIR.resolve(name + ".out"), StandardCharsets.ISO_8859_1);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(name + " output (" + r.message() + ")")
                .isEqualTo(expected);
        assertThat(r.exitStatus()).as(name + " exit status").isEqualTo(
                Integer.parseInt(Files.readString(DIR.resolve(name + ".exit")).trim()));
    }
}
