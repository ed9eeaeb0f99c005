package org.metertwin.core.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.metertwin.core.gdb.GdbSessions.assertSameSessions;
import static org.metertwin.core.gdb.GdbSessions.freePort;
import static org.metertwin.core.gdb.GdbSessions.gdb;
import static org.metertwin.core.gdb.GdbSessions.normalise;
import static org.metertwin.core.gdb.GdbSessions.onPath;
import static org.metertwin.core.gdb.GdbSessions.probe;
import static org.metertwin.core.gdb.GdbSessions.rawReconnects;
import static org.metertwin.core.gdb.GdbSessions.reconnectingSessions;
import static org.metertwin.core.gdb.GdbSessions.waitForListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.Outcome;

/**
 * Drives Debian's gdb-multiarch with the same script against MeterTwin and against QEMU's gdb stub on the
 * same ELF (gdbdemo.elf, built by src/test/firmware/gdb/build.sh) and compares what gdb prints. Skipped when
 * either tool is missing.
 *
 * <p>Normalisations, each for a difference that is not the gdb server's:
 * <ul>
 *   <li>gdb names QEMU's inferior "process 1" (QEMU speaks the multiprocess extension) and ours "Remote
 *       target": both become "target".</li>
 * </ul>
 * Registers are first compared inside {@code mix}, not at {@code main}: at main r0-r2 still hold what
 * newlib's start-up got from semihosting calls (file handle numbers), where MeterTwin and QEMU differ.
 *
 * <p>Both are started halted at reset ({@code qemu-system-arm -S -gdb}, {@code exec --gdb-wait}); each test
 * does the same to both and requires the same outcome, down to the exit status.
 */
class GdbDifferentialTest {
    @TempDir
    Path dir;
    private Path elf;
    private Process qemu;
    private int qemuPort;
    private ExecUnderGdb ours;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(onPath("gdb-multiarch") && onPath("qemu-system-arm"), "gdb-multiarch or qemu-system-arm absent");
        elf = dir.resolve("gdbdemo.elf");
        try (InputStream in = getClass().getResourceAsStream("/gdb/gdbdemo.elf")) {
            Files.copy(in, elf);
        }
        // QEMU, halted at reset, its stub on a free port
        qemuPort = freePort();
        qemu = new ProcessBuilder("qemu-system-arm", "-M", "mps2-an386", "-nographic", "-semihosting",
                "-kernel", elf.toString(), "-S", "-gdb", "tcp:127.0.0.1:" + qemuPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        // MeterTwin, the same way
        ours = ExecUnderGdb.start(elf);
        waitForListener(qemuPort);
    }

    @AfterEach
    void stop() {
        if (qemu != null) {
            qemu.destroyForcibly();
        }
        if (ours != null && !ours.run().isDone()) { // a test that failed half-way: end our run too
            try (RspClient c = new RspClient(ours.address().getPort())) {
                c.send("k");
                ours.run().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // it is going anyway
            }
        }
    }

    @Test
    void gdbPrintsTheSameForMeterTwinAndQemu() throws Exception {
        String script = resource("differential.gdb");
        String mine = gdb(dir, elf, script.replace("PORT", Integer.toString(ourPort())), "ours");
        String theirs = gdb(dir, elf, script.replace("PORT", Integer.toString(qemuPort)), "qemu");
        for (String expected : List.of("Breakpoint 2, mix (a=1, b=0)", "Value returned is $1 = 3",
                "Hardware read watchpoint 4: table[3]", "Old value = 0", "New value = 104", "killed]")) {
            assertTrue(theirs.contains(expected), () -> "QEMU's session lacks '" + expected + "':\n" + theirs);
        }
        assertEquals(normalise(theirs), normalise(mine));
        assertEquals(Outcome.KILLED, ours.run().get(10, TimeUnit.SECONDS).outcome());
    }

    /**
     * A port probe (connect, close), a gdb that disconnects ({@code disconnect}: no D), another probe, a gdb that
     * crashes (SIGKILL), then a gdb that debugs on and detaches: each client finds the core where the one before
     * left it, and the detach lets the program run to its end, the process exiting with the guest's status.
     */
    @Test
    void probesDisconnectsAndACrashedGdbLeaveTheTargetAsItWasAndDetachResumesIt() throws Exception {
        List<String> theirs = reconnectingSessions(dir, elf, qemuPort, "qemu");
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "QEMU still runs after the detach");
        List<String> mine = reconnectingSessions(dir, elf, ourPort(), "ours");
        ExecResult r = ours.run().get(10, TimeUnit.SECONDS);

        // what QEMU does, as the sessions show it
        List<List<String>> expected = List.of(
                List.of("0x1cc <Reset_Handler>", "Breakpoint 1, mix (a=1, b=0)", "0x20000000 <table>:\t0x00000001"),
                List.of("0xca <mix+10>", "0xcc <mix+12>"), // still at the breakpoint; then one step on
                List.of("0xcc <mix+12>", "Breakpoint 1, main () at gdbdemo.c:21", "$1 = 104", "$2 = 1", "detached]"));
        assertSameSessions(expected, theirs, mine);
        assertEquals(104, qemu.exitValue()); // exit(104 & 0x7f)
        assertEquals(Outcome.EXITED, r.outcome());
        assertEquals(qemu.exitValue(), r.exitStatus());
    }

    /**
     * The same through raw packets, for what gdb itself hides: a breakpoint a client left stays set (its
     * successor stops there) until a client sends {@code ?}; a second connection waits, unanswered, until the
     * first has gone; a client that goes while the core runs leaves it running, into a breakpoint (where the
     * next client finds it) or to its end.
     */
    @Test
    void clientsThatGoWithoutDetachingLeaveTheTargetAsItWas() throws Exception {
        List<String> theirs = rawReconnects(qemuPort, 0xca, 0x13e); // gdbdemo.elf: mix+10, line 21
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "QEMU still runs after the last client went");
        theirs.add("exit " + qemu.exitValue());
        List<String> mine = rawReconnects(ourPort(), 0xca, 0x13e);
        ExecResult r = ours.run().get(10, TimeUnit.SECONDS);
        mine.add("exit " + r.exitStatus());

        assertEquals(List.of("A ? T05", "A pc=000001cc", "A Z0 mix OK", "B unanswered while A is there",
                "B c T05", "B pc=000000ca r0=00000001 r1=00000000", "C ? T05", "C pc=000000ca", "C Z0 line 21 OK",
                "D pc=0000013e", "D ? T05", "exit 104"), theirs);
        assertEquals(theirs, mine);
        assertEquals(Outcome.EXITED, r.outcome());
    }

    private int ourPort() {
        return ours.address().getPort();
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/gdb/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
