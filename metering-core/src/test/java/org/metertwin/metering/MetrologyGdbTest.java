package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.SECOND;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * gdb on the metering core of a meter: held at reset until the client continues, then metering every joule of
 * the run's virtual time, as without the debugger.
 */
class MetrologyGdbTest {
    @Test
    void theCoreWaitsAtResetForGdbAndThenMeters() throws Exception {
        try (MetrologyMeter m = MetrologyMeter.create()) {
            m.mains().set(MainsState.sinusoidal(50, 230, 10, 0), m.now());
            InetSocketAddress at = m.serveGdb("127.0.0.1", 0, true);
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> talk(at));
            m.runUntil(10 * SECOND); // blocks until the client's continue
            // held at reset: the stop reply (SIGTRAP), then PC = the ELF's entry point without its Thumb bit
            int entry = bundledEntry() & ~1;
            String pcLittleEndian = String.format("%02x%02x%02x%02x", entry & 0xFF, (entry >>> 8) & 0xFF,
                    (entry >>> 16) & 0xFF, entry >>> 24);
            assertThat(client.get(30, TimeUnit.SECONDS)).startsWith("$T05").contains("$" + pcLittleEndian + "#");
            long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
            assertThat(imported).as("10 s at 2300 W, mWh").isBetween(6_388L - 2, 6_389L + 1);
        }
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
