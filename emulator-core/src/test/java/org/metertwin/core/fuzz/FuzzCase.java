package org.metertwin.core.fuzz;

import java.util.ArrayList;
import java.util.List;

/** One generated case: a snippet and the architectural state it starts from. */
final class FuzzCase {

    /** One instruction of a snippet. */
    static final class Instr {
        final Encoding encoding;
        final Fields fields;
        final boolean inIt;
        int word;
        String mnemonic;

        Instr(Encoding encoding, Fields fields, boolean inIt) {
            this.encoding = encoding;
            this.fields = fields;
            this.inIt = inIt;
            refresh();
        }

        void refresh() {
            word = encoding.encode(fields);
            mnemonic = encoding.mnemonic(fields);
        }

        int size() { return encoding.width / 8; }

        /** Halfwords in memory order. */
        int[] halfwords() {
            return encoding.width == 16 ? new int[] {word & 0xffff}
                : new int[] {(word >>> 16) & 0xffff, word & 0xffff};
        }

        String hex() {
            return encoding.width == 16 ? String.format("%04x", word & 0xffff) : String.format("%08x", word);
        }
    }

    final int id;
    final String group;
    final List<Instr> instrs = new ArrayList<>();
    final int[] r = new int[13];
    int apsr;
    int fpscr;
    int seed;

    FuzzCase(int id, String group) {
        this.id = id;
        this.group = group;
    }

    /** The metadata line of the .cases file: id, group, inputs, then "mnemonic hex" per instruction. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%05d %s seed=%08x apsr=%08x fpscr=%08x r=", id, group, seed, apsr, fpscr));
        for (int k = 0; k < 13; k++) sb.append(k == 0 ? "" : ",").append(String.format("%08x", r[k]));
        sb.append(" |");
        for (int k = 0; k < instrs.size(); k++) {
            Instr in = instrs.get(k);
            sb.append(k == 0 ? " " : " ; ").append(in.mnemonic).append(' ').append(in.hex());
        }
        return sb.toString();
    }
}
