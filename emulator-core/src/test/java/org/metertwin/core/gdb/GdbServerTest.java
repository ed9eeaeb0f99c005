package org.metertwin.core.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.Outcome;

/**
 * The gdb server through a raw socket, on gdbdemo.elf under {@code exec --gdb 0 --gdb-wait}. Expected values
 * come from the ELF (readelf/objdump: reset vector 0x1cd, main at 0x102, table[] at 0x20000000, its initial values copied there by the start-up code) and
 * from the protocol's definition; small programs are written into SRAM through M packets.
 */
class GdbServerTest {
    private static final int RAM_CODE = 0x20001000;

    @TempDir
    Path dir;
    private CompletableFuture<ExecResult> run;
    private int port;
    private RspClient gdb;

    @BeforeEach
    void start() throws Exception {
        Path elf = dir.resolve("gdbdemo.elf");
        try (InputStream in = getClass().getResourceAsStream("/gdb/gdbdemo.elf")) {
            Files.copy(in, elf);
        }
        ExecUnderGdb target = ExecUnderGdb.start(elf);
        run = target.run();
        port = target.address().getPort();
        gdb = new RspClient(port);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (!run.isDone()) {
                gdb.send("k");
            }
            gdb.close();
        } catch (Exception ignored) {
            // the test may have closed it
        }
        run.get(10, TimeUnit.SECONDS);
    }

    private static String le(int v) {
        return Rsp.le32(v);
    }

    private int pc() throws Exception {
        return Rsp.parseLe32(gdb.ask("pf"));
    }

    /** Writes halfword instructions at RAM_CODE and points the PC there. */
    private void runFromRam(int... halfwords) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (int h : halfwords) {
            hex.append(String.format("%02x%02x", h & 0xFF, (h >> 8) & 0xFF));
        }
        assertEquals("OK", gdb.ask(String.format("M%x,%x:%s", RAM_CODE, halfwords.length * 2, hex)));
        assertEquals("OK", gdb.ask("Pf=" + le(RAM_CODE)));
    }

    @Test
    void handshakeAndTargetDescription() throws Exception {
        String supported = gdb.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=arm");
        assertTrue(supported.contains("PacketSize=4000"), supported);
        assertTrue(supported.contains("qXfer:features:read+"), supported);
        assertEquals("", gdb.ask("vMustReplyEmpty"));
        assertEquals("T05thread:1;", gdb.ask("?"));
        String xml = gdb.ask("qXfer:features:read:target.xml:0,3fff");
        assertTrue(xml.startsWith("l<?xml"), xml);
        for (String name : new String[] {"org.gnu.gdb.arm.m-profile", "org.gnu.gdb.arm.m-system",
                "org.gnu.gdb.arm.vfp", "\"xpsr\"", "\"msp\"", "\"basepri\"", "\"d15\"", "\"fpscr\""}) {
            assertTrue(xml.contains(name), name);
        }
        assertEquals("m<?xm", gdb.ask("qXfer:features:read:target.xml:0,4"));
        assertEquals("E00", gdb.ask("qXfer:features:read:other.xml:0,4"));
        assertEquals("1", gdb.ask("qAttached"));
        assertEquals("QC1", gdb.ask("qC"));
        assertEquals("m1", gdb.ask("qfThreadInfo"));
        assertEquals("l", gdb.ask("qsThreadInfo"));
        assertEquals("", gdb.ask("qTStatus")); // unknown packets: the empty reply
    }

    @Test
    void registersAtReset() throws Exception {
        String g = gdb.ask("g");
        assertEquals((23 * 4 + 16 * 8 + 4) * 2, g.length()); // r0-r15, xpsr, 6 system, d0-d15, fpscr
        assertEquals(0x1cc, pc()); // reset vector 0x1cd without its Thumb bit
        assertEquals(0x20400000, Rsp.parseLe32(gdb.ask("pd"))); // initial SP: vector table word 0
        assertEquals(0x20400000, Rsp.parseLe32(gdb.ask("p11"))); // msp
        assertEquals(0x01000000, Rsp.parseLe32(gdb.ask("p10"))); // xPSR: only the Thumb bit
        assertEquals("OK", gdb.ask("P3=" + le(0x12345678)));
        assertEquals(le(0x12345678), gdb.ask("p3"));
        assertEquals("OK", gdb.ask("P13=" + le(1))); // primask
        assertEquals(le(1), gdb.ask("p13"));
        assertEquals("OK", gdb.ask("P17=0000803f00000040")); // d0 = s0 1.0f, s1 2.0f
        assertEquals("0000803f00000040", gdb.ask("p17"));
        assertEquals("E00", gdb.ask("p99"));
        assertEquals("E01", gdb.ask("Pzz=1"));
    }

    @Test
    void memoryIncludingDevicesAndFaults() throws Exception {
        assertEquals("OK", gdb.ask("M20000000,4:efbeadde"));
        assertEquals("efbeadde", gdb.ask("m20000000,4"));
        assertEquals("OK", gdb.ask("X20000004,2:#A"));
        assertEquals("2341", gdb.ask("m20000004,2")); // '#' travelled escaped as "}\x03"
        assertEquals("00004020cd010000", gdb.ask("m0,8")); // the vector table in flash-like SSRAM1
        assertEquals("E14", gdb.ask("m70000000,4")); // nothing mapped there
        assertEquals(8, gdb.ask("m40004000,4").length()); // a UART's registers, through the bus
        assertEquals("E01", gdb.ask("m20000000"));
        assertEquals("E01", gdb.ask("M20000000,4:ab"));
        assertTrue(gdb.ask("m20000000,ffffffff").length() <= 0x4000 - 4); // clamped to the packet size
    }

    @Test
    void breakpointContinueStepAndWatch() throws Exception {
        assertEquals("OK", gdb.ask("Z0,108,2")); // main's first line after the prologue
        assertEquals("T05swbreak:;thread:1;", gdb.ask("c"));
        assertEquals(0x108, pc());
        assertEquals("T05thread:1;", gdb.ask("s"));
        assertEquals(0x10a, pc());
        assertEquals("OK", gdb.ask("Z0,ca,2")); // in mix, called 8 times
        assertEquals("T05swbreak:;thread:1;", gdb.ask("c"));
        assertEquals("0100000000000000", gdb.ask("p0") + gdb.ask("p1")); // mix(table[0], 0)
        assertEquals("T05swbreak:;thread:1;", gdb.ask("c")); // a continue from the breakpoint goes past it
        assertEquals("0200000001000000", gdb.ask("p0") + gdb.ask("p1")); // mix(table[1], 1)
        assertEquals("OK", gdb.ask("z0,ca,2"));
        assertEquals("OK", gdb.ask("z0,108,2"));
        assertEquals("OK", gdb.ask("Z2,200009d8,4")); // counter
        assertEquals("T05watch:200009d8;thread:1;", gdb.ask("vCont;c"));
        assertEquals(0x13c, pc()); // halted before the str to counter, as QEMU does
        assertEquals("00000000", gdb.ask("m200009d8,4"));
        assertEquals("T05thread:1;", gdb.ask("vCont;s:1"));
        assertEquals("68000000", gdb.ask("m200009d8,4"));
        assertEquals("OK", gdb.ask("z2,200009d8,4"));
        assertEquals("W68", gdb.ask("c")); // exit(104 & 0x7f)
        assertEquals(Outcome.EXITED, run.get(10, TimeUnit.SECONDS).outcome());
    }

    @Test
    void hardwareBreakpointAndReadWatchpoint() throws Exception {
        assertEquals("OK", gdb.ask("Z1,ca,2"));
        assertEquals("T05hwbreak:;thread:1;", gdb.ask("c"));
        assertEquals("OK", gdb.ask("z1,ca,2"));
        assertEquals("OK", gdb.ask("Z3,2000000c,4")); // table[3]
        assertEquals("T05rwatch:2000000c;thread:1;", gdb.ask("c"));
        assertEquals(0x116, pc());
        assertEquals("OK", gdb.ask("z3,2000000c,4"));
        assertEquals("OK", gdb.ask("Z4,20000010,4")); // table[4]
        assertEquals("T05awatch:20000010;thread:1;", gdb.ask("c"));
        assertEquals(0x116, pc());
    }

    @Test
    void ctrlCStopsARunningCoreAndTimeStandsStillWhileHalted() throws Exception {
        runFromRam(0xe7fe); // b .
        gdb.send("c");
        assertTrue(gdb.silentFor(200));
        gdb.sendRaw(new byte[] {3});
        assertEquals("T02thread:1;", gdb.reply());
        assertEquals(RAM_CODE, pc());
        String time = new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("time"))));
        Thread.sleep(100);
        assertEquals(time, new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("time")))));
        assertTrue(time.startsWith("virtual time "), time);
    }

    @Test
    void stepEntersAPendingInterrupt() throws Exception {
        int handler = Rsp.parseLe32(gdb.ask("m40,4")) & ~1; // IRQ 0's vector
        runFromRam(0xe7fe);
        assertEquals("OK", gdb.ask("Me000e100,4:" + le(1))); // NVIC ISER0: enable IRQ 0
        assertEquals("OK", gdb.ask("Me000e200,4:" + le(1))); // ISPR0: pend it
        assertEquals("T05thread:1;", gdb.ask("s"));
        assertEquals(handler, pc());
        assertEquals(16, Rsp.parseLe32(gdb.ask("p10")) & 0x1FF); // IPSR: exception 16
    }

    @Test
    void guestBkptHaltsToTheDebugger() throws Exception {
        runFromRam(0xbf00, 0xbe07, 0xe7fe); // nop; bkpt 7; b .
        assertEquals("T05thread:1;", gdb.ask("c"));
        assertEquals(RAM_CODE + 2, pc());
    }

    @Test
    void monitorResetHaltsAtTheResetVector() throws Exception {
        runFromRam(0xe7fe);
        String out = new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("reset"))));
        assertTrue(out.startsWith("system reset"), out);
        assertEquals(0x1cc, pc());
        assertTrue(new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("bogus")))).startsWith("unknown monitor"));
    }

    @Test
    void monitorRunForAdvancesVirtualTimeAndHaltsAgain() throws Exception {
        runFromRam(0xe7fe);
        String out = new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("run-for 1ms"))));
        // 1 ms at 25 MHz is 25,000 cycles; "b ." takes 3, so the stretch ends within 2 cycles (80 ns) after
        assertTrue(out.matches("(?s)halted at pc=0x20001000, virtual time 0\\.0010000[0-8]0 s.*"), out);
        assertTrue(new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("run-for soon")))).startsWith("run-for: expected"));
        assertEquals("OK", gdb.ask("Pf=" + le(0x1cc))); // from reset: main's breakpoint ends the stretch early
        assertEquals("OK", gdb.ask("Z0,108,2"));
        out = new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("run-for 1s"))));
        assertTrue(out.startsWith("stopped by a breakpoint or watchpoint at pc=0x00000108"), out);
        assertEquals("T05thread:1;", gdb.ask("?"));
    }

    @Test
    void malformedInputIsAnsweredAndHarmsNothing() throws Exception {
        gdb.sendRaw("$g#00");
        assertEquals('-', gdb.readAck());
        gdb.sendRaw("junk\u00ff\u00fe+++");
        gdb.sendRaw("$" + "m".repeat(100_000) + "#00");
        assertEquals('-', gdb.readAck());
        for (String bad : new String[] {"m", "mzz,4", "M1,", "Z0", "Z9,0,0", "P", "p", "qXfer:features:read:target.xml:",
                "vCont;x", "X0,4:ab", "G1", "c1234567890"}) {
            String r = gdb.ask(bad);
            assertTrue(r.isEmpty() || r.startsWith("E"), bad + " -> " + r);
        }
        assertEquals(0x1cc, pc());
        assertEquals("T05thread:1;", gdb.ask("?"));
    }

    @Test
    void binaryJunkHarmsNeitherTheServerNorTheCore() throws Exception {
        assertEquals("OK", gdb.ask("P5=" + le(0x5a5a5a5a)));
        java.util.Random random = new java.util.Random(5); // seeded: the same junk every run
        byte[] junk = new byte[64 * 1024];
        random.nextBytes(junk);
        gdb.sendRaw(junk);
        gdb.sendRaw("#00"); // ends a packet the junk may have opened
        gdb.drain(300); // acks, '-' and resent replies the junk asked for
        assertEquals(le(0x5a5a5a5a), gdb.ask("p5"));
        assertEquals(0x1cc, pc());
    }

    // What happens when a client goes, as QEMU 7.2 does it (GdbDifferentialTest compares the two)

    @Test
    void aSecondClientWaitsUntilTheFirstHasGone() throws Exception {
        assertEquals("OK", gdb.ask("P5=" + le(0x5a5a5a5a)));
        RspClient second = new RspClient(port);
        second.sendRaw(Rsp.frame("p5")); // waits in its socket
        assertTrue(second.silentFor(500));
        assertEquals("T05thread:1;", gdb.ask("?")); // the first is served meanwhile
        gdb.close();
        gdb = second; // served now, as if it had just connected
        assertEquals('+', gdb.readAck());
        assertEquals(le(0x5a5a5a5a), gdb.reply());
        assertEquals(0x1cc, pc());
    }

    @Test
    void aProbeOrAnAbruptDisconnectLeavesAHaltedCoreHaltedAndTimeStill() throws Exception {
        new java.net.Socket("127.0.0.1", port).close(); // a port checker, while gdb is attached: it waits its turn
        runFromRam(0xe7fe); // b .
        String time = new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("time"))));
        gdb.close(); // no detach: the socket just goes
        new java.net.Socket("127.0.0.1", port).close();
        Thread.sleep(300); // time enough for a core wrongly set running to run on, never needed otherwise
        gdb = new RspClient(port);
        assertEquals(RAM_CODE, pc());
        assertEquals(time, new String(Rsp.unhex(gdb.ask("qRcmd," + Rsp.hex("time")))));
    }

    @Test
    void aBreakpointLeftByAClientThatWentStaysUntilTheNextQuestionMark() throws Exception {
        assertEquals("OK", gdb.ask("Z0,ca,2")); // mix, called 8 times
        gdb.close();
        gdb = new RspClient(port);
        assertEquals("T05swbreak:;thread:1;", gdb.ask("c")); // no '?' yet: still set
        assertEquals(0xca, pc());
        assertEquals("T05thread:1;", gdb.ask("?")); // gdb's first question clears it
        assertEquals("W68", gdb.ask("c")); // mix's 7 other calls pass: exit(104 & 0x7f)
        assertEquals(Outcome.EXITED, run.get(10, TimeUnit.SECONDS).outcome());
    }

    @Test
    void aClientThatGoesWhileTheCoreRunsLeavesItRunning() throws Exception {
        gdb.send("c");
        gdb.close();
        ExecResult r = run.get(10, TimeUnit.SECONDS); // it runs on, with no one to tell, to exit(104)
        assertEquals(Outcome.EXITED, r.outcome());
        assertEquals(104, r.exitStatus());
    }

    @Test
    void aCoreLeftRunningHaltsAtABreakpointForTheNextClient() throws Exception {
        runFromRam(0xbf00, 0xbf00, 0xe7fe); // nop; nop; b .
        assertEquals("OK", gdb.ask(String.format("Z0,%x,2", RAM_CODE + 2)));
        gdb.send("c");
        gdb.close(); // whether its stop reply went out before or not
        Thread.sleep(300); // for the core to get there (one instruction); connecting would halt it where it is
        gdb = new RspClient(port);
        assertEquals(RAM_CODE + 2, pc()); // not at the b . after it
    }

    @Test
    void detachRemovesBreakpointsAndResumesToTheGuestsExit() throws Exception {
        assertEquals("OK", gdb.ask("Z0,ca,2"));
        assertEquals("OK", gdb.ask("D"));
        ExecResult r = run.get(10, TimeUnit.SECONDS);
        assertEquals(Outcome.EXITED, r.outcome());
        assertEquals(104, r.exitStatus());
        assertEquals("W68", gdb.reply()); // as QEMU, the client still connected hears of the exit
    }

    @Test
    void killEndsTheRun() throws Exception {
        gdb.send("k");
        assertEquals(Outcome.KILLED, run.get(10, TimeUnit.SECONDS).outcome());
    }
}
