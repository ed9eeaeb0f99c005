package org.metertwin.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the generator and the committed corpus without running any emulator: the corpus is what the
 * generator makes from the manifest's seed, every generated instruction satisfies its template's
 * predicates (no UNPREDICTABLE encoding), the harness invariants hold, and QEMU answered every case.
 */
class FuzzGeneratorTest {

    private static Properties manifest;
    private static final List<FuzzCase> corpus = new ArrayList<>();
    private static final Templates templates = new Templates();

    @BeforeAll
    static void regenerate() throws IOException {
        manifest = new Properties();
        try (InputStream in = FuzzGeneratorTest.class.getResourceAsStream("/fuzz/manifest.properties")) {
            assertThat(in).as("fuzz/manifest.properties").isNotNull();
            manifest.load(in);
        }
        CaseGenerator gen = new CaseGenerator(templates);
        long seed = Long.parseLong(manifest.getProperty("seed"));
        int cases = Integer.parseInt(manifest.getProperty("cases"));
        for (int id = 0; id < cases; id++) corpus.add(gen.generate(seed, id));
    }

    @Test
    void corpusIsLargeEnoughAndMadeByThisGeneratorVersion() {
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(20_000);
        assertThat(manifest.getProperty("generator.version")).isEqualTo(String.valueOf(CaseGenerator.VERSION));
        int exceptionCases = 0;
        for (FuzzCase c : corpus) if (c.group.equals(Templates.EXCEPTION)) exceptionCases++;
        assertThat(manifest.getProperty("qemu.faults")).isEqualTo(String.valueOf(exceptionCases));
    }

    @Test
    void committedCaseFilesAreReproducibleFromTheSeed() throws IOException {
        int batch = Integer.parseInt(manifest.getProperty("batch.size"));
        int batches = Integer.parseInt(manifest.getProperty("batches"));
        for (int b = 0; b < batches; b++) {
            List<String> lines = gunzipLines(String.format("batch_%03d.cases.gz", b));
            List<String> qemu = gunzipLines(String.format("batch_%03d.qemu.gz", b));
            assertThat(qemu).as("QEMU lines of batch %d", b).hasSameSizeAs(lines);
            for (int k = 0; k < lines.size(); k++) {
                FuzzCase c = corpus.get(b * batch + k);
                String line = lines.get(k);
                String meta = line.contains(" || ") ? line.substring(0, line.indexOf(" || ")) : line;
                assertThat(meta).as("case %d", c.id).isEqualTo(c.describe());
                // exactly the cases that end with SVC/UDF fault: their fault line is the golden output
                String want = c.group.equals(Templates.EXCEPTION) ? "%05d FAULT " : "%05d a=";
                assertThat(qemu.get(k)).as("QEMU line of case %d", c.id).startsWith(String.format(want, c.id));
            }
        }
    }

    @Test
    void templateNamesAreUnique() {
        Set<String> names = new HashSet<>();
        for (Encoding e : templates.all()) assertThat(names.add(e.name)).as("duplicate template %s", e.name).isTrue();
    }

    @Test
    void everyGroupAndEveryTemplateOccurs() {
        Map<String, Integer> perTemplate = new HashMap<>();
        Set<String> groups = new HashSet<>();
        for (FuzzCase c : corpus) {
            groups.add(c.group);
            for (FuzzCase.Instr in : c.instrs) perTemplate.merge(in.encoding.name, 1, Integer::sum);
        }
        assertThat(groups).containsAll(CaseGenerator.WEIGHTS.keySet());
        for (Encoding e : templates.all()) {
            assertThat(perTemplate.getOrDefault(e.name, 0)).as("uses of %s", e.name).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void everyInstructionDecodesBackAndSatisfiesItsPredicates() {
        for (FuzzCase c : corpus) {
            for (FuzzCase.Instr in : c.instrs) {
                Encoding e = in.encoding;
                assertThat(e.matches(in.word)).as("case %d %s fixed bits", c.id, in.mnemonic).isTrue();
                Fields f = e.decode(in.word);
                f.inIt = in.inIt;
                e.post.accept(f);
                assertThat(e.encode(f)).as("case %d %s consistent fields", c.id, in.mnemonic).isEqualTo(in.word);
                for (var p : e.valid) assertThat(p.test(f)).as("case %d %s predicate", c.id, in.mnemonic).isTrue();
                // never writes SP/LR/PC through a register field (SP only through the bounded SP forms)
                for (char w : e.writes.toCharArray()) assertThat(f.get(w)).as("case %d %s", c.id, in.mnemonic).isLessThan(13);
                assertThat(e.writtenMask(f) & ~0x1fff).as("case %d %s", c.id, in.mnemonic).isZero();
                for (char r : e.regs.toCharArray()) {
                    int limit = e.spOk.indexOf(r) >= 0 ? 13 : 12;
                    assertThat(f.get(r)).as("case %d %s field %s", c.id, in.mnemonic, r).isLessThanOrEqualTo(limit);
                }
            }
        }
    }

    @Test
    void itBlocksAreCompleteAndBranchesStayInsideTheSnippet() {
        for (FuzzCase c : corpus) {
            int n = c.instrs.size();
            int[] addr = new int[n + 1];
            for (int k = 0; k < n; k++) addr[k + 1] = addr[k] + c.instrs.get(k).size();
            int itLeft = 0;
            for (int k = 0; k < n; k++) {
                FuzzCase.Instr in = c.instrs.get(k);
                assertThat(in.inIt).as("case %d instr %d IT slot", c.id, k).isEqualTo(itLeft > 0);
                if (itLeft > 0) {
                    assertThat(in.encoding.itOk).as("case %d %s allowed in IT", c.id, in.mnemonic).isTrue();
                    if (in.encoding.branch) assertThat(itLeft).as("case %d branch last in IT", c.id).isEqualTo(1);
                    itLeft--;
                }
                if (in.encoding.group.equals(Templates.IT)) {
                    int cond = in.fields.get('c');
                    int mask = in.fields.get('m');
                    assertThat(cond).isNotEqualTo(15);
                    assertThat(mask).isNotZero();
                    if (cond == 14) assertThat(Integer.bitCount(mask)).isEqualTo(1);
                    itLeft = 4 - Integer.numberOfTrailingZeros(mask);
                    assertThat(k + itLeft).as("case %d IT block ends inside the snippet", c.id).isLessThan(n);
                }
                if (in.encoding.branch) {
                    int offset = in.fields.get('i') << 1;
                    int target = addr[k] + 4 + offset;
                    assertThat(target).as("case %d branch target", c.id).isBetween(addr[k] + 4, addr[n]);
                    boolean boundary = false;
                    for (int j = k + 1; j <= n; j++) boundary |= addr[j] == target;
                    assertThat(boundary).as("case %d branch to an instruction boundary", c.id).isTrue();
                }
            }
            assertThat(itLeft).isZero();
        }
    }

    @Test
    void memoryBasesPointIntoTheScratchBuffer() {
        for (FuzzCase c : corpus) {
            Set<Integer> written = new HashSet<>();
            for (FuzzCase.Instr in : c.instrs) {
                Encoding e = in.encoding;
                if (e.baseKind == Encoding.BaseKind.REGISTER) {
                    int n = in.fields.get(e.base);
                    assertThat(written).as("case %d base r%d written before %s", c.id, n, in.mnemonic).doesNotContain(n);
                    int v = c.r[n];
                    assertThat(v - CaseGenerator.SCRATCH).as("case %d base r%d", c.id, n)
                        .isBetween(CaseGenerator.SCRATCH_BYTES / 2 - 128, CaseGenerator.SCRATCH_BYTES / 2 + 128);
                    assertThat(v % e.baseAlign).as("case %d base alignment", c.id).isZero();
                }
                if (e.index != 0) {
                    assertThat(c.r[in.fields.get(e.index)]).as("case %d index", c.id).isBetween(0, 63);
                }
                int m = e.writtenMask(in.fields);
                for (int r = 0; r < 13; r++) if ((m >>> r & 1) != 0) written.add(r);
            }
        }
    }

    @Test
    void harnessLayoutMatchesTheGenerator() throws IOException {
        String c = Files.readString(Path.of("src/test/fuzz/harness/harness.c"));
        String ld = Files.readString(Path.of("src/test/fuzz/harness/link.ld"));
        assertThat(c).contains("#define SCRATCH_BYTES " + CaseGenerator.SCRATCH_BYTES + "u");
        assertThat(ld).contains(String.format("RAM  (rwx) : ORIGIN = 0x%08X", CaseGenerator.SCRATCH));
        assertThat(ld.indexOf("KEEP(*(.scratch))")).isLessThan(ld.indexOf(".bss (NOLOAD)"));
    }

    private static List<String> gunzipLines(String name) throws IOException {
        try (InputStream raw = FuzzGeneratorTest.class.getResourceAsStream("/fuzz/" + name)) {
            assertThat(raw).as("fuzz/" + name).isNotNull();
            String text = new String(new GZIPInputStream(raw).readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) if (!l.isBlank()) out.add(l);
            return out;
        }
    }
}
