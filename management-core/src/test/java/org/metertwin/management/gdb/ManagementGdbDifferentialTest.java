package org.metertwin.management.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.metertwin.core.gdb.GdbSessions.assertSameSessions;
import static org.metertwin.core.gdb.GdbSessions.freePort;
import static org.metertwin.core.gdb.GdbSessions.gdb;
import static org.metertwin.core.gdb.GdbSessions.normalise;
import static org.metertwin.core.gdb.GdbSessions.onPath;
import static org.metertwin.core.gdb.GdbSessions.rawReconnects;
import static org.metertwin.core.gdb.GdbSessions.reconnectingSessions;
import static org.metertwin.core.gdb.GdbSessions.waitForListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.gdb.ExecUnderGdb;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.Outcome;

/**
 * emulator-core's GdbDifferentialTest for the management core: Debian's gdb-multiarch runs the same script
 * against MeterTwin's {@code management} board and against QEMU's {@code netduinoplus2} (an STM32F405) on
 * the same ELF and what gdb prints must be the same. The ELF, gdbdemo.elf, is emulator-core's gdbdemo.c
 * built by firmware/build.sh for the STM32 layout (flash at 0x08000000, test/startup.c, -O0 -g) and linked
 * for 128 KiB of SRAM, which both boards have at 0x20000000: the initial SP (0x20020000) and so every stack
 * address gdb prints are the same on both by construction, not by normalisation. The script is
 * emulator-core's differential.gdb with its last memory read moved from an mps2 device register to the
 * vector table in flash (0x08000000), which both boards hold. Skipped when either tool is missing.
 *
 * <p>Normalisations, each for a difference that is not the gdb server's:
 * <ul>
 *   <li>gdb names QEMU's inferior "process 1" (QEMU speaks the multiprocess extension) and ours "Remote
 *       target": both become "target".</li>
 * </ul>
 * Nothing else: test/startup.c makes no semihosting call before main (unlike newlib's start-up on mps2), so
 * the registers at main are the same as well.
 *
 * <p>Both are started halted at reset ({@code qemu-system-arm -S -gdb}, {@link ExecUnderGdb}: {@code exec
 * --gdb-wait}); each test does the same to both and requires the same outcome, down to the exit status.
 */
class ManagementGdbDifferentialTest {
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
        try (InputStream in = getClass().getResourceAsStream("/firmware/gdbdemo.elf")) {
            Files.copy(in, elf);
        }
        qemuPort = freePort();
        qemu = new ProcessBuilder("qemu-system-arm", "-M", "netduinoplus2", "-nographic", "-monitor", "none",
                "-serial", "null", "-semihosting", "-kernel", elf.toString(), "-S", "-gdb", "tcp:127.0.0.1:" + qemuPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        ours = ExecUnderGdb.start("management", elf);
        waitForListener(qemuPort);
    }

    @AfterEach
    void stop() {
        if (qemu != null) {
            qemu.destroyForcibly();
        }
        if (ours != null && !ours.run().isDone()) { // a test that failed half-way: end our run too
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ours.port())) {
                OutputStream out = s.getOutputStream();
                out.write("$k#6b".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ours.run().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // it is going anyway
            }
        }
    }

    @Test
    void gdbPrintsTheSameForTheManagementBoardAndQemu() throws Exception {
        String script = resource("differential.gdb");
        String mine = gdb(dir, elf, script.replace("PORT", Integer.toString(ours.port())), "ours");
        String theirs = gdb(dir, elf, script.replace("PORT", Integer.toString(qemuPort)), "qemu");
        for (String expected : List.of("Reset_Handler () at test/startup.c:35", "Breakpoint 1, main () at gdbdemo.c:16",
                "sp             0x2001ffd8", "Breakpoint 2, mix (a=1, b=0)", "Value returned is $1 = 3",
                "Hardware read watchpoint 4: table[3]", "Old value = 0", "New value = 104",
                "0x8000000 <vector_table>:\t0x20020000\t0x08000205", "killed]")) {
            assertTrue(theirs.contains(expected), () -> "QEMU's session lacks '" + expected + "':\n" + theirs);
        }
        assertEquals(normalise(theirs), normalise(mine));
        assertEquals(Outcome.KILLED, ours.run().get(10, TimeUnit.SECONDS).outcome());
    }

    /**
     * emulator-core's reconnect sessions on the management board: a port probe, a gdb that disconnects, another
     * probe, a gdb that crashes (SIGKILL), then a gdb that debugs on and detaches; each client finds the core
     * where the one before left it, and the detach lets the program run to its end, the process exiting with
     * the guest's status (104) on both.
     */
    @Test
    void probesDisconnectsAndACrashedGdbLeaveTheBoardAsItWasAndDetachResumesIt() throws Exception {
        List<String> theirs = reconnectingSessions(dir, elf, qemuPort, "qemu");
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "QEMU still runs after the detach");
        List<String> mine = reconnectingSessions(dir, elf, ours.port(), "ours");
        ExecResult r = ours.run().get(10, TimeUnit.SECONDS);

        List<List<String>> expected = List.of(
                List.of("0x8000204 <Reset_Handler>", "Breakpoint 1, mix (a=1, b=0)",
                        "0x20000000 <table>:\t0x00000001"),
                List.of("0x800041c <mix+10>", "0x800041e <mix+12>"), // still at the breakpoint; then one step on
                List.of("0x800041e <mix+12>", "Breakpoint 1, main () at gdbdemo.c:21", "$1 = 104", "$2 = 1",
                        "detached]"));
        assertSameSessions(expected, theirs, mine);
        assertEquals(104, qemu.exitValue()); // exit(104 & 0x7f)
        assertEquals(Outcome.EXITED, r.outcome());
        assertEquals(qemu.exitValue(), r.exitStatus());
    }

    /**
     * emulator-core's raw-packet reconnects on the management board: a breakpoint a client left stays set until
     * a client sends {@code ?}; a second connection waits, unanswered, until the first has gone; a client that
     * goes while the core runs leaves it running, into a breakpoint or to its end. gdbdemo.elf here (gdb's
     * {@code info line}): mix+10 at 0x0800041c, line 21 at 0x08000490, the reset handler at 0x08000204.
     */
    @Test
    void clientsThatGoWithoutDetachingLeaveTheBoardAsItWas() throws Exception {
        List<String> theirs = rawReconnects(qemuPort, 0x0800041c, 0x08000490);
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "QEMU still runs after the last client went");
        theirs.add("exit " + qemu.exitValue());
        List<String> mine = rawReconnects(ours.port(), 0x0800041c, 0x08000490);
        ExecResult r = ours.run().get(10, TimeUnit.SECONDS);
        mine.add("exit " + r.exitStatus());

        assertEquals(List.of("A ? T05", "A pc=08000204", "A Z0 mix OK", "B unanswered while A is there",
                "B c T05", "B pc=0800041c r0=00000001 r1=00000000", "C ? T05", "C pc=0800041c", "C Z0 line 21 OK",
                "D pc=08000490", "D ? T05", "exit 104"), theirs);
        assertEquals(theirs, mine);
        assertEquals(Outcome.EXITED, r.outcome());
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/gdb/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
