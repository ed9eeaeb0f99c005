package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code exec} with several ELFs or a directory: the CPU corpus (emulator-core's 90 programs with QEMU 7.2's
 * console output and exit status next to each) run as one suite, each section of the output and each test
 * case of the JUnit report checked against QEMU's files.
 */
class ExecSuiteTest extends CliTestBase {
    private static final Path CORPUS = Path.of("../emulator-core/src/test/resources/corpus");

    private static Map<String, String> sections(String stdout) {
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith("==> ") && line.endsWith(" <==")) {
                if (name != null) {
                    sections.put(name, text.toString());
                }
                name = line.substring(4, line.length() - 4);
                text.setLength(0);
            } else if (name != null) {
                text.append(line).append('\n');
            }
        }
        sections.put(name, text.toString());
        return sections;
    }

    private static String golden(Path elf, String ext) throws Exception {
        String base = elf.getFileName().toString().replaceFirst("\\.elf$", "");
        return Files.readString(elf.resolveSibling(base + ext), StandardCharsets.UTF_8);
    }

    @Test
    void theCorpusAsOneSuiteMatchesQemuProgramByProgram(@TempDir Path dir) throws Exception {
        List<Path> elfs;
        try (Stream<Path> s = Files.list(CORPUS)) {
            elfs = s.filter(p -> p.toString().endsWith(".elf")).sorted().toList();
        }
        assertThat(elfs).hasSize(90);
        Path report = dir.resolve("report.xml");
        int status = run("exec", "--semihosting", "--junit", report.toString(), CORPUS.toString());
        assertThat(status).as("some corpus programs exit 3 or 42, as under QEMU").isEqualTo(1);

        Map<String, String> sections = sections(out.toString(StandardCharsets.UTF_8));
        assertThat(sections).containsKey("summary");
        String summary = sections.remove("summary");
        assertThat(sections.keySet()).containsExactlyElementsOf(
                elfs.stream().map(p -> p.getFileName().toString()).toList());
        int failing = 0;
        for (Path elf : elfs) {
            String name = elf.getFileName().toString();
            String expected = golden(elf, ".out");
            if (!expected.isEmpty() && !expected.endsWith("\n")) {
                expected += "\n";
            }
            int exit = Integer.parseInt(golden(elf, ".exit").trim());
            failing += exit != 0 ? 1 : 0;
            String section = sections.get(name);
            assertThat(section).as(name).isEqualTo(expected);
            assertThat(summary).as("summary row of " + name).containsPattern("(?m)^" + java.util.regex.Pattern.quote(name)
                    + " +" + exit + " +[0-9]+ +[0-9]+$");
        }
        assertThat(summary).contains("90 programs: " + (90 - failing) + " exited 0, " + failing + " did not");

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        Element suite = xml.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("90");
        assertThat(suite.getAttribute("failures")).isEqualTo(Integer.toString(failing));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(90);
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            Path elf = CORPUS.resolve(c.getAttribute("name"));
            int exit = Integer.parseInt(golden(elf, ".exit").trim());
            assertThat(c.getAttribute("classname")).isEqualTo("mps2-an386");
            assertThat(c.getElementsByTagName("system-out").item(0).getTextContent()).as(elf.toString())
                    .isEqualTo(golden(elf, ".out"));
            NodeList failure = c.getElementsByTagName("failure");
            if (exit == 0) {
                assertThat(failure.getLength()).as(elf.toString()).isZero();
            } else {
                assertThat(((Element) failure.item(0)).getAttribute("message")).startsWith("exit status " + exit);
            }
        }
    }

    @Test
    void allPassingIsStatusZeroAndABadElfIsOneFailedProgram(@TempDir Path dir) throws Exception {
        Path good = CORPUS.resolve("alloca-O2-hard.elf");
        assertThat(run("exec", "--semihosting", good.toString(), good.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 programs: 2 exited 0, 0 did not");

        out.reset();
        err.reset();
        Path junk = dir.resolve("junk.elf");
        Files.writeString(junk, "not an ELF");
        assertThat(run("exec", "--semihosting", junk.toString(), good.toString())).isEqualTo(1);
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(sections(stdout).get(good.toString())).startsWith(golden(good, ".out"));
        assertThat(stdout).containsPattern("(?m)^" + java.util.regex.Pattern.quote(junk.toString()) + " +2 +0 ");
        assertThat(errText().lines()).hasSize(1).allMatch(l -> l.startsWith("metertwin: " + junk + ": ")
                && !l.contains("Exception"));
    }

    @Test
    void badSuiteArgumentsAreOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path good = CORPUS.resolve("alloca-O2-hard.elf");
        String[][] cases = {
            {"exec", good.toString(), dir.resolve("missing.elf").toString()},
            {"exec", dir.toString()}, // no ELF in it
            {"exec", "--gdb", "0", good.toString(), good.toString()},
            {"exec", "--trace", dir.resolve("t").toString(), good.toString(), good.toString()},
            {"exec", "--machine", "pdp-11", good.toString(), good.toString()},
            {"exec", "--junit", dir.resolve("r.xml").toString(), good.toString()},
        };
        for (String[] args : cases) {
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(errText().lines()).as(String.join(" ", args)).hasSize(1)
                    .allMatch(l -> l.startsWith("metertwin: ") && !l.contains("Exception"));
        }
    }

    @Test
    void controlCharactersStayVisibleInTheReport() {
        assertThat(JUnitReport.xmlText("a\u0000b\u001bc\td\n\uD83D\uDE00")).isEqualTo("a\\x00b\\x1bc\td\n\uD83D\uDE00");
        assertThat(JUnitReport.xmlText("lone \uD800 surrogate")).isEqualTo("lone \\xd800 surrogate");
    }
}
