package org.metertwin.core.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the gdb differential tests (emulator-core's against QEMU's mps2-an386, management-core's against its
 * netduinoplus2) do around the two gdb servers: run gdb-multiarch on a script, normalise what it prints, find
 * free ports and wait for QEMU's. Shared through emulator-core's test-jar.
 */
public final class GdbSessions {
    private GdbSessions() {
    }

    /** Runs {@code gdb-multiarch --batch} with {@code script} on {@code elf}; its output is also kept in target/. */
    public static String gdb(Path dir, Path elf, String script, String name) throws Exception {
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

    /**
     * gdb names QEMU's inferior "process 1" (QEMU speaks the multiprocess extension) and ours "Remote target":
     * both become "target". Nothing else differs that is not the gdb server's.
     */
    public static String normalise(String gdbOutput) {
        return gdbOutput.replaceAll("\\((process \\d+|Remote target)\\)", "(target)");
    }

    /**
     * The reconnecting sessions both differential tests run against a server on {@code port}: a port probe, a
     * gdb that disconnects (reconnect-1), another probe, a gdb that is killed (reconnect-2), and one that
     * debugs on and detaches (reconnect-3). Returns what each gdb printed.
     */
    public static List<String> reconnectingSessions(Path dir, Path elf, int port, String name) throws Exception {
        List<String> out = new ArrayList<>();
        probe(port);
        out.add(gdb(dir, elf, script("reconnect-1-disconnect.gdb", port), name + "-1"));
        probe(port);
        out.add(gdb(dir, elf, script("reconnect-2-crash.gdb", port), name + "-2"));
        out.add(gdb(dir, elf, script("reconnect-3-detach.gdb", port), name + "-3"));
        return out;
    }

    /**
     * Session by session: QEMU's contains each of its {@code expected} lines (so the comparison is about
     * something), and ours is what QEMU's is, normalised.
     */
    public static void assertSameSessions(List<List<String>> expected, List<String> theirs, List<String> mine) {
        for (int i = 0; i < expected.size(); i++) {
            for (String e : expected.get(i)) {
                String session = theirs.get(i);
                assertTrue(session.contains(e), () -> "QEMU's session lacks '" + e + "':\n" + session);
            }
        }
        assertEquals(theirs.size(), mine.size(), "sessions");
        for (int i = 0; i < theirs.size(); i++) {
            assertEquals(normalise(theirs.get(i)), normalise(mine.get(i)), "session " + (i + 1));
        }
    }

    /** One of emulator-core's gdb scripts (src/test/resources/gdb) with PORT replaced. */
    public static String script(String name, int port) throws IOException {
        try (InputStream in = GdbSessions.class.getResourceAsStream("/gdb/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("PORT", Integer.toString(port));
        }
    }

    /** What a port checker does: connect and close. */
    public static void probe(int port) throws IOException {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
    }

    /** QEMU opens its port a moment after start; a connection attempt would count as gdb's, so just look. */
    public static void waitForListener(int port) throws Exception {
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

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The raw-packet reconnects, for what gdb itself hides: client A halts at reset and sets a breakpoint at
     * {@code mix} (gdbdemo.c's function, at its address {@code mixBreak}); B connects while A is there and
     * continues once A has gone; C clears the breakpoint with {@code ?}, sets one at {@code line21} and goes
     * while the core runs; D finds it halted there and lets it run to its end. Returns what each saw.
     */
    public static List<String> rawReconnects(int port, int mixBreak, int line21) throws Exception {
        List<String> log = new ArrayList<>();
        probe(port);
        RspClient b;
        try (RspClient a = new RspClient(port)) {
            log.add("A ? " + a.ask("?").substring(0, 3));
            log.add("A pc=" + hexReg(a, 15));
            log.add("A Z0 mix " + a.ask("Z0," + Integer.toHexString(mixBreak) + ",2"));
            b = new RspClient(port); // connects while A is served
            b.sendRaw(Rsp.frame("c")); // no '?': A's breakpoint is still set when B is let in
            if (b.silentFor(500)) {
                log.add("B unanswered while A is there");
            }
        } // A goes without D, the core halted
        try (RspClient c = b) {
            log.add("B c " + c.reply().substring(0, 3));
            log.add("B pc=" + hexReg(c, 15) + " r0=" + hexReg(c, 0) + " r1=" + hexReg(c, 1));
        } // B goes, halted at the breakpoint
        try (RspClient c = new RspClient(port)) {
            log.add("C ? " + c.ask("?").substring(0, 3)); // clears the breakpoint
            log.add("C pc=" + hexReg(c, 15));
            log.add("C Z0 line 21 " + c.ask("Z0," + Integer.toHexString(line21) + ",2"));
            c.send("c");
        } // C goes while the core runs: it runs on through mix's 7 other calls and halts at line 21, unheard
        Thread.sleep(500); // for the core to get there (microseconds); D's connecting would halt it where it is
        try (RspClient d = new RspClient(port)) {
            log.add("D pc=" + hexReg(d, 15));
            log.add("D ? " + d.ask("?").substring(0, 3));
            d.send("c");
        } // D goes while the core runs: it runs on to exit(104)
        return log;
    }

    /** Register n of a 'g' reply (QEMU answers no 'p'), as 8 hex digits. */
    private static String hexReg(RspClient c, int n) throws IOException {
        return String.format("%08x", Rsp.parseLe32(c.ask("g").substring(8 * n, 8 * n + 8)));
    }
}
