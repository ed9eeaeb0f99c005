package org.metertwin.core.semihosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;

/** Semihosting calls made directly, as the core makes them on BKPT 0xAB: r0 = operation, r1 = parameter. */
class SemihostingTest {
    private static final int BLOCK = 0x20000100, TEXT = 0x20000200, BUF = 0x20000400;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private SystemBus bus;
    private CortexM4 cpu;
    @TempDir
    Path dir;
    private Semihosting sh;

    @BeforeEach
    void setUp() {
        bus = new SystemBus();
        bus.addMemory("ram", 0x20000000, 0x10000, true);
        cpu = new CortexM4(bus, 25_000_000);
        sh = new Semihosting(out, err, new ByteArrayInputStream("typed\n".getBytes()), dir, "fw.elf -v",
                new int[] {0x21000000, 0x22000000, 0x22000000, 0x21000000});
    }

    private int call(int op, int param) {
        cpu.setReg(0, op);
        cpu.setReg(1, param);
        assertThat(sh.onBreakpoint(cpu, 0xAB)).isTrue();
        return cpu.reg(0);
    }

    private void string(int addr, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
        bus.writeBytes(addr, b, 0, b.length);
    }

    private int open(String name, int mode) {
        string(TEXT, name);
        bus.write32(BLOCK, TEXT);
        bus.write32(BLOCK + 4, mode);
        bus.write32(BLOCK + 8, name.length());
        return call(Semihosting.SYS_OPEN, BLOCK);
    }

    @Test
    void consoleWritesAndExitCodes() {
        string(TEXT, "hello\n");
        call(Semihosting.SYS_WRITE0, TEXT);
        int stdoutHandle = open(":tt", 4);
        int stderrHandle = open(":tt", 8);
        string(BUF, "hello\n");
        bus.write32(BLOCK, stderrHandle);
        bus.write32(BLOCK + 4, BUF);
        bus.write32(BLOCK + 8, 3);
        assertThat(call(Semihosting.SYS_WRITE, BLOCK)).as("bytes not written").isZero();
        assertThat(stdoutHandle).isPositive();
        assertThat(out.toString()).isEqualTo("hello\n");
        assertThat(err.toString()).isEqualTo("hel");
        bus.write32(BLOCK, Semihosting.ADP_STOPPED_APPLICATION_EXIT);
        bus.write32(BLOCK + 4, 42);
        call(Semihosting.SYS_EXIT_EXTENDED, BLOCK);
        assertThat(sh.exited()).isTrue();
        assertThat(sh.exitStatus()).isEqualTo(42);
    }

    @Test
    void exitWithOtherReasonIsFailureLikeQemu() {
        call(Semihosting.SYS_EXIT, 0x20023); // ADP_Stopped_RunTimeErrorUnknown
        assertThat(sh.exitStatus()).isEqualTo(1);
    }

    @Test
    void hostFilesOnlyInsideTheAllowedDirectory() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "abcdef");
        int h = open("in.txt", 0);
        assertThat(h).isPositive();
        bus.write32(BLOCK, h);
        assertThat(call(Semihosting.SYS_FLEN, BLOCK)).isEqualTo(6);
        bus.write32(BLOCK, h);
        bus.write32(BLOCK + 4, BUF);
        bus.write32(BLOCK + 8, 4);
        assertThat(call(Semihosting.SYS_READ, BLOCK)).as("bytes not read").isZero();
        assertThat(new String(bus.readBytes(BUF, 4), StandardCharsets.US_ASCII)).isEqualTo("abcd");
        assertThat(open("../outside.txt", 0)).isEqualTo(-1);
        assertThat(open("/etc/passwd", 0)).isEqualTo(-1);
    }

    @Test
    void clockAndTimeComeFromVirtualTimeAndCommandLineAndHeapInfoAreAnswered() {
        assertThat(call(Semihosting.SYS_CLOCK, 0)).isZero(); // no cycles yet: virtual time is zero
        assertThat(call(Semihosting.SYS_TIME, 0)).isEqualTo(1767225600); // the fixed epoch
        bus.write32(BLOCK, BUF);
        bus.write32(BLOCK + 4, 64);
        assertThat(call(Semihosting.SYS_GET_CMDLINE, BLOCK)).isZero();
        assertThat(bus.readCString(BUF, 64)).isEqualTo("fw.elf -v");
        bus.write32(BLOCK, BUF);
        call(Semihosting.SYS_HEAPINFO, BLOCK);
        assertThat(bus.read32(BUF)).isEqualTo(0x21000000);
        assertThat(bus.read32(BUF + 4)).isEqualTo(0x22000000);
    }

    @Test
    void featuresFileAnnouncesExtendedExitAndStderr() {
        int h = open(":semihosting-features", 0);
        bus.write32(BLOCK, h);
        bus.write32(BLOCK + 4, BUF);
        bus.write32(BLOCK + 8, 5);
        call(Semihosting.SYS_READ, BLOCK);
        assertThat(bus.readBytes(BUF, 5)).containsExactly('S', 'H', 'F', 'B', 3);
    }

    @Test
    void otherBreakpointsAreNotSemihosting() {
        cpu.setReg(0, Semihosting.SYS_WRITE0);
        assertThat(sh.onBreakpoint(cpu, 0x01)).isFalse();
    }
}
