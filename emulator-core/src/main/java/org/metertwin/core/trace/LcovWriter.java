package org.metertwin.core.trace;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.metertwin.core.dwarf.LineRow;
import org.metertwin.core.elf.ElfSymbol;
import org.metertwin.core.elf.SymbolTable;

/**
 * Writes coverage as an lcov tracefile (geninfo(1) "TRACEFILE FORMAT"), one record per source file.
 *
 * <p>Rules (docs/trace-coverage.md): a line has code when a line-table row (other than an end of sequence)
 * names it; its count is the largest execution count among the first instructions of its rows, that is the
 * number of times the most-executed piece of code that starts that line ran. Line 0 (compiler-made code) is
 * left out. Functions are the ELF's sized STT_FUNC symbols whose address has a row: FN gives the line of the
 * row covering the function's first instruction, FNDA the executions of that instruction.
 */
public final class LcovWriter {
    private LcovWriter() {
    }

    /** Per source file: line to count, and function name to (line, count). */
    private static final class FileRecord {
        final TreeMap<Integer, Long> lines = new TreeMap<>();
        final TreeMap<String, long[]> functions = new TreeMap<>();
    }

    public static void write(Writer out, String testName, List<LineRow> rows, SymbolTable symbols,
                             CoverageCollector coverage) throws IOException {
        Map<String, FileRecord> files = new TreeMap<>();
        for (LineRow r : rows) {
            if (r.endSequence() || r.line() == 0) {
                continue;
            }
            files.computeIfAbsent(r.file(), f -> new FileRecord()).lines
                    .merge(r.line(), coverage.count(r.address()), Math::max);
        }
        TreeMap<Long, LineRow> starts = rowStarts(rows);
        for (ElfSymbol s : symbols.symbols()) {
            if (s.type() != ElfSymbol.STT_FUNC || s.size() == 0) {
                continue;
            }
            Map.Entry<Long, LineRow> covering = starts.floorEntry(s.address() & 0xFFFFFFFFL);
            LineRow row = covering == null || covering.getValue().endSequence() ? null : covering.getValue();
            if (row != null) {
                files.computeIfAbsent(row.file(), f -> new FileRecord()).functions
                        .putIfAbsent(s.name(), new long[] {row.line(), coverage.count(s.address())});
            }
        }
        for (Map.Entry<String, FileRecord> e : files.entrySet()) {
            FileRecord f = e.getValue();
            out.write("TN:" + testName + "\n");
            out.write("SF:" + e.getKey() + "\n");
            int hit = 0;
            for (Map.Entry<String, long[]> fn : f.functions.entrySet()) {
                out.write("FN:" + fn.getValue()[0] + "," + fn.getKey() + "\n");
            }
            for (Map.Entry<String, long[]> fn : f.functions.entrySet()) {
                out.write("FNDA:" + fn.getValue()[1] + "," + fn.getKey() + "\n");
                hit += fn.getValue()[1] > 0 ? 1 : 0;
            }
            out.write("FNF:" + f.functions.size() + "\n");
            out.write("FNH:" + hit + "\n");
            hit = 0;
            for (Map.Entry<Integer, Long> l : f.lines.entrySet()) {
                out.write("DA:" + l.getKey() + "," + l.getValue() + "\n");
                hit += l.getValue() > 0 ? 1 : 0;
            }
            out.write("LF:" + f.lines.size() + "\n");
            out.write("LH:" + hit + "\n");
            out.write("end_of_record\n");
        }
    }

    /**
     * The row each address range starts with: the first row at each address, an end of sequence where no
     * row starts (the floor entry of an address is then the row whose range holds it, or an end marker).
     */
    private static TreeMap<Long, LineRow> rowStarts(List<LineRow> rows) {
        TreeMap<Long, LineRow> starts = new TreeMap<>();
        for (LineRow r : rows) {
            long a = r.address() & 0xFFFFFFFFL;
            LineRow old = starts.get(a);
            if (old == null || (old.endSequence() && !r.endSequence())) {
                starts.put(a, r);
            }
        }
        return starts;
    }

    /** A test name lcov accepts (letters, digits and underscores) made from the ELF's file name. */
    public static String testName(String elfFileName) {
        String base = elfFileName.replaceAll(".*[/\\\\]", "").replaceAll("\\.elf$", "");
        String name = base.replaceAll("[^A-Za-z0-9_]", "_");
        return name.isEmpty() ? "firmware" : name;
    }
}
