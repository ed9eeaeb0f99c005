package org.metertwin.core.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * Runs every firmware of the corpus (src/test/corpus, built by its build.sh) on MeterTwin's
 * mps2-an386 machine and compares the semihosting console output and the exit status with what
 * QEMU 7.2 produced for the same ELF (the golden files next to it: NAME.out, NAME.exit).
 */
@Tag("corpus")
class CorpusTest {

    private static final String MACHINE = "mps2-an386";
    private static final long MAX_INSTRUCTIONS = 2_000_000_000L;

    @TestFactory
    Stream<DynamicTest> corpusMatchesQemu() throws IOException {
        List<Path> elves = listElves(corpusDir());
        assertThat(elves).as("ELFs in the corpus").isNotEmpty();
        return tests(elves, ExecOptions.CodeMode.DEFAULT, "");
    }

    /** The same corpus with the bytecode compiler off: the interpreter alone must match QEMU too. */
    @TestFactory
    Stream<DynamicTest> corpusMatchesQemuInterpreted() throws IOException {
        return tests(listElves(corpusDir()), ExecOptions.CodeMode.INTERPRETED, " (interpreted)");
    }

    /**
     * The same corpus with every block compiled at its first execution: the compiler must match QEMU on
     * all the code a program runs, not only on its hot loops.
     */
    @TestFactory
    Stream<DynamicTest> corpusMatchesQemuCompiled() throws IOException {
        return tests(listElves(corpusDir()), ExecOptions.CodeMode.COMPILED, " (compiled)");
    }

    private static Stream<DynamicTest> tests(List<Path> elves, ExecOptions.CodeMode mode, String suffix) {
        return elves.stream().map(elf -> DynamicTest.dynamicTest(baseName(elf) + suffix, elf.toUri(),
                () -> runOne(elf, mode)));
    }

    private static void runOne(Path elf, ExecOptions.CodeMode mode) throws Exception {
        String name = baseName(elf);
        String known = knownFailures(elf.getParent()).get(name);
        assumeFalse(known != null, () -> name + " is a known failure: " + known);
        Path goldenOut = elf.resolveSibling(name + ".out");
        Path goldenExit = elf.resolveSibling(name + ".exit");
        assertThat(goldenOut).as("golden output of %s", name).exists();
        assertThat(goldenExit).as("golden exit status of %s", name).exists();
        String expectedOut = Files.readString(goldenOut, StandardCharsets.ISO_8859_1);
        int expectedExit = Integer.parseInt(Files.readString(goldenExit, StandardCharsets.US_ASCII).trim());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExecOptions opts = new ExecOptions();
        opts.semihosting = true;
        opts.maxInstructions = MAX_INSTRUCTIONS;
        opts.console = console;
        opts.codeMode = mode;
        ExecResult result = Exec.run(MACHINE, elf, opts);

        String actualOut = console.toString(StandardCharsets.ISO_8859_1);
        assertSameOutput(name, expectedOut, actualOut);
        assertThat(result.exitStatus()).as("exit status of %s", name).isEqualTo(expectedExit);
    }

    /** Compares line by line so that a failure names the first differing line, not 100 KB of text. */
    private static void assertSameOutput(String name, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        String[] exp = expected.split("\n", -1);
        String[] act = actual.split("\n", -1);
        int n = Math.min(exp.length, act.length);
        int line = 0;
        while (line < n && exp[line].equals(act[line])) {
            line++;
        }
        StringBuilder msg = new StringBuilder();
        msg.append(name).append(": console output differs from QEMU at line ").append(line + 1).append('\n');
        for (int i = Math.max(0, line - 3); i < line; i++) {
            msg.append("    ").append(exp[i]).append('\n');
        }
        msg.append("  expected: ").append(line < exp.length ? exp[line] : "<end of output>").append('\n');
        msg.append("  actual:   ").append(line < act.length ? act[line] : "<end of output>").append('\n');
        msg.append("  (expected ").append(exp.length).append(" lines, got ").append(act.length).append(')');
        fail(msg.toString());
    }

    private static Path corpusDir() {
        URL url = CorpusTest.class.getResource("/corpus/TOOLCHAIN.txt");
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return Path.of("src", "test", "resources", "corpus");
    }

    /**
     * KNOWN-FAILURES.txt: "name: reason" lines for programs MeterTwin does not yet run like QEMU. They are
     * reported as skipped with the reason; the list only ever shrinks.
     */
    private static Map<String, String> knownFailures(Path dir) throws IOException {
        Map<String, String> known = new HashMap<>();
        Path file = dir.resolve("KNOWN-FAILURES.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (!line.isBlank() && !line.startsWith("#") && colon > 0) {
                    known.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        }
        return known;
    }

    private static List<Path> listElves(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".elf")).sorted().toList();
        }
    }

    private static String baseName(Path elf) {
        String file = elf.getFileName().toString();
        return file.substring(0, file.length() - ".elf".length());
    }
}
