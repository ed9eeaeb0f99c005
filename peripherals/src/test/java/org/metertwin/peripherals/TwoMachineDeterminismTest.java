package org.metertwin.peripherals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfLoader;
import org.metertwin.core.gdb.GdbServer;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.Simulation;
import org.metertwin.core.semihosting.Semihosting;

/**
 * Two netduinoplus2 machines exchange bytes over a USART2 link while their timers interleave (firmware in
 * src/test/firmware/link). Every byte delivered and every exception taken, with its virtual time, goes into
 * a hash; running the same workload again, and with the machines stepped in the other host order, must give
 * the same hash and the same output.
 */
class TwoMachineDeterminismTest {
    static final Path DIR = Paths.get("src/test/resources/firmware/link");

    record Run(String digest, String ping, String pong, long links, long exceptions) {
    }

    @Test
    void sameInputsSameOutputsWhateverTheHostOrder() throws Exception {
        Run first = run(0, 1);
        Run again = run(0, 1);
        Run reversed = run(1, 0);
        assertThat(first.ping).startsWith("ping: sent 200 received").endsWith("mismatches 0\n");
        assertThat(first.pong).startsWith("pong: sent");
        assertThat(first.links).isGreaterThan(400);
        assertThat(again).isEqualTo(first);
        assertThat(reversed).isEqualTo(first);
    }

    /**
     * gdb holds one board mid-run (a client connects at 100 ms of virtual time, which halts the core, waits
     * 300 ms of wall time, then continues): the simulation, and so both boards, stand still meanwhile, and
     * the run gives the same bytes at the same virtual times as without gdb.
     */
    @Test
    void gdbHoldingOneBoardChangesNothing() throws Exception {
        Run plain = run(0, 1);
        String[] stopReply = new String[1];
        Run held = run(sim -> {
            Board ping = sim.machine("ping");
            GdbServer gdb = GdbServer.start("127.0.0.1", 0, ping.cpu(), () -> ping.reset(ResetCause.PIN), false);
            sim.hold(ping, gdb::runUntil);
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            sim.at(100_000_000L, () -> {
                Thread client = new Thread(() -> {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gdb.address().getPort())) {
                        connected.countDown();
                        socket.setSoTimeout(10_000);
                        var out = socket.getOutputStream();
                        var in = socket.getInputStream();
                        out.write("$?#3f".getBytes(StandardCharsets.US_ASCII));
                        stopReply[0] = packet(in);
                        Thread.sleep(300); // held: virtual time must not move
                        out.write("+$c#63".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    } catch (Exception e) {
                        stopReply[0] = "client failed: " + e;
                    }
                }, "gdb-client");
                client.setDaemon(true);
                client.start();
                try {
                    connected.await();
                    Thread.sleep(50); // let the server see the connection before the core runs on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return gdb;
        }, 0, 1);
        assertThat(stopReply[0]).as("the client got the halted core's stop reply").matches("[ST]05.*");
        assertThat(held).isEqualTo(plain);
    }

    /** The next RSP packet's payload (acks skipped). */
    private static String packet(InputStream in) throws java.io.IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new java.io.EOFException();
            }
        }
        StringBuilder sb = new StringBuilder();
        while ((c = in.read()) != '#') {
            sb.append((char) c);
        }
        in.read();
        in.read();
        return sb.toString();
    }

    /** Prepares the simulation before it runs; what it returns is closed afterwards. */
    @FunctionalInterface
    interface Setup {
        AutoCloseable prepare(Simulation sim) throws Exception;
    }

    private Run run(int... order) throws Exception {
        return run(sim -> () -> { }, order);
    }

    private Run run(Setup setup, int... order) throws Exception {
        // one digest per machine, fed in that machine's own order; the host interleaving of the two is free
        java.util.Map<String, MessageDigest> digests = new java.util.TreeMap<>();
        digests.put("ping", MessageDigest.getInstance("SHA-256"));
        digests.put("pong", MessageDigest.getInstance("SHA-256"));
        long[] counts = new long[2];
        Simulation sim = new Simulation(Simulation.DEFAULT_QUANTUM_NANOS);
        ByteArrayOutputStream pingOut = new ByteArrayOutputStream();
        ByteArrayOutputStream pongOut = new ByteArrayOutputStream();
        Board ping = machine("ping", pingOut);
        Board pong = machine("pong", pongOut);
        sim.add(ping);
        sim.add(pong);
        sim.link(ping, "USART2", pong, "USART2");
        sim.setOrder(order);
        sim.setLinkTrace((link, when, data) -> {
            String receiver = link.substring(link.indexOf("->") + 2, link.lastIndexOf('/'));
            digests.get(receiver).update((link + " " + when + " " + data + "\n").getBytes(StandardCharsets.UTF_8));
            counts[0]++;
        });
        for (Board b : new Board[] {ping, pong}) {
            b.cpu().setExceptionObserver(e -> {
                digests.get(b.name()).update((b.name() + " exc " + e + " " + b.cpu().virtualNanos() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                counts[1]++;
            });
        }
        try (AutoCloseable prepared = setup.prepare(sim)) {
            sim.runUntil(300_000_000L); // 300 ms of virtual time
        }
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        for (MessageDigest d : digests.values()) {
            all.update(d.digest());
        }
        return new Run(HexFormat.of().formatHex(all.digest()), pingOut.toString(StandardCharsets.UTF_8),
                pongOut.toString(StandardCharsets.UTF_8), counts[0], counts[1]);
    }

    private static Board machine(String name, ByteArrayOutputStream console) throws Exception {
        MachineDescription d = MachineDescriptions.load("netduinoplus2");
        MachineDescription renamed = d.withName(name);
        Board board = new Board(name, renamed, console);
        ElfFile elf = ElfFile.read(DIR.resolve(name + ".elf"));
        board.setImageLoader(() -> {
            try {
                ElfLoader.load(elf, board.bus());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Semihosting semihosting = new Semihosting(console, console, InputStream.nullInputStream(), null, name,
                board.heapInfo());
        board.cpu().setBreakpointHandler(semihosting);
        board.reset(ResetCause.POWER_ON);
        return board;
    }
}
