package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.SECOND;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * gdb on the metering core of a meter: held at reset until the client continues, then metering every joule of
 * the run's virtual time, as without the debugger. A port probe (connect, close) before gdb changes nothing:
 * the server behaves as QEMU's stub (GdbDifferentialTest in emulator-core compares the two).
 */
class MetrologyGdbTest {
    @TempDir
    Path dir;

    @Test
    void theCoreWaitsAtResetForGdbAndThenMeters() throws Exception {
        heldAtResetThenMetering(false);
    }

    @Test
    void aPortProbeLeavesTheCoreAtResetForTheClientThatComesNext() throws Exception {
        heldAtResetThenMetering(true);
    }

    private void heldAtResetThenMetering(boolean probeFirst) throws Exception {
        try (MetrologyMeter m = MetrologyMeter.create()) {
            m.mains().set(MainsState.sinusoidal(50, 230, 10, 0), m.now());
            InetSocketAddress at = m.serveGdb("127.0.0.1", 0, true);
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> {
                if (probeFirst) {
                    probe(at);
                }
                return talk(at);
            });
            m.runUntil(10 * SECOND); // blocks until the client's continue
            // held at reset: the stop reply (SIGTRAP), then PC = the ELF's entry point without its Thumb bit
            int entry = bundledEntry() & ~1;
            String pcLittleEndian = String.format("%02x%02x%02x%02x", entry & 0xFF, (entry >>> 8) & 0xFF,
                    (entry >>> 16) & 0xFF, entry >>> 24);
            assertThat(client.get(30, TimeUnit.SECONDS)).startsWith("$T05").contains("$" + pcLittleEndian + "#");
            assertMeteredTenSeconds(m);
        }
    }

    /** A port probe, then gdb-multiarch: at reset, a breakpoint in main, detach; the meter then meters on. */
    @Test
    void gdbAfterAPortProbeDebugsAndDetaches() throws Exception {
        assumeTrue(onPath("gdb-multiarch"), "gdb-multiarch absent");
        Path elf = dir.resolve("metrology.elf");
        try (InputStream in = MetrologyMeter.class.getResourceAsStream("/firmware/metrology.elf")) {
            Files.copy(in, elf);
        }
        Path script = dir.resolve("session.gdb");
        Path out = dir.resolve("session.out");
        try (MetrologyMeter m = MetrologyMeter.create()) {
            m.mains().set(MainsState.sinusoidal(50, 230, 10, 0), m.now());
            InetSocketAddress at = m.serveGdb("127.0.0.1", 0, true);
            Files.writeString(script, String.join("\n", "set pagination off", "set confirm off",
                    "set architecture arm", "target remote 127.0.0.1:" + at.getPort(), "info registers pc",
                    "break main", "continue", "info registers pc", "detach", ""));
            CompletableFuture<String> session = CompletableFuture.supplyAsync(() -> {
                probe(at);
                return gdb(script, elf, out);
            });
            m.runUntil(10 * SECOND); // held until gdb detaches
            String printed = session.get(60, TimeUnit.SECONDS);
            assertThat(printed).contains(String.format("0x%x <Reset_Handler>", bundledEntry() & ~1))
                    .containsPattern("Breakpoint 1, 0x[0-9a-f]+ in main \\(\\)").contains("detached]");
            assertMeteredTenSeconds(m);
        }
    }

    private static void assertMeteredTenSeconds(MetrologyMeter m) throws Exception {
        long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        assertThat(imported).as("10 s at 2300 W, mWh").isBetween(6_388L - 2, 6_389L + 1);
    }

    /** What a port checker does: connect and close; then waits a little, so that a server that wrongly let
     *  the core run would show it (the right one waits for the next client however long it takes). */
    private static void probe(InetSocketAddress at) {
        try {
            new Socket(at.getAddress(), at.getPort()).close();
            Thread.sleep(300);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String gdb(Path script, Path elf, Path out) {
        try {
            Process p = new ProcessBuilder("gdb-multiarch", "-nx", "--batch", "-x", script.toString(), elf.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gdb did not finish:\n" + Files.readString(out));
            }
            return Files.readString(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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

    private static int bundledEntry() throws Exception {
        try (InputStream in = MetrologyMeter.class.getResourceAsStream("/firmware/metrology.elf")) {
            return org.metertwin.core.elf.ElfFile.parse("metrology.elf", in.readAllBytes()).entry();
        }
    }

    /** Asks why the core stopped, reads the PC, then continues; returns what the server answered. */
    private static String talk(InetSocketAddress at) {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            out.write("$?#3f".getBytes(StandardCharsets.US_ASCII));
            readPacket(in, got);
            out.write("+$pf#d6".getBytes(StandardCharsets.US_ASCII));
            readPacket(in, got);
            out.write("+$c#63".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return got.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void readPacket(InputStream in, StringBuilder got) throws java.io.IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new java.io.EOFException();
            }
        }
        got.append('$');
        while ((c = in.read()) != '#') {
            got.append((char) c);
        }
        got.append('#').append((char) in.read()).append((char) in.read());
    }
}
