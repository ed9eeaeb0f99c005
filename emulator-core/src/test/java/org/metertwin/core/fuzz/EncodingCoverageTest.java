package org.metertwin.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Measures how the committed fuzz corpus covers the reference table of encodings ({@link EncodingTable}): every
 * instruction of every case is classified by its bits, and objdump's disassembly of it (recorded with the
 * case) must name the row it falls in. Fails when a row of the table has no case, when an instruction falls
 * in no row, or when objdump disagrees with the table. The table of figures is {@code docs/encoding-coverage.md};
 * {@code -Dencoding.coverage.write=true} writes it again, and the test fails when the committed one is stale.
 */
class EncodingCoverageTest {

    private static final Path DOC = Path.of("../docs/encoding-coverage.md");

    /** Cases and instructions per row. */
    private static final class Count {
        final Set<Integer> cases = new HashSet<>();
        int instructions;
    }

    @Test
    void everyRowOfTheTableHasCasesAndEveryCaseInstructionHasARow() throws IOException {
        EncodingTable table = EncodingTable.load();
        Properties manifest = new Properties();
        try (InputStream in = resource("manifest.properties")) {
            manifest.load(in);
        }
        Map<EncodingTable.Row, Count> counts = new LinkedHashMap<>();
        for (EncodingTable.Row r : table.rows()) counts.put(r, new Count());
        List<String> unmatched = new ArrayList<>();
        List<String> misnamed = new ArrayList<>();
        int instructions = 0;
        int cases = 0;
        int batches = Integer.parseInt(manifest.getProperty("batches"));
        for (int b = 0; b < batches; b++) {
            for (String line : gunzipLines(String.format("batch_%03d.cases.gz", b))) {
                cases++;
                int id = Integer.parseInt(line.substring(0, 5));
                int bar = line.indexOf(" | ");
                int dis = line.indexOf(" || ");
                String[] instrs = line.substring(bar + 3, dis).split(" ; ");
                String[] disasm = line.substring(dis + 4).split(" ; ");
                for (int k = 0; k < instrs.length; k++) {
                    instructions++;
                    String hex = instrs[k].substring(instrs[k].lastIndexOf(' ') + 1);
                    int word = Integer.parseUnsignedInt(hex, 16);
                    int width = hex.length() * 4;
                    List<EncodingTable.Row> rows = table.classify(word, width);
                    if (rows.isEmpty()) {
                        unmatched.add(String.format("case %05d: %s", id, instrs[k]));
                        continue;
                    }
                    for (EncodingTable.Row r : rows) {
                        Count c = counts.get(r);
                        c.cases.add(id);
                        c.instructions++;
                    }
                    String mnemonic = k < disasm.length ? disasm[k].strip().split("\\s+")[0] : "?";
                    if (rows.stream().noneMatch(r -> r.namedBy(mnemonic))) {
                        misnamed.add(String.format("case %05d: %s (objdump: %s) falls in %s", id, instrs[k],
                                k < disasm.length ? disasm[k].strip() : "?",
                                rows.stream().map(r -> r.title() + " (line " + r.line() + ")").toList()));
                    }
                }
            }
        }

        List<String> empty = new ArrayList<>();
        for (Map.Entry<EncodingTable.Row, Count> e : counts.entrySet()) {
            if (e.getValue().instructions == 0) {
                empty.add(e.getKey().title() + " (line " + e.getKey().line() + ": " + e.getKey().pattern() + ")");
            }
        }
        String doc = document(manifest, counts, cases, instructions);
        Files.writeString(Path.of("target/encoding-coverage.md"), doc, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("encoding.coverage.write")) {
            Files.writeString(DOC, doc, StandardCharsets.UTF_8);
        }

        assertThat(unmatched).as("corpus instructions in no row of encodings.txt").isEmpty();
        assertThat(misnamed).as("corpus instructions objdump names otherwise than encodings.txt").isEmpty();
        assertThat(empty).as("rows of encodings.txt without a case").isEmpty();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as(DOC + " is stale: run this test with -Dencoding.coverage.write=true").isEqualTo(doc);
    }

    private static String document(Properties manifest, Map<EncodingTable.Row, Count> counts, int cases,
            int instructions) {
        long hit = counts.values().stream().filter(c -> c.instructions > 0).count();
        StringBuilder sb = new StringBuilder();
        sb.append("# Encoding coverage of the differential fuzz corpus\n\n");
        sb.append("Generated by `EncodingCoverageTest` from the reference table ")
          .append("`emulator-core/src/test/resources/fuzz/encodings.txt` (every ARMv7E-M Thumb and FPv4-SP encoding, ")
          .append("from the encoding diagrams of DDI 0403E) and the committed corpus (generator version ")
          .append(manifest.getProperty("generator.version")).append(", seed ").append(manifest.getProperty("seed"))
          .append("). Regenerate with\n\n")
          .append("    mvn -q -o -pl emulator-core test -Dtest=EncodingCoverageTest -Dencoding.coverage.write=true\n\n")
          .append("An instruction belongs to the matching rows with the most fixed bits; its case counts for each of them.\n")
          .append("Every case runs interpreted and compiled against QEMU's recording (`FuzzReplayTest`).\n\n");
        sb.append("| rows | rows with cases | cases | instructions |\n|---|---|---|---|\n");
        sb.append("| ").append(counts.size()).append(" | ").append(hit).append(" | ").append(cases).append(" | ")
          .append(instructions).append(" |\n\n");
        sb.append("| entry | encoding | pattern | cases | instructions |\n|---|---|---|---|---|\n");
        for (Map.Entry<EncodingTable.Row, Count> e : counts.entrySet()) {
            EncodingTable.Row r = e.getKey();
            sb.append("| ").append(r.entry()).append(" | ").append(r.encoding()).append(" | `")
              .append(r.pattern().replace("|", "\\|")).append("` | ").append(e.getValue().cases.size()).append(" | ")
              .append(e.getValue().instructions).append(" |\n");
        }
        return sb.toString();
    }

    private static InputStream resource(String name) {
        InputStream in = EncodingCoverageTest.class.getResourceAsStream("/fuzz/" + name);
        if (in == null) throw new IllegalStateException("fuzz/" + name + " is not on the test class path");
        return in;
    }

    private static List<String> gunzipLines(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(resource(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
