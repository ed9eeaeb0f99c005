package org.metertwin.core.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 */
class GdbDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void gdbPrintsTheSameForMeterTwinAndQemu() throws Exception {
        assumeTrue(onPath("gdb-multiarch") && onPath("qemu-system-arm"), "gdb-multiarch or qemu-system-arm absent");
        Path elf = dir.resolve("gdbdemo.elf");
        try (InputStream in = getClass().getResourceAsStream("/gdb/gdbdemo.elf")) {
            Files.copy(in, elf);
        }
        String script;
        try (InputStream in = getClass().getResourceAsStream("/gdb/differential.gdb")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // QEMU, halted at reset, its stub on a free port
        int qemuPort = freePort();
        Process qemu = new ProcessBuilder("qemu-system-arm", "-M", "mps2-an386", "-nographic", "-semihosting",
                "-kernel", elf.toString(), "-S", "-gdb", "tcp:127.0.0.1:" + qemuPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        // MeterTwin, the same way
        ExecUnderGdb target = ExecUnderGdb.start(elf);
        CompletableFuture<ExecResult> run = target.run();
        try {
            int ourPort = target.address().getPort();
            waitForListener(qemuPort);
            String ours = gdb(elf, script.replace("PORT", Integer.toString(ourPort)), "ours");
            String theirs = gdb(elf, script.replace("PORT", Integer.toString(qemuPort)), "qemu");
            for (String expected : List.of("Breakpoint 2, mix (a=1, b=0)", "Value returned is $1 = 3",
                    "Hardware read watchpoint 4: table[3]", "Old value = 0", "New value = 104", "killed]")) {
                assertTrue(theirs.contains(expected), () -> "QEMU's session lacks '" + expected + "':\n" + theirs);
            }
            assertEquals(normalise(theirs), normalise(ours));
            ExecResult r = run.get(10, TimeUnit.SECONDS);
            assertEquals(Outcome.KILLED, r.outcome());
        } finally {
            qemu.destroyForcibly();
            run.cancel(true);
        }
    }

    private String gdb(Path elf, String script, String name) throws Exception {
        Path file = dir.resolve(name + ".gdb");
        Files.writeString(file, script);
        Path out = Path.of("target", "gdb-differential", name + ".out"); // kept for a look after a failure
        Files.createDirectories(out.getParent());
        Process p = new ProcessBuilder("gdb-multiarch", "-nx", "--batch", "-x", file.toString(), elf.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gdb did not finish against " + name + ":\n" + Files.readString(out));
        }
        return Files.readString(out);
    }

    static String normalise(String gdbOutput) {
        return gdbOutput.replaceAll("\\((process \\d+|Remote target)\\)", "(target)");
    }

    /** QEMU opens its port a moment after start; a connection attempt would count as gdb's, so just look. */
    private static void waitForListener(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                return; // someone (QEMU) listens there
            }
            Thread.sleep(50);
        }
        throw new AssertionError("QEMU did not open its gdb port");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

}
