package org.metertwin.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * --coverage on src/test/firmware/coverage/cov.c: reset() calls called(1..3) in a loop, never calls
 * never_called(), takes only the then-side of called()'s if, and calls scale() (util.c) once. The expected
 * counts below are read off that source, not off MeterTwin's output.
 */
class CoverageTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(CoverageTest.class.getResource("/dwarf/" + name).toURI());
    }

    /** Runs a fixture with --coverage and returns the tracefile's records: SF path to its lines. */
    private Map<String, List<String>> cover(String variant) throws Exception {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.maxInstructions = 100_000;
        o.console = new ByteArrayOutputStream();
        o.coverage = tmp.resolve(variant + ".info");
        ExecResult r = Exec.run("mps2-an386", fixture("cov-" + variant + ".elf"), o);
        assertThat(r.exitStatus()).as(r.message()).isZero();
        Map<String, List<String>> records = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(o.coverage)) {
            if (line.startsWith("SF:")) {
                current = new ArrayList<>();
                records.put(line.substring(3), current);
            } else if (current != null && !line.equals("end_of_record")) {
                current.add(line);
            }
        }
        return records;
    }

    @Test
    void linesAndFunctionsAtO0() throws Exception {
        Map<String, List<String>> records = cover("O0-dwarf5");
        assertThat(records).containsOnlyKeys("/src/coverage/cov.c", "/src/coverage/util.c");
        List<String> cov = records.get("/src/coverage/cov.c");
        assertThat(cov).contains(
                "FN:9,called", "FNDA:3,called", // called(1), called(2), called(3)
                "FN:18,never_called", "FNDA:0,never_called",
                "FN:23,exit_ok", "FNDA:1,exit_ok", // static, but at -O0 it keeps its symbol
                "FN:29,reset", "FNDA:1,reset",
                "FNF:4", "FNH:3");
        assertThat(cov).contains(
                "DA:9,3", "DA:10,3", "DA:11,3", // x > 0 every time: the then-side runs 3 times
                "DA:13,0", // the else-side never
                "DA:15,3", "DA:16,3",
                "DA:18,0", "DA:19,0", "DA:20,0", "DA:21,0", // never_called
                "DA:23,1", "DA:24,1", "DA:25,1", "DA:26,1", // exit_ok: the semihosting exit stops at line 26
                "DA:29,1", "DA:30,1",
                "DA:31,4", // the loop condition is evaluated 4 times (i = 0, 1, 2, 3)
                "DA:32,3",
                "DA:34,1", "DA:35,1");
        assertThat(cov).as("exit_ok never returns, the for(;;) after it never runs")
                .contains("DA:27,0", "DA:36,0");
        // no line without code: comments, declarations, blank lines, braces that compile to nothing
        assertThat(cov).noneMatch(l -> l.matches("DA:(1|2|3|4|5|6|7|8|12|14|17|22|28),.*"));
        assertThat(cov).contains("LF:" + cov.stream().filter(l -> l.startsWith("DA:")).count());
        assertThat(cov).contains("LH:" + cov.stream().filter(l -> l.startsWith("DA:") && !l.endsWith(",0")).count());

        assertThat(records.get("/src/coverage/util.c")).contains(
                "FN:2,scale", "FNDA:1,scale", "FNF:1", "FNH:1",
                "DA:2,1", "DA:3,1",
                "DA:4,5", // for (i = 0; i < 4; i++): the condition is evaluated 5 times
                "DA:5,4", "DA:7,1", "DA:8,1");
    }

    @Test
    void optimisedCodeStillSeparatesTakenFromUntakenCode() throws Exception {
        Map<String, List<String>> records = cover("O2-dwarf4"); // v4: paths as recorded, without directory
        List<String> cov = records.get("cov.c");
        assertThat(cov).contains("FNDA:0,never_called", "DA:19,0", "DA:20,0", "DA:13,0");
        assertThat(cov).filteredOn(l -> l.startsWith("DA:11,") || l.startsWith("DA:32,"))
                .isNotEmpty().noneMatch(l -> l.endsWith(",0"));
    }

    @Test
    void genhtmlAcceptsTheTracefile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/genhtml")), "genhtml (package lcov) is not installed");
        for (String variant : new String[] {"O0-dwarf5", "O2-dwarf4"}) {
            cover(variant);
            Path html = tmp.resolve("html-" + variant);
            Process p = new ProcessBuilder("genhtml", "--no-source", "--quiet", "-o", html.toString(),
                    tmp.resolve(variant + ".info").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).as("genhtml warnings").doesNotContainIgnoringCase("warning");
            assertThat(html.resolve("index.html")).exists();
        }
    }
}
