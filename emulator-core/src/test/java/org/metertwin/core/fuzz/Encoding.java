package org.metertwin.core.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * One instruction encoding template in the style of dynarmic's fuzzers: a bit pattern such as
 * {@code "11110i0o ooosnnnn 0iiidddd iiiiiiii"} where '0'/'1' are fixed bits and each letter names a field
 * whose value is the concatenation of its bits in pattern order. Roles (general register, base register,
 * register list...) tell the generator how to choose field values; predicates exclude the UNPREDICTABLE and
 * UNDEFINED corners of DDI 0403E so that every generated instruction has one architected result.
 */
final class Encoding {

    /** Where a memory access's base register points. */
    enum BaseKind { NONE, REGISTER, SP, PC }

    final String group;
    final String name;
    final int width;            // 16 or 32
    final int fixedMask;
    final int fixedBits;
    private final int[][] fieldBits = new int[128][];  // letter -> bit positions, most significant first

    String regs = "";           // fields that are general registers (3 bits: r0-r7, 4 bits: r0-r12)
    String spOk = "";           // register fields that may also name SP (read only)
    String writes = "";         // register fields the instruction writes
    ToIntFunction<Fields> extraWrites = f -> 0;   // further written registers as a mask (lists, writeback)
    char base;                  // base register field, or 0
    BaseKind baseKind = BaseKind.NONE;
    int baseAlign = 1;          // alignment the base register's value must have
    char index;                 // index register field (small value), or 0
    char fpscrValue;            // register whose value is written to FPSCR (VMSR): valid bits only
    final List<Predicate<Fields>> valid = new ArrayList<>();
    final List<int[]> ranges = new ArrayList<>();       // {letter, lo, hi}
    final List<int[]> choices = new ArrayList<>();      // {letter, v0, v1, ...}
    Consumer<Fields> post = f -> { };
    Function<Fields, String> namer;
    boolean itOk = true;        // may stand inside an IT block
    boolean branch;             // forward branch: the generator sets field 'i' to offset/2 afterwards
    boolean conditionalBranch;  // B<c> T1/T3 and CBZ/CBNZ: never inside an IT block
    boolean writesSp;
    ToIntFunction<Fields> spMove = f -> 0;  // largest change of SP it can make (bounded SP destinations)
    boolean endsCase;           // raises an exception: the last instruction of its snippet
    boolean writesLr;           // BL, BLX: the snippet ends with harness_back_lr

    Encoding(String group, String name, String pattern) {
        this.group = group;
        this.name = name;
        String p = pattern.replace(" ", "").replace("_", "");
        if (p.length() != 16 && p.length() != 32) {
            throw new IllegalArgumentException(name + ": pattern length " + p.length());
        }
        width = p.length();
        int mask = 0;
        int bits = 0;
        List<List<Integer>> pos = new ArrayList<>();
        for (int c = 0; c < 128; c++) pos.add(null);
        for (int k = 0; k < width; k++) {
            int bit = width - 1 - k;
            char ch = p.charAt(k);
            if (ch == '0' || ch == '1') {
                mask |= 1 << bit;
                if (ch == '1') bits |= 1 << bit;
            } else {
                if (pos.get(ch) == null) pos.set(ch, new ArrayList<>());
                pos.get(ch).add(bit);
            }
        }
        fixedMask = mask;
        fixedBits = bits;
        for (int c = 0; c < 128; c++) {
            if (pos.get(c) != null) fieldBits[c] = pos.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    // ---- fluent declarations -------------------------------------------------------------------

    Encoding regs(String letters) { regs += letters; return this; }
    Encoding writes(String letters) { writes += letters; regs(onlyNew(letters)); return this; }
    Encoding spOk(String letters) { spOk += letters; return this; }
    Encoding when(Predicate<Fields> p) { valid.add(p); return this; }
    Encoding range(char letter, int lo, int hi) { ranges.add(new int[] {letter, lo, hi}); return this; }
    Encoding oneOf(char letter, int... values) {
        int[] c = new int[values.length + 1];
        c[0] = letter;
        System.arraycopy(values, 0, c, 1, values.length);
        choices.add(c);
        return this;
    }
    Encoding extraWrites(ToIntFunction<Fields> f) { extraWrites = f; return this; }
    Encoding post(Consumer<Fields> c) { post = c; return this; }
    Encoding named(Function<Fields, String> n) { namer = n; return this; }
    Encoding base(char letter, int align) {
        base = letter; baseKind = BaseKind.REGISTER; baseAlign = align; return this;
    }
    Encoding spBase() { baseKind = BaseKind.SP; writesSp = false; return this; }
    Encoding pcBase() { baseKind = BaseKind.PC; return this; }
    Encoding index(char letter) { index = letter; return this; }
    Encoding fpscrValue(char letter) { fpscrValue = letter; regs(onlyNew(String.valueOf(letter))); return this; }
    Encoding notInIt() { itOk = false; return this; }
    Encoding branch(boolean conditional) {
        branch = true; conditionalBranch = conditional;
        if (conditional) itOk = false;
        return this;
    }
    Encoding writesSp() { writesSp = true; spMove = f -> 64; return this; }
    Encoding spMove(ToIntFunction<Fields> bound) { writesSp = true; spMove = bound; return this; }
    Encoding endsCase() { endsCase = true; itOk = false; return this; }
    Encoding writesLr() { writesLr = true; itOk = false; return this; }

    private String onlyNew(String letters) {
        StringBuilder sb = new StringBuilder();
        for (char c : letters.toCharArray()) if (regs.indexOf(c) < 0) sb.append(c);
        return sb.toString();
    }

    // ---- fields --------------------------------------------------------------------------------

    boolean hasField(char letter) { return fieldBits[letter] != null; }
    int fieldWidth(char letter) { return fieldBits[letter] == null ? 0 : fieldBits[letter].length; }

    /** Letters of all fields in first-appearance order. */
    String letters() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 128; c++) if (fieldBits[c] != null) sb.append((char) c);
        return sb.toString();
    }

    /** Encodes the field values into the instruction word (32-bit: first halfword in bits 31:16). */
    int encode(Fields f) {
        int word = fixedBits;
        for (int c = 0; c < 128; c++) {
            int[] pos = fieldBits[c];
            if (pos == null) continue;
            int v = f.get((char) c);
            for (int k = 0; k < pos.length; k++) {
                int bit = (v >>> (pos.length - 1 - k)) & 1;
                word |= bit << pos[k];
            }
        }
        return word;
    }

    /** Decodes field values from an instruction word (used by the tests to check predicates). */
    Fields decode(int word) {
        Fields f = new Fields();
        for (int c = 0; c < 128; c++) {
            int[] pos = fieldBits[c];
            if (pos == null) continue;
            int v = 0;
            for (int p : pos) v = (v << 1) | ((word >>> p) & 1);
            f.set((char) c, v);
        }
        return f;
    }

    boolean matches(int word) { return (word & fixedMask) == fixedBits; }

    String mnemonic(Fields f) { return namer == null ? name : namer.apply(f); }

    /** Mask of the general registers the instruction writes. */
    int writtenMask(Fields f) {
        int m = extraWrites.applyAsInt(f);
        for (char c : writes.toCharArray()) m |= 1 << f.get(c);
        return m;
    }

    @Override public String toString() { return group + "/" + name; }
}
