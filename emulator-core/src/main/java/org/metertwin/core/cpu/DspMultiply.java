package org.metertwin.core.cpu;

/**
 * ARMv7E-M multiplies as pure functions (ARM ARM DDI 0403E, A7.7): the DSP halfword and dual multiplies,
 * the most-significant-word multiplies, UMAAL, and the plain long multiplies MLA/MLS/SMULL/UMULL/SMLAL/UMLAL.
 *
 * <p>Parameters follow the assembler syntax ({@code rn}, {@code rm}, {@code ra}). Selector booleans are the
 * encoding bits: {@code nHigh}/{@code mHigh} = N/M bits (use the top halfword of Rn/Rm: the T in SMLA&lt;x&gt;&lt;y&gt;),
 * {@code swap} = the M bit of the dual multiplies (the X suffix: Rm halfwords exchanged), {@code round} = the
 * R bit of SMMUL/SMMLA/SMMLS. 64-bit accumulators and results are {@code long}s holding RdHi:RdLo
 * (build with {@link #hiLo}, split with {@code (int) r} and {@code (int) (r >>> 32)}). Q is set, never
 * cleared, on the overflows the ARM ARM names; nothing here touches GE. No method allocates.
 */
public final class DspMultiply {
    private DspMultiply() {
    }

    /** RdHi:RdLo as one 64-bit value. */
    public static long hiLo(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xffffffffL);
    }

    private static int half(int x, boolean high) {
        return high ? x >> 16 : (short) x;
    }

    // Sets Q when the exact result does not survive truncation to 32 bits; returns the truncation.
    private static int truncQ(long result, Dsp.Flags f) {
        int r = (int) result;
        if (r != result) {
            f.q = true;
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------
    // Halfword multiplies
    // ---------------------------------------------------------------------------------------------

    /** SMLA&lt;x&gt;&lt;y&gt; Rd, Rn, Rm, Ra: halfword product + Ra; Q on signed 32-bit overflow. */
    public static int smlaxy(int rn, int rm, int ra, boolean nHigh, boolean mHigh, Dsp.Flags f) {
        return truncQ((long) (half(rn, nHigh) * half(rm, mHigh)) + ra, f);
    }

    /** SMUL&lt;x&gt;&lt;y&gt; Rd, Rn, Rm: signed halfword product (cannot overflow). */
    public static int smulxy(int rn, int rm, boolean nHigh, boolean mHigh) {
        return half(rn, nHigh) * half(rm, mHigh);
    }

    /** SMLAW&lt;y&gt; Rd, Rn, Rm, Ra: (Rn * halfword + (Ra &lt;&lt; 16))[47:16]; Q if that bit range overflows. */
    public static int smlawy(int rn, int rm, int ra, boolean mHigh, Dsp.Flags f) {
        long result = (long) rn * half(rm, mHigh) + ((long) ra << 16);
        return truncQ(result >> 16, f);
    }

    /** SMULW&lt;y&gt; Rd, Rn, Rm: (Rn * halfword)[47:16]. */
    public static int smulwy(int rn, int rm, boolean mHigh) {
        return (int) (((long) rn * half(rm, mHigh)) >> 16);
    }

    /** SMLAL&lt;x&gt;&lt;y&gt; RdLo, RdHi, Rn, Rm: RdHi:RdLo + halfword product, modulo 2^64. */
    public static long smlalxy(long acc, int rn, int rm, boolean nHigh, boolean mHigh) {
        return acc + half(rn, nHigh) * half(rm, mHigh);
    }

    // ---------------------------------------------------------------------------------------------
    // Dual 16x16 multiplies. product1 = Rn[15:0]*op2[15:0], product2 = Rn[31:16]*op2[31:16],
    // op2 = swap ? ROR(Rm, 16) : Rm.
    // ---------------------------------------------------------------------------------------------

    private static int product1(int rn, int rm, boolean swap) {
        return (short) rn * (swap ? rm >> 16 : (short) rm);
    }

    private static int product2(int rn, int rm, boolean swap) {
        return (rn >> 16) * (swap ? (short) rm : rm >> 16);
    }

    /** SMLAD{X} Rd, Rn, Rm, Ra: product1 + product2 + Ra; Q on overflow. */
    public static int smlad(int rn, int rm, int ra, boolean swap, Dsp.Flags f) {
        return truncQ((long) product1(rn, rm, swap) + product2(rn, rm, swap) + ra, f);
    }

    /** SMLSD{X} Rd, Rn, Rm, Ra: product1 - product2 + Ra; Q on overflow. */
    public static int smlsd(int rn, int rm, int ra, boolean swap, Dsp.Flags f) {
        return truncQ((long) product1(rn, rm, swap) - product2(rn, rm, swap) + ra, f);
    }

    /** SMUAD{X} Rd, Rn, Rm: product1 + product2; Q on overflow (only 0x8000*0x8000 twice overflows). */
    public static int smuad(int rn, int rm, boolean swap, Dsp.Flags f) {
        return truncQ((long) product1(rn, rm, swap) + product2(rn, rm, swap), f);
    }

    /** SMUSD{X} Rd, Rn, Rm: product1 - product2 (cannot overflow, Q untouched). */
    public static int smusd(int rn, int rm, boolean swap) {
        return product1(rn, rm, swap) - product2(rn, rm, swap);
    }

    /** SMLALD{X} RdLo, RdHi, Rn, Rm: RdHi:RdLo + product1 + product2, modulo 2^64. */
    public static long smlald(long acc, int rn, int rm, boolean swap) {
        return acc + product1(rn, rm, swap) + product2(rn, rm, swap);
    }

    /** SMLSLD{X} RdLo, RdHi, Rn, Rm: RdHi:RdLo + product1 - product2, modulo 2^64. */
    public static long smlsld(long acc, int rn, int rm, boolean swap) {
        return acc + product1(rn, rm, swap) - product2(rn, rm, swap);
    }

    // ---------------------------------------------------------------------------------------------
    // Most-significant-word multiplies: bits [63:32] of a 64-bit result, optionally rounded by adding
    // 0x80000000 first. Arithmetic modulo 2^64 gives the same bits as the ARM ARM's unbounded integers.
    // ---------------------------------------------------------------------------------------------

    /** SMMUL{R} Rd, Rn, Rm. */
    public static int smmul(int rn, int rm, boolean round) {
        long result = (long) rn * rm;
        if (round) {
            result += 0x80000000L;
        }
        return (int) (result >>> 32);
    }

    /** SMMLA{R} Rd, Rn, Rm, Ra: ((Ra &lt;&lt; 32) + Rn*Rm)[63:32]. */
    public static int smmla(int rn, int rm, int ra, boolean round) {
        long result = ((long) ra << 32) + (long) rn * rm;
        if (round) {
            result += 0x80000000L;
        }
        return (int) (result >>> 32);
    }

    /** SMMLS{R} Rd, Rn, Rm, Ra: ((Ra &lt;&lt; 32) - Rn*Rm)[63:32]. */
    public static int smmls(int rn, int rm, int ra, boolean round) {
        long result = ((long) ra << 32) - (long) rn * rm;
        if (round) {
            result += 0x80000000L;
        }
        return (int) (result >>> 32);
    }

    // ---------------------------------------------------------------------------------------------
    // Long and accumulate multiplies
    // ---------------------------------------------------------------------------------------------

    /** UMAAL RdLo, RdHi, Rn, Rm: Rn*Rm + RdHi + RdLo, all unsigned; cannot exceed 2^64-1. */
    public static long umaal(int rdLo, int rdHi, int rn, int rm) {
        return (rn & 0xffffffffL) * (rm & 0xffffffffL) + (rdHi & 0xffffffffL) + (rdLo & 0xffffffffL);
    }

    /** SMULL RdLo, RdHi, Rn, Rm. */
    public static long smull(int rn, int rm) {
        return (long) rn * rm;
    }

    /** UMULL RdLo, RdHi, Rn, Rm (the 64-bit product's bits, read as unsigned). */
    public static long umull(int rn, int rm) {
        return (rn & 0xffffffffL) * (rm & 0xffffffffL);
    }

    /** SMLAL RdLo, RdHi, Rn, Rm: RdHi:RdLo + Rn*Rm, modulo 2^64. */
    public static long smlal(long acc, int rn, int rm) {
        return acc + (long) rn * rm;
    }

    /** UMLAL RdLo, RdHi, Rn, Rm: RdHi:RdLo + Rn*Rm (unsigned), modulo 2^64. */
    public static long umlal(long acc, int rn, int rm) {
        return acc + umull(rn, rm);
    }

    /** MLA Rd, Rn, Rm, Ra: Ra + Rn*Rm, modulo 2^32. */
    public static int mla(int rn, int rm, int ra) {
        return rn * rm + ra;
    }

    /** MLS Rd, Rn, Rm, Ra: Ra - Rn*Rm, modulo 2^32. */
    public static int mls(int rn, int rm, int ra) {
        return ra - rn * rm;
    }
}
