package org.metertwin.core.fuzz;

/** Field values of one instruction being generated, by pattern letter, plus the IT-block context. */
final class Fields {
    private final int[] v = new int[128];
    /** True while the instruction is generated for a slot inside an IT block. */
    boolean inIt;

    int get(char letter) { return v[letter]; }
    void set(char letter, int value) { v[letter] = value; }

    /** Single-precision register number from a Vx field and its extra bit: Sx = Vx:X. */
    int s(char vx, char x) { return (v[vx] << 1) | v[x]; }

    static int bitCount(int x) { return Integer.bitCount(x); }
    static boolean has(int mask, int reg) { return ((mask >>> reg) & 1) != 0; }
}
