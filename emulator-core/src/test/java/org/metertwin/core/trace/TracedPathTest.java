package org.metertwin.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * The traced interpreter path runs programs exactly as the normal path does: QEMU's console output and exit
 * status for corpus programs (exceptions, faults, MPU, system reset, FPU, IT blocks), and the same instruction
 * and cycle counts as an untraced run.
 */
class TracedPathTest {
    @ParameterizedTest
    @ValueSource(strings = {"exceptions-O2-soft", "mpu-O0-soft", "sysreset-O2-soft", "fpu-O2-hard", "integer-O2-soft",
            "unpriv-O2-soft", "libc-O0-soft"})
    void tracedRunMatchesQemuAndTheUntracedRun(String name) throws Exception {
        Path elf = Path.of(TracedPathTest.class.getResource("/corpus/" + name + ".elf").toURI());
        String qemuOut = Files.readString(elf.resolveSibling(name + ".out"), StandardCharsets.ISO_8859_1);
        int qemuExit = Integer.parseInt(Files.readString(elf.resolveSibling(name + ".exit")).trim());

        ExecResult plain = run(elf, false);
        ExecResult traced = run(elf, true);
        assertThat(tracedOut).isEqualTo(qemuOut);
        assertThat(traced.exitStatus()).isEqualTo(qemuExit);
        assertThat(traced.instructions()).isEqualTo(plain.instructions());
        assertThat(traced.cycles()).isEqualTo(plain.cycles());
        assertThat(traced.virtualNanos()).isEqualTo(plain.virtualNanos());
    }

    private String tracedOut;

    private ExecResult run(Path elf, boolean traced) throws Exception {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.maxInstructions = 200_000_000L;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        o.console = console;
        o.errorConsole = console;
        if (traced) {
            o.trace = Files.createTempFile("traced", ".trace");
            o.trace.toFile().deleteOnExit();
        }
        ExecResult r = Exec.run("mps2-an386", elf, o);
        if (traced) {
            tracedOut = console.toString(StandardCharsets.ISO_8859_1);
            Files.delete(o.trace);
        }
        return r;
    }
}
