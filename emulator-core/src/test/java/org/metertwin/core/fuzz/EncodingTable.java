package org.metertwin.core.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reference table of every ARMv7E-M Thumb and FPv4-SP encoding ({@code src/test/resources/fuzz/encodings.txt},
 * written from the ARM ARM's encoding diagrams, not from the generator's templates). A word belongs to the
 * matching rows with the most fixed bits, so that a special case (an SP form, CMP inside SUB) takes its
 * words away from the general row it sits in.
 */
final class EncodingTable {

    /** One encoding: its fixed bits, the ARM ARM entry and the mnemonics objdump prints for it. */
    record Row(int line, int width, int mask, int bits, int fixedBits, String pattern, String entry, String encoding,
               List<String> mnemonics) {

        boolean matches(int word, int wordWidth) {
            return wordWidth == width && (word & mask) == bits;
        }

        /** "ADD (SP plus immediate) T4". */
        String title() {
            return entry + " " + encoding;
        }

        /**
         * Whether objdump's mnemonic (the first word of its disassembly) names this encoding: a base name,
         * then optionally 's', a condition (inside an IT block) and a '.w', '.n' or '.f32'-style suffix.
         */
        boolean namedBy(String objdumpMnemonic) {
            if (mnemonics.contains("*")) return true;
            String m = objdumpMnemonic;
            int dot = m.indexOf('.');
            if (dot > 0) m = m.substring(0, dot);
            for (String base : mnemonics) {
                if (m.startsWith(base) && SUFFIX.matcher(m.substring(base.length())).matches()) return true;
            }
            return false;
        }
    }

    private static final Pattern SUFFIX = Pattern.compile("s?(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?");

    private final List<Row> rows;

    private EncodingTable(List<Row> rows) {
        this.rows = rows;
    }

    static EncodingTable load() {
        try (InputStream in = EncodingTable.class.getResourceAsStream("/fuzz/encodings.txt")) {
            if (in == null) throw new IllegalStateException("fuzz/encodings.txt is not on the test class path");
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EncodingTable parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String l = lines.get(n).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] col = l.split("\\|");
            if (col.length != 4) throw new IllegalArgumentException("encodings.txt:" + (n + 1) + ": expected 4 columns");
            Encoding bits;   // the generator's reading of a bit pattern: fixed 0/1, any other character a field
            try {
                bits = new Encoding("table", col[1].strip(), col[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("encodings.txt:" + (n + 1) + ": " + e.getMessage());
            }
            List<String> mn = new ArrayList<>();
            for (String s : col[3].split(",")) mn.add(s.strip());
            rows.add(new Row(n + 1, bits.width, bits.fixedMask, bits.fixedBits, Integer.bitCount(bits.fixedMask),
                    col[0].strip(), col[1].strip(), col[2].strip(), List.copyOf(mn)));
        }
        return new EncodingTable(Collections.unmodifiableList(rows));
    }

    List<Row> rows() {
        return rows;
    }

    /** The rows a word belongs to: of the rows it matches, those with the most fixed bits. */
    List<Row> classify(int word, int width) {
        List<Row> best = new ArrayList<>(2);
        int most = -1;
        for (Row r : rows) {
            if (!r.matches(word, width)) continue;
            if (r.fixedBits > most) {
                best.clear();
                most = r.fixedBits;
            }
            if (r.fixedBits == most) best.add(r);
        }
        return best;
    }
}
