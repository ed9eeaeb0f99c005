package org.metertwin.core.cpu;

/**
 * The data-processing pseudocode of the ARMv7-M ARM (DDI 0403E, A2.2.1 shifts, A2.2.1 AddWithCarry, A7.4.2
 * Shift and Shift_C, and the bit-field and multiply operations of A7.7), written once.
 *
 * <p>The interpreter ({@link CortexM4}) calls these methods; the block compiler ({@link BlockCompiler})
 * emits calls to the same methods with the decoded constants, and HotSpot inlines them into the compiled
 * region, so an instruction's meaning exists in one place and the two execution paths cannot drift apart.
 * What the compiler still decides by itself is only what it may leave out: the flags that no later
 * instruction reads.
 *
 * <p>Shift operands come as the decoder leaves them in an instruction's {@code a} word: SRType in bits
 * 17-18 (0 LSL, 1 LSR, 2 ASR, 3 ROR) and the amount in bits 24-29, already as DecodeImmShift gives it
 * (LSR and ASR #32 are 32); ROR with amount 0 is RRX.
 */
final class Alu {
    /** The JVM name of this class, for generated code. */
    static final String OWNER = "org/metertwin/core/cpu/Alu";

    static final int SRTYPE_LSL = 0, SRTYPE_LSR = 1, SRTYPE_ASR = 2, SRTYPE_ROR = 3;

    private Alu() {
    }

    // ---------------------------------------------------------------- shifts (A2.2.1): the result

    /** LSL(x, n) for n ≥ 1; also 0 ≤ n ≤ 255, as a shift by register uses it (n ≥ 32 gives 0). */
    static int LSL(int x, int n) {
        return n < 32 ? x << n : 0;
    }

    static int LSR(int x, int n) {
        return n < 32 ? x >>> n : 0;
    }

    static int ASR(int x, int n) {
        return x >> Math.min(n, 31);
    }

    /** ROR(x, n): a rotation, so any n (Java's rotation takes n modulo 32, as the ARM ARM's does). */
    static int ROR(int x, int n) {
        return Integer.rotateRight(x, n);
    }

    static int RRX(int x, boolean carryIn) {
        return (carryIn ? 1 << 31 : 0) | (x >>> 1);
    }

    // ---------------------------------------------------------------- shifts (A2.2.1): the carry out

    /** The carry of LSL_C(x, n), n ≥ 1. */
    static boolean LSL_C(int x, int n) {
        return n <= 32 && ((x >>> (32 - n)) & 1) != 0;
    }

    static boolean LSR_C(int x, int n) {
        return n <= 32 && ((x >>> (n - 1)) & 1) != 0;
    }

    static boolean ASR_C(int x, int n) {
        return ((x >> (Math.min(n, 32) - 1)) & 1) != 0;
    }

    static boolean ROR_C(int x, int n) {
        return Integer.rotateRight(x, n) < 0;
    }

    static boolean RRX_C(int x) {
        return (x & 1) != 0;
    }

    /** Whether the shift of the {@code a} word is RRX, which reads the carry flag. */
    static boolean isRrx(int a) {
        return ((a >>> 17) & 3) == SRTYPE_ROR && ((a >>> 24) & 63) == 0;
    }

    /** The name of this class's method for a shift of SRType {@code type} by a constant (A7.4.2). */
    static String shiftName(int type, int amount) {
        if (type == SRTYPE_ROR && amount == 0) {
            return "RRX";
        }
        return switch (type) {
            case SRTYPE_LSL -> "LSL";
            case SRTYPE_LSR -> "LSR";
            case SRTYPE_ASR -> "ASR";
            default -> "ROR";
        };
    }

    // ---------------------------------------------------------------- Shift and Shift_C (A7.4.2)

    /** Shift(value, type, amount, carry_in) of a register operand shifted by a constant (the {@code a} word). */
    static int immShift(int value, int a, boolean carryIn) {
        int type = (a >>> 17) & 3, amount = (a >>> 24) & 63;
        if (amount == 0) {
            return type == SRTYPE_ROR ? RRX(value, carryIn) : value;
        }
        return shift(value, type, amount);
    }

    /** The carry of Shift_C for a register operand shifted by a constant (the {@code a} word). */
    static boolean immShiftCarry(int value, int a, boolean carryIn) {
        int type = (a >>> 17) & 3, amount = (a >>> 24) & 63;
        if (amount == 0) {
            return type == SRTYPE_ROR ? RRX_C(value) : carryIn;
        }
        return shiftCarry(value, type, amount, carryIn);
    }

    /** Shift(value, type, amount) for a shift by register: the amount is Rs[7:0], and 0 leaves the value. */
    static int shift(int value, int type, int amount) {
        return switch (type) {
            case SRTYPE_LSL -> LSL(value, amount);
            case SRTYPE_LSR -> LSR(value, amount);
            case SRTYPE_ASR -> ASR(value, amount);
            default -> ROR(value, amount);
        };
    }

    /** The carry of Shift_C(value, type, amount, carry_in); amount 0 gives carry_in. */
    static boolean shiftCarry(int value, int type, int amount, boolean carryIn) {
        if (amount == 0) {
            return carryIn;
        }
        return switch (type) {
            case SRTYPE_LSL -> LSL_C(value, amount);
            case SRTYPE_LSR -> LSR_C(value, amount);
            case SRTYPE_ASR -> ASR_C(value, amount);
            default -> ROR_C(value, amount);
        };
    }

    // ---------------------------------------------------------------- flags

    /** AddWithCarry(x, y, carry_in) (A2.2.1), setting APSR.N, Z, C and V. */
    static int addWithCarry(ArchState s, int x, int y, int carryIn) {
        long unsigned = (x & 0xFFFFFFFFL) + (y & 0xFFFFFFFFL) + carryIn;
        int result = (int) unsigned;
        s.n = result < 0;
        s.z = result == 0;
        s.c = (unsigned >>> 32) != 0;
        s.v = ((x ^ result) & (y ^ result)) < 0;
        return result;
    }

    /** APSR.N = result&lt;31&gt;; APSR.Z = IsZeroBit(result): the flags every logical and multiply form sets. */
    static void setNZ(ArchState s, int result) {
        s.n = result < 0;
        s.z = result == 0;
    }

    /**
     * The carry a logical operation with an immediate sets: ThumbExpandImm_C's, which the decoder resolved
     * into the {@code a} word (P set: the carry is WB; P clear: C unchanged).
     */
    static boolean immCarryKnown(int a) {
        return (a & ThumbDecoder.P) != 0;
    }

    static boolean immCarry(int a) {
        return (a & ThumbDecoder.WB) != 0;
    }

    // ---------------------------------------------------------------- multiply (A7.7.74, A7.7.75, A7.7.83)

    static int MLA(int n, int m, int acc) {
        return n * m + acc;
    }

    static int MLS(int n, int m, int acc) {
        return acc - n * m;
    }

    /** The extra cycle MLA and MLS take over MUL (Cortex-M4 TRM 3.3.1: 2 cycles). */
    static final int MULTIPLY_ACCUMULATE_EXTRA_CYCLES = 1;

    // ---------------------------------------------------------------- bit fields and moves (A7.7)

    /** MOVT: the immediate into the top halfword, the bottom one kept. */
    static int MOVT(int d, int imm16) {
        return (d & 0xFFFF) | imm16 << 16;
    }

    /** The bits lsb..msb of a bit-field instruction as a mask. */
    static int bitFieldMask(int lsb, int msb) {
        return (int) ((-1L << lsb) & ((1L << (msb + 1)) - 1));
    }

    /** BFI: n's bits [msb-lsb:0] into d's bits [msb:lsb]. */
    static int BFI(int d, int n, int lsb, int msb) {
        int mask = bitFieldMask(lsb, msb);
        return (d & ~mask) | ((n << lsb) & mask);
    }

    /** BFC: d's bits [msb:lsb] cleared. */
    static int BFC(int d, int lsb, int msb) {
        return d & ~bitFieldMask(lsb, msb);
    }

    static int SBFX(int n, int lsb, int width) {
        return (n << (32 - lsb - width)) >> (32 - width);
    }

    static int UBFX(int n, int lsb, int width) {
        return (n << (32 - lsb - width)) >>> (32 - width);
    }
}
