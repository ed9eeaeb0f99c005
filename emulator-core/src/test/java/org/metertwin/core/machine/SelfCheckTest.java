package org.metertwin.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.metertwin.core.cpu.PlantedCompilerBug;

/**
 * {@code exec --self-check}: on a corpus program it agrees and gives QEMU's output; with a compiler bug planted
 * it names the miscompiled instruction, which a plain interpreted run stopped just before confirms.
 */
class SelfCheckTest {
    private static final String PROGRAM = "integer-O2-soft";

    private static Path corpus(String name) throws URISyntaxException {
        return Path.of(SelfCheckTest.class.getResource("/corpus/" + name).toURI());
    }

    private static ExecOptions options(ByteArrayOutputStream console) {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.console = console;
        o.maxInstructions = 200_000_000L;
        return o;
    }

    @Test
    void agreesOnACorpusProgramAndGivesQemusOutput() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SelfCheck.Result r = SelfCheck.run("mps2-an386", corpus(PROGRAM + ".elf"), options(console));
        assertThat(r.difference()).isNull();
        // the golden files are QEMU 7.2's output and exit status for this ELF
        assertThat(console.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo(Files.readString(corpus(PROGRAM + ".out"), StandardCharsets.ISO_8859_1));
        assertThat(r.exec().exitStatus())
                .isEqualTo(Integer.parseInt(Files.readString(corpus(PROGRAM + ".exit")).trim()));
        assertThat(r.exec().instructions()).isGreaterThan(10_000);
    }

    @Test
    void namesTheFirstMiscompiledInstruction() throws Exception {
        String difference;
        int planted;
        try (PlantedCompilerBug bug = new PlantedCompilerBug()) {
            SelfCheck.Result r = SelfCheck.run("mps2-an386", corpus(PROGRAM + ".elf"),
                    options(new ByteArrayOutputStream()));
            difference = r.difference();
            planted = bug.plantedPc();
        }
        assertThat(planted).isNotEqualTo(-1);
        assertThat(difference).isNotNull()
                .contains(String.format("pc=0x%08x", planted))
                .containsPattern("\\n  (r\\d+|sp|lr): interpreted 0x[0-9a-f]{8}, compiled 0x[0-9a-f]{8}");
        Matcher m = Pattern.compile("differ at instruction (\\d+): pc=").matcher(difference);
        assertThat(m.find()).as(difference).isTrue();
        long n = Long.parseLong(m.group(1));

        // an interpreted run stopped after n - 1 instructions stands at the planted instruction
        ExecOptions o = options(new ByteArrayOutputStream());
        o.codeMode = ExecOptions.CodeMode.INTERPRETED;
        o.maxInstructions = n - 1;
        ExecResult before = Exec.run("mps2-an386", corpus(PROGRAM + ".elf"), o);
        assertThat(before.outcome()).isEqualTo(Outcome.INSTRUCTION_LIMIT);
        assertThat(before.message()).contains(String.format("pc=0x%08x", planted));
    }

    @Test
    void refusesOptionsThatCannotRunTwice() {
        ExecOptions o = options(new ByteArrayOutputStream());
        o.gdbPort = 0;
        assertThatThrownBy(() -> SelfCheck.run("mps2-an386", corpus(PROGRAM + ".elf"), o))
                .isInstanceOf(MachineException.class).hasMessageStartingWith("--self-check: runs alone");
    }
}
