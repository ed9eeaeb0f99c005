package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec command's exit statuses and messages, driven through picocli as the launcher does. */
class ExecCommandTest extends CliTestBase {
    @Test
    void bundledDemoRunsLikeQemu() {
        // QEMU 7.2 prints exactly this for scenarios/src/main/resources/firmware/demo.elf
        assertThat(run("exec", "--stats")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                MeterTwin demo: one second of 230 V, 10 A, PF 0.8
                active power  [W]: 1839.630
                mean v^2 [V^2]   : 52888
                mean i^2 [A^2]   : 99.996
                """);
        assertThat(errText()).startsWith("{\"instructions\":").contains("\"cycles\":", "\"virtualNanos\":",
                "\"wallMillis\":", "\"mips\":");
    }

    @Test
    void theManagementBoardBootsItsBundledBootloaderAndRtos() {
        assertThat(run("exec", "--machine", "management", "--max-time", "12s")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                boot: MeterTwin bootloader
                boot: application 0.3.0+1 counter 1: valid
                boot: starting 0.3.0+1 counter 1
                rtos: MeterTwin management core RTOS 0.3, image 0.3.0
                rtos: kernel started
                platform: boot 1; /data 2 of 1536 blocks used
                platform: install apps/energy.app, 1636 bytes
                platform: process 1 clock
                platform: process 2 platform
                platform: process 3 vbus
                platform: process 4 measurement
                platform: process 5 comm
                platform: process 6 energy-app
                clock: 10 s
                """);
        assertThat(errText()).contains("stopped at the virtual-time limit, 12.000 s");
    }

    @Test
    void aBadMaxTimeIsBadInput() {
        assertThat(run("exec", "--machine", "management", "--max-time", "12 parsecs")).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1).allMatch(l -> l.startsWith("metertwin: --max-time: "));
    }

    @Test
    void missingFileIsBadInput() {
        assertThat(run("exec", "no-such.elf")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: no-such.elf: no such file" + System.lineSeparator());
    }

    @Test
    void unknownMachineIsBadInput(@TempDir Path dir) throws Exception {
        Path elf = dir.resolve("x.elf");
        Files.write(elf, new byte[] {0x7f, 'E', 'L', 'F'});
        assertThat(run("exec", "--machine", "pdp-11", elf.toString())).isEqualTo(2);
        assertThat(errText()).contains("unknown machine 'pdp-11'").doesNotContain("Exception");
    }

    @Test
    void nonElfAndTruncatedElfAreBadInput(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThat(run("exec", text.toString())).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1).allMatch(l -> l.startsWith("metertwin: ") && l.contains("notes.txt"));
        err.reset();
        Path truncated = dir.resolve("cut.elf");
        Files.write(truncated, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        assertThat(run("exec", truncated.toString())).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1).allMatch(l -> l.contains("cut.elf"));
    }

    @Test
    void badGdbOptionsAreBadInput() throws Exception {
        for (String bad : new String[] {"", "x", "70000", ":", "1234:", "host:-1"}) {
            err.reset();
            assertThat(run("exec", "--gdb", bad)).as(bad).isEqualTo(2);
            assertThat(errText().lines()).hasSize(1).allMatch(l -> l.startsWith("metertwin: --gdb"));
        }
        err.reset();
        assertThat(run("exec", "--gdb-wait")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: --gdb-wait: needs --gdb PORT" + System.lineSeparator());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            err.reset();
            assertThat(run("exec", "--gdb", Integer.toString(taken.getLocalPort()))).isEqualTo(2);
            assertThat(errText().lines()).hasSize(1)
                    .allMatch(l -> l.startsWith("metertwin: gdb server: cannot listen on 127.0.0.1:"));
        }
    }

    @Test
    void withoutAClientTheRunGoesOnAsUsual() {
        assertThat(run("exec", "--gdb", "0")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("MeterTwin demo");
        assertThat(errText()).startsWith("metertwin: gdb server listening on 127.0.0.1:");
    }

    @Test
    void badOptionIsBadInput() {
        assertThat(run("exec", "--frobnicate")).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1).allMatch(l -> l.startsWith("metertwin: Unknown option"));
        err.reset();
        assertThat(run("exec", "--max-instructions", "lots")).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1);
    }

    @Test
    void instructionLimitHasItsOwnStatusAndNamesThePc() {
        assertThat(run("exec", "--max-instructions", "1000")).isEqualTo(5);
        assertThat(errText()).contains("instruction limit reached at pc=0x").contains("CFSR=");
    }

    @Test
    void faultWithoutHandlerNamesTheInstruction() throws Exception {
        Path elf = Path.of(ExecCommandTest.class.getResource("/firmware/fault.elf").toURI());
        assertThat(run("exec", elf.toString())).isEqualTo(6);
        assertThat(errText()).startsWith("metertwin: BusFault, escalated to HardFault, with no handler installed"
                + " at pc=0x00000044 (reset+0x4)").contains("BFAR=0x70000000", "CFSR=0x00008200");
    }
}
