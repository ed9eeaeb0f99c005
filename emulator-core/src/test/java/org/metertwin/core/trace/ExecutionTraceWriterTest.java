package org.metertwin.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.MachineException;

/**
 * --trace on the coverage fixture (cov.c, -O0). Addresses come from objdump's line table of that ELF
 * (cov-O0-dwarf5.decodedline): called() starts at 0x40, scale()'s loop body (util.c line 5) at 0x106.
 */
class ExecutionTraceWriterTest {
    @TempDir
    Path tmp;

    private ExecResult traced(Path trace, boolean registers) throws Exception {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.maxInstructions = 100_000;
        o.console = new ByteArrayOutputStream();
        o.trace = trace;
        o.traceRegisters = registers;
        return Exec.run("mps2-an386", CoverageTest.fixture("cov-O0-dwarf5.elf"), o);
    }

    private static List<String> body(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void runsOfStraightLineCodeWithSymbolsAndRepeats() throws Exception {
        Path file = tmp.resolve("cov.trace");
        ExecResult r = traced(file, false);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("# metertwin trace 1 of cov-O0-dwarf5.elf");
        long instructions = 0;
        for (String l : body(lines)) {
            String[] f = l.split(" ");
            assertThat(f[0]).matches("[0-9a-f]{8}");
            instructions += Long.parseLong(f[1]) * (f.length > 3 ? Long.parseLong(f[3].substring(1)) : 1);
        }
        assertThat(instructions).as("every executed instruction is in a run").isEqualTo(r.instructions());
        assertThat(body(lines).get(0)).as("the reset vector points at reset()").endsWith(" reset");
        assertThat(body(lines)).filteredOn(l -> l.startsWith("00000040 ")).hasSize(3) // called(1..3)
                .allMatch(l -> l.endsWith(" called"));
        assertThat(body(lines)).noneMatch(l -> l.contains("never_called"));
        // the loop body of scale() runs 4 times: 3 times back to back up to the taken branch, then on to the return
        assertThat(body(lines)).anyMatch(l -> l.matches("00000106 \\d+ scale\\+0x12 \\*3"));
        assertThat(body(lines).get(body(lines).size() - 1)).as("ends in exit_ok at the semihosting BKPT")
                .contains(" exit_ok");
    }

    @Test
    void registersOnEveryInstructionShowTheArguments() throws Exception {
        Path file = tmp.resolve("regs.trace");
        ExecResult r = traced(file, true);
        List<String> lines = body(Files.readAllLines(file));
        assertThat(lines).hasSize((int) r.instructions());
        assertThat(lines.get(0).split(" ")).hasSize(2 + 16); // the first line has every register
        Map<String, String> regs = new HashMap<>();
        List<String> r0AtCalled = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split(" ");
            for (int i = 2; i < f.length; i++) {
                String[] kv = f[i].split("=");
                regs.put(kv[0], kv[1]);
            }
            if (f[0].equals("00000040")) {
                r0AtCalled.add(regs.get("r0"));
            }
        }
        assertThat(r0AtCalled).as("called(i + 1) for i = 0, 1, 2").containsExactly("00000001", "00000002", "00000003");
    }

    @Test
    void gzipNamesAreCompressedAndLimitsStillFlushTheTrace() throws Exception {
        Path plain = tmp.resolve("a.trace");
        Path gz = tmp.resolve("a.trace.gz");
        traced(plain, false);
        traced(gz, false);
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(plain));
        }
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.maxInstructions = 50; // stops in the middle of the program
        o.console = new ByteArrayOutputStream();
        o.trace = tmp.resolve("cut.trace");
        ExecResult r = Exec.run("mps2-an386", CoverageTest.fixture("cov-O0-dwarf5.elf"), o);
        long instructions = body(Files.readAllLines(o.trace)).stream().mapToLong(l -> {
            String[] f = l.split(" ");
            return Long.parseLong(f[1]) * (f.length > 3 ? Long.parseLong(f[3].substring(1)) : 1);
        }).sum();
        assertThat(instructions).isEqualTo(r.instructions()).isEqualTo(50);
    }

    @Test
    void anUnwritableTraceIsOneLineNamingIt() {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.trace = tmp.resolve("no/such/dir/x.trace");
        assertThatThrownBy(() -> Exec.run("mps2-an386", CoverageTest.fixture("cov-O0-dwarf5.elf"), o))
                .isInstanceOf(MachineException.class)
                .hasMessage("--trace " + o.trace + ": cannot write: no such directory");
    }
}
