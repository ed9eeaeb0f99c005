package org.metertwin.core.cpu;

/**
 * ARMv7E-M DSP-extension data processing as pure functions (ARM ARM DDI 0403E, A7.7): parallel add/subtract,
 * saturation, SEL, USAD8, packing, extend-and-add, byte reversal. Multiplies live in {@link DspMultiply}.
 *
 * <p>Nothing here decodes instructions: the decoder passes operand register values and immediate fields,
 * and writes the results back. Operand parameters are named after the ARM ARM assembler syntax
 * ({@code rn}, {@code rm}, {@code ra}); note that QADD/QSUB/QDADD/QDSUB compute {@code Rm op Rn}.
 *
 * <p>Instructions that set the sticky Q flag or GE[3:0] report them through a caller-owned {@link Flags}
 * passed last: {@code q} is only ever set (never cleared), {@code ge} is overwritten by instructions that
 * write GE and left alone by all others. No method allocates.
 */
public final class Dsp {
    private Dsp() {
    }

    /** Mutable out-parameter for APSR.Q (sticky) and APSR.GE[3:0] (bit i = GE[i]). */
    public static final class Flags {
        public boolean q;
        public int ge;
    }

    // ---------------------------------------------------------------------------------------------
    // Saturation (pseudocode SignedSatQ, UnsignedSatQ)
    // ---------------------------------------------------------------------------------------------

    /** SignedSat(i, n): clamps i to [-2^(n-1), 2^(n-1)-1], 1 <= n <= 32. */
    public static int signedSat(long i, int n) {
        long max = (1L << (n - 1)) - 1;
        long min = -(1L << (n - 1));
        return (int) (i > max ? max : (i < min ? min : i));
    }

    /** SignedSatQ(i, n): as {@link #signedSat}, setting f.q when the value had to be clamped. */
    public static int signedSatQ(long i, int n, Flags f) {
        long max = (1L << (n - 1)) - 1;
        long min = -(1L << (n - 1));
        if (i > max) {
            f.q = true;
            return (int) max;
        }
        if (i < min) {
            f.q = true;
            return (int) min;
        }
        return (int) i;
    }

    /** UnsignedSat(i, n): clamps i to [0, 2^n-1], 0 <= n <= 31 (USAT allows n = 0: result is always 0). */
    public static int unsignedSat(long i, int n) {
        long max = (1L << n) - 1;
        return (int) (i > max ? max : (i < 0 ? 0 : i));
    }

    /** UnsignedSatQ(i, n): as {@link #unsignedSat}, setting f.q when the value had to be clamped. */
    public static int unsignedSatQ(long i, int n, Flags f) {
        long max = (1L << n) - 1;
        if (i > max) {
            f.q = true;
            return (int) max;
        }
        if (i < 0) {
            f.q = true;
            return 0;
        }
        return (int) i;
    }

    // ---------------------------------------------------------------------------------------------
    // Saturating arithmetic: QADD, QSUB, QDADD, QDSUB
    // ---------------------------------------------------------------------------------------------

    /** QADD Rd, Rm, Rn: SignedSatQ(Rm + Rn, 32). */
    public static int qadd(int rm, int rn, Flags f) {
        return signedSatQ((long) rm + rn, 32, f);
    }

    /** QSUB Rd, Rm, Rn: SignedSatQ(Rm - Rn, 32). */
    public static int qsub(int rm, int rn, Flags f) {
        return signedSatQ((long) rm - rn, 32, f);
    }

    /** QDADD Rd, Rm, Rn: SignedSatQ(Rm + SignedSatQ(2*Rn, 32), 32); Q if either step saturates. */
    public static int qdadd(int rm, int rn, Flags f) {
        int doubled = signedSatQ(2L * rn, 32, f);
        return signedSatQ((long) rm + doubled, 32, f);
    }

    /** QDSUB Rd, Rm, Rn: SignedSatQ(Rm - SignedSatQ(2*Rn, 32), 32); Q if either step saturates. */
    public static int qdsub(int rm, int rn, Flags f) {
        int doubled = signedSatQ(2L * rn, 32, f);
        return signedSatQ((long) rm - doubled, 32, f);
    }

    // ---------------------------------------------------------------------------------------------
    // SSAT, USAT, SSAT16, USAT16
    // ---------------------------------------------------------------------------------------------

    /**
     * SSAT Rd, #saturateTo, Rn {, LSL|ASR #shiftN}. {@code saturateTo} is the assembler immediate, 1..32
     * (= encoded sat_imm + 1). {@code asr} is the encoding's sh bit; shiftN is DecodeImmShift's amount
     * (LSL 0..31, ASR 1..31; ASR 32 is also accepted).
     */
    public static int ssat(int rn, int saturateTo, boolean asr, int shiftN, Flags f) {
        int operand = asr ? (rn >> Math.min(shiftN, 31)) : (rn << shiftN);
        return signedSatQ(operand, saturateTo, f);
    }

    /**
     * USAT Rd, #saturateTo, Rn {, LSL|ASR #shiftN}. {@code saturateTo} is the assembler immediate, 0..31
     * (= encoded sat_imm). The operand is treated as signed, so negative values saturate to 0.
     */
    public static int usat(int rn, int saturateTo, boolean asr, int shiftN, Flags f) {
        int operand = asr ? (rn >> Math.min(shiftN, 31)) : (rn << shiftN);
        return unsignedSatQ(operand, saturateTo, f);
    }

    /** SSAT16 Rd, #saturateTo, Rn: each signed halfword saturated to 1..16 bits (= sat_imm + 1). */
    public static int ssat16(int rn, int saturateTo, Flags f) {
        int lo = signedSatQ((short) rn, saturateTo, f);
        int hi = signedSatQ(rn >> 16, saturateTo, f);
        return pack16(lo, hi);
    }

    /** USAT16 Rd, #saturateTo, Rn: each signed halfword saturated to unsigned 0..15 bits (= sat_imm). */
    public static int usat16(int rn, int saturateTo, Flags f) {
        int lo = unsignedSatQ((short) rn, saturateTo, f);
        int hi = unsignedSatQ(rn >> 16, saturateTo, f);
        return pack16(lo, hi);
    }

    // ---------------------------------------------------------------------------------------------
    // Parallel addition and subtraction (A5.3.16 signed, A5.3.17 unsigned)
    // ---------------------------------------------------------------------------------------------

    /**
     * Executes any of the 36 parallel add/subtract instructions, {@code Rd = op(Rn, Rm)}.
     *
     * <p>Encoding T1 of all of them is {@code 11111010 1 op1:3 Rn:4 | 1111 Rd:4 0 U op2:2 Rm:4}, so pass
     * {@code op1 = (hw1 >> 4) & 7} (instruction bits[22:20]) and {@code op2 = (hw2 >> 4) & 7} (instruction
     * bits[6:4]; bit 2 of it is U, bits[1:0] are the op2 column of tables A5.3.16/A5.3.17):
     * <pre>
     *   op1: 001 ADD16, 010 ASX, 110 SAX, 101 SUB16, 000 ADD8, 100 SUB8   (011, 111: UNDEFINED)
     *   op2: 000 S, 001 Q, 010 SH, 100 U, 101 UQ, 110 UH                  (x11: UNDEFINED)
     * </pre>
     * Check {@link #isParallelAddSub} at decode time; undefined combinations throw here.
     */
    public static int parallelAddSub(int op1, int op2, int rn, int rm, Flags f) {
        switch ((op2 << 3) | op1) {
            case 0b000_001: return sadd16(rn, rm, f);
            case 0b000_010: return sasx(rn, rm, f);
            case 0b000_110: return ssax(rn, rm, f);
            case 0b000_101: return ssub16(rn, rm, f);
            case 0b000_000: return sadd8(rn, rm, f);
            case 0b000_100: return ssub8(rn, rm, f);
            case 0b001_001: return qadd16(rn, rm);
            case 0b001_010: return qasx(rn, rm);
            case 0b001_110: return qsax(rn, rm);
            case 0b001_101: return qsub16(rn, rm);
            case 0b001_000: return qadd8(rn, rm);
            case 0b001_100: return qsub8(rn, rm);
            case 0b010_001: return shadd16(rn, rm);
            case 0b010_010: return shasx(rn, rm);
            case 0b010_110: return shsax(rn, rm);
            case 0b010_101: return shsub16(rn, rm);
            case 0b010_000: return shadd8(rn, rm);
            case 0b010_100: return shsub8(rn, rm);
            case 0b100_001: return uadd16(rn, rm, f);
            case 0b100_010: return uasx(rn, rm, f);
            case 0b100_110: return usax(rn, rm, f);
            case 0b100_101: return usub16(rn, rm, f);
            case 0b100_000: return uadd8(rn, rm, f);
            case 0b100_100: return usub8(rn, rm, f);
            case 0b101_001: return uqadd16(rn, rm);
            case 0b101_010: return uqasx(rn, rm);
            case 0b101_110: return uqsax(rn, rm);
            case 0b101_101: return uqsub16(rn, rm);
            case 0b101_000: return uqadd8(rn, rm);
            case 0b101_100: return uqsub8(rn, rm);
            case 0b110_001: return uhadd16(rn, rm);
            case 0b110_010: return uhasx(rn, rm);
            case 0b110_110: return uhsax(rn, rm);
            case 0b110_101: return uhsub16(rn, rm);
            case 0b110_000: return uhadd8(rn, rm);
            case 0b110_100: return uhsub8(rn, rm);
            default: throw new IllegalArgumentException("UNDEFINED parallel add/sub op1=" + op1 + " op2=" + op2);
        }
    }

    /** True when (op1, op2), as described at {@link #parallelAddSub}, names an instruction. */
    public static boolean isParallelAddSub(int op1, int op2) {
        return (op1 & 3) != 3 && (op2 & 3) != 3 && op1 >= 0 && op1 <= 7 && op2 >= 0 && op2 <= 7;
    }

    // Halfword / byte lanes. "s" = SInt of the lane, "u" = UInt of the lane.
    private static int lo16s(int x) { return (short) x; }
    private static int hi16s(int x) { return x >> 16; }
    private static int lo16u(int x) { return x & 0xffff; }
    private static int hi16u(int x) { return x >>> 16; }
    private static int b8s(int x, int i) { return (byte) (x >> (8 * i)); }
    private static int b8u(int x, int i) { return (x >>> (8 * i)) & 0xff; }
    private static int pack16(int lo, int hi) { return (hi << 16) | (lo & 0xffff); }

    // GE bits for the two halfword lanes: GE[1:0] from the low lane, GE[3:2] from the high one.
    private static int ge16(boolean lo, boolean hi) { return (lo ? 0b0011 : 0) | (hi ? 0b1100 : 0); }

    // --- signed, modular, GE = result >= 0 ---

    public static int sadd16(int rn, int rm, Flags f) {
        int sum1 = lo16s(rn) + lo16s(rm);
        int sum2 = hi16s(rn) + hi16s(rm);
        f.ge = ge16(sum1 >= 0, sum2 >= 0);
        return pack16(sum1, sum2);
    }

    public static int sasx(int rn, int rm, Flags f) {
        int diff = lo16s(rn) - hi16s(rm);
        int sum = hi16s(rn) + lo16s(rm);
        f.ge = ge16(diff >= 0, sum >= 0);
        return pack16(diff, sum);
    }

    public static int ssax(int rn, int rm, Flags f) {
        int sum = lo16s(rn) + hi16s(rm);
        int diff = hi16s(rn) - lo16s(rm);
        f.ge = ge16(sum >= 0, diff >= 0);
        return pack16(sum, diff);
    }

    public static int ssub16(int rn, int rm, Flags f) {
        int diff1 = lo16s(rn) - lo16s(rm);
        int diff2 = hi16s(rn) - hi16s(rm);
        f.ge = ge16(diff1 >= 0, diff2 >= 0);
        return pack16(diff1, diff2);
    }

    public static int sadd8(int rn, int rm, Flags f) {
        int result = 0;
        int ge = 0;
        for (int i = 0; i < 4; i++) {
            int sum = b8s(rn, i) + b8s(rm, i);
            result |= (sum & 0xff) << (8 * i);
            if (sum >= 0) {
                ge |= 1 << i;
            }
        }
        f.ge = ge;
        return result;
    }

    public static int ssub8(int rn, int rm, Flags f) {
        int result = 0;
        int ge = 0;
        for (int i = 0; i < 4; i++) {
            int diff = b8s(rn, i) - b8s(rm, i);
            result |= (diff & 0xff) << (8 * i);
            if (diff >= 0) {
                ge |= 1 << i;
            }
        }
        f.ge = ge;
        return result;
    }

    // --- signed saturating (Q flag untouched: these saturate silently) ---

    public static int qadd16(int rn, int rm) {
        return pack16(signedSat(lo16s(rn) + lo16s(rm), 16), signedSat(hi16s(rn) + hi16s(rm), 16));
    }

    public static int qasx(int rn, int rm) {
        return pack16(signedSat(lo16s(rn) - hi16s(rm), 16), signedSat(hi16s(rn) + lo16s(rm), 16));
    }

    public static int qsax(int rn, int rm) {
        return pack16(signedSat(lo16s(rn) + hi16s(rm), 16), signedSat(hi16s(rn) - lo16s(rm), 16));
    }

    public static int qsub16(int rn, int rm) {
        return pack16(signedSat(lo16s(rn) - lo16s(rm), 16), signedSat(hi16s(rn) - hi16s(rm), 16));
    }

    public static int qadd8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (signedSat(b8s(rn, i) + b8s(rm, i), 8) & 0xff) << (8 * i);
        }
        return result;
    }

    public static int qsub8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (signedSat(b8s(rn, i) - b8s(rm, i), 8) & 0xff) << (8 * i);
        }
        return result;
    }

    // --- signed halving: result lane = (exact signed result)[16:1] or [8:1] ---

    public static int shadd16(int rn, int rm) {
        return pack16((lo16s(rn) + lo16s(rm)) >> 1, (hi16s(rn) + hi16s(rm)) >> 1);
    }

    public static int shasx(int rn, int rm) {
        return pack16((lo16s(rn) - hi16s(rm)) >> 1, (hi16s(rn) + lo16s(rm)) >> 1);
    }

    public static int shsax(int rn, int rm) {
        return pack16((lo16s(rn) + hi16s(rm)) >> 1, (hi16s(rn) - lo16s(rm)) >> 1);
    }

    public static int shsub16(int rn, int rm) {
        return pack16((lo16s(rn) - lo16s(rm)) >> 1, (hi16s(rn) - hi16s(rm)) >> 1);
    }

    public static int shadd8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (((b8s(rn, i) + b8s(rm, i)) >> 1) & 0xff) << (8 * i);
        }
        return result;
    }

    public static int shsub8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (((b8s(rn, i) - b8s(rm, i)) >> 1) & 0xff) << (8 * i);
        }
        return result;
    }

    // --- unsigned, modular: GE = carry out for sums (>= 2^16 / 2^8), no borrow for differences (>= 0) ---

    public static int uadd16(int rn, int rm, Flags f) {
        int sum1 = lo16u(rn) + lo16u(rm);
        int sum2 = hi16u(rn) + hi16u(rm);
        f.ge = ge16(sum1 >= 0x10000, sum2 >= 0x10000);
        return pack16(sum1, sum2);
    }

    public static int uasx(int rn, int rm, Flags f) {
        int diff = lo16u(rn) - hi16u(rm);
        int sum = hi16u(rn) + lo16u(rm);
        f.ge = ge16(diff >= 0, sum >= 0x10000);
        return pack16(diff, sum);
    }

    public static int usax(int rn, int rm, Flags f) {
        int sum = lo16u(rn) + hi16u(rm);
        int diff = hi16u(rn) - lo16u(rm);
        f.ge = ge16(sum >= 0x10000, diff >= 0);
        return pack16(sum, diff);
    }

    public static int usub16(int rn, int rm, Flags f) {
        int diff1 = lo16u(rn) - lo16u(rm);
        int diff2 = hi16u(rn) - hi16u(rm);
        f.ge = ge16(diff1 >= 0, diff2 >= 0);
        return pack16(diff1, diff2);
    }

    public static int uadd8(int rn, int rm, Flags f) {
        int result = 0;
        int ge = 0;
        for (int i = 0; i < 4; i++) {
            int sum = b8u(rn, i) + b8u(rm, i);
            result |= (sum & 0xff) << (8 * i);
            if (sum >= 0x100) {
                ge |= 1 << i;
            }
        }
        f.ge = ge;
        return result;
    }

    public static int usub8(int rn, int rm, Flags f) {
        int result = 0;
        int ge = 0;
        for (int i = 0; i < 4; i++) {
            int diff = b8u(rn, i) - b8u(rm, i);
            result |= (diff & 0xff) << (8 * i);
            if (diff >= 0) {
                ge |= 1 << i;
            }
        }
        f.ge = ge;
        return result;
    }

    // --- unsigned saturating (no Q) ---

    public static int uqadd16(int rn, int rm) {
        return pack16(unsignedSat(lo16u(rn) + lo16u(rm), 16), unsignedSat(hi16u(rn) + hi16u(rm), 16));
    }

    public static int uqasx(int rn, int rm) {
        return pack16(unsignedSat(lo16u(rn) - hi16u(rm), 16), unsignedSat(hi16u(rn) + lo16u(rm), 16));
    }

    public static int uqsax(int rn, int rm) {
        return pack16(unsignedSat(lo16u(rn) + hi16u(rm), 16), unsignedSat(hi16u(rn) - lo16u(rm), 16));
    }

    public static int uqsub16(int rn, int rm) {
        return pack16(unsignedSat(lo16u(rn) - lo16u(rm), 16), unsignedSat(hi16u(rn) - hi16u(rm), 16));
    }

    public static int uqadd8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= unsignedSat(b8u(rn, i) + b8u(rm, i), 8) << (8 * i);
        }
        return result;
    }

    public static int uqsub8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= unsignedSat(b8u(rn, i) - b8u(rm, i), 8) << (8 * i);
        }
        return result;
    }

    // --- unsigned halving: the exact (possibly negative) difference is halved arithmetically ---

    public static int uhadd16(int rn, int rm) {
        return pack16((lo16u(rn) + lo16u(rm)) >> 1, (hi16u(rn) + hi16u(rm)) >> 1);
    }

    public static int uhasx(int rn, int rm) {
        return pack16((lo16u(rn) - hi16u(rm)) >> 1, (hi16u(rn) + lo16u(rm)) >> 1);
    }

    public static int uhsax(int rn, int rm) {
        return pack16((lo16u(rn) + hi16u(rm)) >> 1, (hi16u(rn) - lo16u(rm)) >> 1);
    }

    public static int uhsub16(int rn, int rm) {
        return pack16((lo16u(rn) - lo16u(rm)) >> 1, (hi16u(rn) - hi16u(rm)) >> 1);
    }

    public static int uhadd8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (((b8u(rn, i) + b8u(rm, i)) >> 1) & 0xff) << (8 * i);
        }
        return result;
    }

    public static int uhsub8(int rn, int rm) {
        int result = 0;
        for (int i = 0; i < 4; i++) {
            result |= (((b8u(rn, i) - b8u(rm, i)) >> 1) & 0xff) << (8 * i);
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // SEL, USAD8, USADA8
    // ---------------------------------------------------------------------------------------------

    /** SEL Rd, Rn, Rm: byte i from Rn where GE[i] is set, else from Rm. {@code ge} is APSR.GE[3:0]. */
    public static int sel(int rn, int rm, int ge) {
        // Expand GE[3:0] to a byte mask: bit i -> byte i all ones.
        int mask = ((ge & 1) != 0 ? 0x000000ff : 0)
                | ((ge & 2) != 0 ? 0x0000ff00 : 0)
                | ((ge & 4) != 0 ? 0x00ff0000 : 0)
                | ((ge & 8) != 0 ? 0xff000000 : 0);
        return (rn & mask) | (rm & ~mask);
    }

    /** USAD8 Rd, Rn, Rm: sum of the absolute differences of the four unsigned byte pairs. */
    public static int usad8(int rn, int rm) {
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += Math.abs(b8u(rn, i) - b8u(rm, i));
        }
        return sum;
    }

    /** USADA8 Rd, Rn, Rm, Ra: Ra + USAD8(Rn, Rm), modulo 2^32. */
    public static int usada8(int rn, int rm, int ra) {
        return ra + usad8(rn, rm);
    }

    // ---------------------------------------------------------------------------------------------
    // PKHBT, PKHTB
    // ---------------------------------------------------------------------------------------------

    /** PKHBT Rd, Rn, Rm {, LSL #shiftN}: Rd = (Rm LSL shiftN)[31:16] : Rn[15:0]; shiftN 0..31. */
    public static int pkhbt(int rn, int rm, int shiftN) {
        return ((rm << shiftN) & 0xffff0000) | (rn & 0xffff);
    }

    /**
     * PKHTB Rd, Rn, Rm, ASR #shiftN: Rd = Rn[31:16] : (Rm ASR shiftN)[15:0]; shiftN 1..32 (DecodeImmShift
     * maps an encoded imm of 0 to 32).
     */
    public static int pkhtb(int rn, int rm, int shiftN) {
        return (rn & 0xffff0000) | ((rm >> Math.min(shiftN, 31)) & 0xffff);
    }

    // ---------------------------------------------------------------------------------------------
    // Extend and extend-and-add with rotation
    // ---------------------------------------------------------------------------------------------
    // rotation is the amount in bits, 0, 8, 16 or 24 (= encoded rotate field * 8).

    /** SXTB16 Rd, Rm {, ROR #rotation}: both even bytes of the rotated Rm, sign-extended to halfwords. */
    public static int sxtb16(int rm, int rotation) {
        int rotated = Integer.rotateRight(rm, rotation);
        return pack16((byte) rotated, (byte) (rotated >> 16));
    }

    /** UXTB16 Rd, Rm {, ROR #rotation}: both even bytes of the rotated Rm, zero-extended to halfwords. */
    public static int uxtb16(int rm, int rotation) {
        return Integer.rotateRight(rm, rotation) & 0x00ff00ff;
    }

    /** SXTAB16 Rd, Rn, Rm {, ROR #rotation}: per halfword, Rn + SignExtend(rotated byte), modulo 2^16. */
    public static int sxtab16(int rn, int rm, int rotation) {
        int rotated = Integer.rotateRight(rm, rotation);
        return pack16(rn + (byte) rotated, (rn >> 16) + (byte) (rotated >> 16));
    }

    /** UXTAB16 Rd, Rn, Rm {, ROR #rotation}: per halfword, Rn + ZeroExtend(rotated byte), modulo 2^16. */
    public static int uxtab16(int rn, int rm, int rotation) {
        int rotated = Integer.rotateRight(rm, rotation);
        return pack16(rn + (rotated & 0xff), (rn >>> 16) + ((rotated >>> 16) & 0xff));
    }

    /** SXTAB Rd, Rn, Rm {, ROR #rotation}. */
    public static int sxtab(int rn, int rm, int rotation) {
        return rn + (byte) Integer.rotateRight(rm, rotation);
    }

    /** SXTAH Rd, Rn, Rm {, ROR #rotation}. */
    public static int sxtah(int rn, int rm, int rotation) {
        return rn + (short) Integer.rotateRight(rm, rotation);
    }

    /** UXTAB Rd, Rn, Rm {, ROR #rotation}. */
    public static int uxtab(int rn, int rm, int rotation) {
        return rn + (Integer.rotateRight(rm, rotation) & 0xff);
    }

    /** UXTAH Rd, Rn, Rm {, ROR #rotation}. */
    public static int uxtah(int rn, int rm, int rotation) {
        return rn + (Integer.rotateRight(rm, rotation) & 0xffff);
    }

    /** SXTB Rd, Rm {, ROR #rotation} (base ARMv7-M, here for completeness of the rotate forms). */
    public static int sxtb(int rm, int rotation) {
        return (byte) Integer.rotateRight(rm, rotation);
    }

    /** SXTH Rd, Rm {, ROR #rotation}. */
    public static int sxth(int rm, int rotation) {
        return (short) Integer.rotateRight(rm, rotation);
    }

    /** UXTB Rd, Rm {, ROR #rotation}. */
    public static int uxtb(int rm, int rotation) {
        return Integer.rotateRight(rm, rotation) & 0xff;
    }

    /** UXTH Rd, Rm {, ROR #rotation}. */
    public static int uxth(int rm, int rotation) {
        return Integer.rotateRight(rm, rotation) & 0xffff;
    }

    // ---------------------------------------------------------------------------------------------
    // Reversal and count
    // ---------------------------------------------------------------------------------------------

    /** REV: byte-reverse the word. */
    public static int rev(int rm) {
        return Integer.reverseBytes(rm);
    }

    /** REV16: byte-reverse each halfword. */
    public static int rev16(int rm) {
        return ((rm >>> 8) & 0x00ff00ff) | ((rm << 8) & 0xff00ff00);
    }

    /** REVSH: byte-reverse the low halfword and sign-extend it. */
    public static int revsh(int rm) {
        return (short) (((rm & 0xff) << 8) | ((rm >>> 8) & 0xff));
    }

    /** RBIT: reverse the bit order. */
    public static int rbit(int rm) {
        return Integer.reverse(rm);
    }

    /** CLZ: count leading zeros (32 for 0). */
    public static int clz(int rm) {
        return Integer.numberOfLeadingZeros(rm);
    }
}
