package org.metertwin.core.cpu.fpu;

import static org.metertwin.core.cpu.fpu.Fpscr.AHP;
import static org.metertwin.core.cpu.fpu.Fpscr.DN;
import static org.metertwin.core.cpu.fpu.Fpscr.DZC;
import static org.metertwin.core.cpu.fpu.Fpscr.FZ;
import static org.metertwin.core.cpu.fpu.Fpscr.IDC;
import static org.metertwin.core.cpu.fpu.Fpscr.IOC;
import static org.metertwin.core.cpu.fpu.Fpscr.IXC;
import static org.metertwin.core.cpu.fpu.Fpscr.RM;
import static org.metertwin.core.cpu.fpu.Fpscr.RN;
import static org.metertwin.core.cpu.fpu.Fpscr.RP;
import static org.metertwin.core.cpu.fpu.Fpscr.RZ;

/**
 * Bit-exact FPv4-SP (Cortex-M4 single-precision VFP) arithmetic, after the ARMv7-M ARM
 * (DDI 0403E) floating-point pseudocode: FPUnpack, FPProcessNaNs, FPAdd, FPSub, FPMul, FPMulAdd,
 * FPDiv, FPSqrt, FPCompare, FPToFixed, FixedToFP, FPSingleToHalf, FPHalfToSingle, FPRound.
 *
 * <p>All operands and results are raw IEEE 754 bit patterns in ints. Mode bits come from
 * {@link FpContext#fpscr}; exception flags are ORed into it. Exact intermediate results are kept
 * in longs (sticky-jammed where needed) and rounded by {@link FpRound}; nothing here allocates
 * or uses Java float arithmetic for results (Java only rounds to nearest).
 */
public final class Vfp {
    /** FPDefaultNaN() for single precision. */
    public static final int DEFAULT_NAN = 0x7FC00000;
    /** FPDefaultNaN() for half precision. */
    public static final int DEFAULT_NAN_HALF = 0x7E00;

    private static final int SIGN = 0x80000000;
    private static final int INF = 0x7F800000;
    private static final int QUIET = 0x00400000;

    /** FPCompare results (NZCV in bits 31..28). */
    private static final int NZCV_EQUAL = 0x6 << 28;
    private static final int NZCV_LESS = 0x8 << 28;
    private static final int NZCV_GREATER = 0x2 << 28;
    private static final int NZCV_UNORDERED = 0x3 << 28;

    private Vfp() {
    }

    // ------------------------------------------------------------------ classification

    private static boolean isNaN(int x) {
        return (x & 0x7FFFFFFF) > INF;
    }

    private static boolean isSNaN(int x) {
        return isNaN(x) && (x & QUIET) == 0;
    }

    private static boolean isInf(int x) {
        return (x & 0x7FFFFFFF) == INF;
    }

    private static boolean isZero(int x) {
        return (x & 0x7FFFFFFF) == 0;
    }

    /** Integer significand of a finite single (implicit bit included for normals). */
    private static long mant(int x) {
        int e = (x >>> 23) & 0xFF;
        int f = x & 0x7FFFFF;
        return e == 0 ? f : f | 0x800000;
    }

    /** Exponent of the significand's last bit for a finite single: x = mant(x) * 2^exp(x). */
    private static int exp(int x) {
        int e = (x >>> 23) & 0xFF;
        return (e == 0 ? 1 : e) - 150;
    }

    /**
     * The flush-to-zero part of FPUnpack: under FZ a single-precision denormal input reads as a
     * zero of the same sign and raises IDC.
     */
    private static int unpack(int x, FpContext c) {
        if ((x & 0x7F800000) == 0 && (x & 0x7FFFFF) != 0 && (c.fpscr & FZ) != 0) {
            c.fpscr |= IDC;
            return x & SIGN;
        }
        return x;
    }

    private static int zeroOfRoundingSign(FpContext c) {
        return Fpscr.rmode(c.fpscr) == RM ? SIGN : 0;
    }

    // ------------------------------------------------------------------ NaN processing

    /** FPProcessNaN: quiet a signalling NaN (raising IOC); DN replaces it by the default NaN. */
    private static int processNaN(int x, FpContext c) {
        if ((x & QUIET) == 0) {
            c.fpscr |= IOC;
            x |= QUIET;
        }
        return (c.fpscr & DN) != 0 ? DEFAULT_NAN : x;
    }

    /** FPProcessNaNs: signalling NaNs first, then the first quiet NaN. Returns 0 when neither is a NaN. */
    private static int processNaNs(int a, int b, FpContext c) {
        if (isSNaN(a)) {
            return processNaN(a, c);
        }
        if (isSNaN(b)) {
            return processNaN(b, c);
        }
        if (isNaN(a)) {
            return processNaN(a, c);
        }
        if (isNaN(b)) {
            return processNaN(b, c);
        }
        return 0; // never a NaN bit pattern
    }

    /** FPProcessNaNs3. Returns 0 when no operand is a NaN. */
    private static int processNaNs3(int a, int b, int d, FpContext c) {
        if (isSNaN(a)) {
            return processNaN(a, c);
        }
        if (isSNaN(b)) {
            return processNaN(b, c);
        }
        if (isSNaN(d)) {
            return processNaN(d, c);
        }
        if (isNaN(a)) {
            return processNaN(a, c);
        }
        if (isNaN(b)) {
            return processNaN(b, c);
        }
        if (isNaN(d)) {
            return processNaN(d, c);
        }
        return 0;
    }

    private static int invalid(FpContext c) {
        c.fpscr |= IOC;
        return DEFAULT_NAN;
    }

    // ------------------------------------------------------------------ exact sum

    /**
     * Rounds {@code (-1)^negA * ma * 2^ea + (-1)^negB * mb * 2^eb} for mantissas below 2^62
     * (zero allowed). An exact zero sum is +0, or -0 when rounding towards minus infinity.
     */
    private static int addExact(boolean negA, long ma, int ea, boolean negB, long mb, int eb, FpContext c) {
        if (ma == 0) {
            return mb == 0 ? zeroOfRoundingSign(c) : FpRound.single(negB, mb, eb, c);
        }
        if (mb == 0) {
            return FpRound.single(negA, ma, ea, c);
        }
        // Put both leading ones at bit 61: each has at least 13 trailing zero bits afterwards
        // (significands have at most 48 bits), which keeps the sticky jamming below exact.
        int sa = Long.numberOfLeadingZeros(ma) - 2;
        ma <<= sa;
        ea -= sa;
        int sb = Long.numberOfLeadingZeros(mb) - 2;
        mb <<= sb;
        eb -= sb;
        if (eb > ea) {
            long tm = ma;
            ma = mb;
            mb = tm;
            int te = ea;
            ea = eb;
            eb = te;
            boolean tn = negA;
            negA = negB;
            negB = tn;
        }
        int d = ea - eb;
        if (d >= 62) {
            mb = 1; // entirely below the result's precision: sticky only
        } else if (d > 0) {
            long lost = mb & ((1L << d) - 1);
            mb = (mb >>> d) | (lost != 0 ? 1 : 0);
        }
        long r;
        boolean neg = negA;
        if (negA == negB) {
            r = ma + mb; // < 2^63
        } else {
            r = ma - mb;
            if (r < 0) {
                r = -r;
                neg = !neg;
            }
        }
        if (r == 0) {
            return zeroOfRoundingSign(c);
        }
        return FpRound.single(neg, r, ea, c);
    }

    // ------------------------------------------------------------------ arithmetic

    /** VADD: FPAdd(a, b). */
    public static int add(int a, int b, FpContext c) {
        a = unpack(a, c);
        b = unpack(b, c);
        int nan = processNaNs(a, b, c);
        if (nan != 0) {
            return nan;
        }
        boolean infA = isInf(a);
        boolean infB = isInf(b);
        if (infA && infB && (a ^ b) < 0) {
            return invalid(c);
        }
        if (infA) {
            return a;
        }
        if (infB) {
            return b;
        }
        if (isZero(a) && isZero(b) && (a ^ b) >= 0) {
            return a;
        }
        return addExact(a < 0, mant(a), exp(a), b < 0, mant(b), exp(b), c);
    }

    /** VSUB: FPSub(a, b), i.e. FPAdd with the sign of b inverted (NaN operands keep their sign). */
    public static int sub(int a, int b, FpContext c) {
        a = unpack(a, c);
        b = unpack(b, c);
        int nan = processNaNs(a, b, c);
        if (nan != 0) {
            return nan;
        }
        return add(a, b ^ SIGN, c);
    }

    /** VMUL: FPMul(a, b). */
    public static int mul(int a, int b, FpContext c) {
        a = unpack(a, c);
        b = unpack(b, c);
        int nan = processNaNs(a, b, c);
        if (nan != 0) {
            return nan;
        }
        boolean infA = isInf(a);
        boolean infB = isInf(b);
        boolean zeroA = isZero(a);
        boolean zeroB = isZero(b);
        if ((infA && zeroB) || (zeroA && infB)) {
            return invalid(c);
        }
        int sign = (a ^ b) & SIGN;
        if (infA || infB) {
            return sign | INF;
        }
        if (zeroA || zeroB) {
            return sign;
        }
        return FpRound.single(sign != 0, mant(a) * mant(b), exp(a) + exp(b), c);
    }

    /** VNMUL: FPNeg(FPMul(a, b)); the negation also applies to a NaN result. */
    public static int nmul(int a, int b, FpContext c) {
        return mul(a, b, c) ^ SIGN;
    }

    /** VDIV: FPDiv(a, b). */
    public static int div(int a, int b, FpContext c) {
        a = unpack(a, c);
        b = unpack(b, c);
        int nan = processNaNs(a, b, c);
        if (nan != 0) {
            return nan;
        }
        boolean infA = isInf(a);
        boolean infB = isInf(b);
        boolean zeroA = isZero(a);
        boolean zeroB = isZero(b);
        if ((infA && infB) || (zeroA && zeroB)) {
            return invalid(c);
        }
        int sign = (a ^ b) & SIGN;
        if (infA || zeroB) {
            if (!infA) {
                c.fpscr |= DZC;
            }
            return sign | INF;
        }
        if (zeroA || infB) {
            return sign;
        }
        long ma = mant(a);
        long mb = mant(b);
        int ea = exp(a);
        int eb = exp(b);
        int na = Long.numberOfLeadingZeros(ma) - 40; // leading one to bit 23
        ma <<= na;
        ea -= na;
        int nb = Long.numberOfLeadingZeros(mb) - 40;
        mb <<= nb;
        eb -= nb;
        long num = ma << 38;          // quotient in (2^37, 2^39): at least 38 significant bits
        long q = num / mb;
        if (q * mb != num) {
            q |= 1;                   // sticky
        }
        return FpRound.single(sign != 0, q, ea - eb - 38, c);
    }

    /** VSQRT: FPSqrt(a). */
    public static int sqrt(int a, FpContext c) {
        a = unpack(a, c);
        if (isNaN(a)) {
            return processNaN(a, c);
        }
        if (isZero(a)) {
            return a;                 // sqrt(-0) = -0
        }
        if (a < 0) {
            return invalid(c);
        }
        if (isInf(a)) {
            return a;
        }
        long m = mant(a);
        int e = exp(a);
        int n = Long.numberOfLeadingZeros(m) - 40;
        m <<= n;
        e -= n;
        if ((e & 1) != 0) {
            m <<= 1;
            e--;
        }
        m <<= 36;                     // < 2^61: root has 30 or 31 bits
        e -= 36;
        long r = (long) Math.sqrt((double) m);
        while (r * r > m) {
            r--;
        }
        while ((r + 1) * (r + 1) <= m) {
            r++;
        }
        if (r * r != m) {
            r |= 1;                   // sticky
        }
        return FpRound.single(false, r, e >> 1, c);
    }

    /** VABS: sign cleared, no NaN processing and no flags. */
    public static int abs(int a) {
        return a & ~SIGN;
    }

    /** VNEG (FPNeg): sign inverted, no NaN processing and no flags. */
    public static int neg(int a) {
        return a ^ SIGN;
    }

    // ------------------------------------------------------------------ multiply-accumulate

    /** VMLA: FPAdd(acc, FPMul(a, b)), two roundings. */
    public static int mulAdd(int acc, int a, int b, FpContext c) {
        int product = mul(a, b, c);
        return add(acc, product, c);
    }

    /** VMLS: FPAdd(acc, FPNeg(FPMul(a, b))). */
    public static int mulSub(int acc, int a, int b, FpContext c) {
        int product = mul(a, b, c);
        return add(acc, neg(product), c);
    }

    /** VNMLA: FPAdd(FPNeg(acc), FPNeg(FPMul(a, b))). */
    public static int negMulAdd(int acc, int a, int b, FpContext c) {
        int product = mul(a, b, c);
        return add(neg(acc), neg(product), c);
    }

    /** VNMLS: FPAdd(FPNeg(acc), FPMul(a, b)). */
    public static int negMulSub(int acc, int a, int b, FpContext c) {
        int product = mul(a, b, c);
        return add(neg(acc), product, c);
    }

    /** VFMA: FPMulAdd(acc, a, b), acc + a*b with a single rounding. */
    public static int fusedMulAdd(int acc, int a, int b, FpContext c) {
        acc = unpack(acc, c);
        a = unpack(a, c);
        b = unpack(b, c);
        boolean infA = isInf(a);
        boolean infB = isInf(b);
        boolean zeroA = isZero(a);
        boolean zeroB = isZero(b);
        boolean invalidProduct = (infA && zeroB) || (zeroA && infB);
        int nan = processNaNs3(acc, a, b, c);
        if (isNaN(acc) && !isSNaN(acc) && invalidProduct) {
            return invalid(c);        // (inf * 0) + qNaN is invalid, unlike most qNaN inputs
        }
        if (nan != 0) {
            return nan;
        }
        boolean infAcc = isInf(acc);
        boolean zeroAcc = isZero(acc);
        int signP = (a ^ b) & SIGN;
        int signAcc = acc & SIGN;
        boolean infP = infA || infB;
        boolean zeroP = zeroA || zeroB;
        if (invalidProduct || (infAcc && infP && signAcc != signP)) {
            return invalid(c);
        }
        if (infAcc) {
            return acc;
        }
        if (infP) {
            return signP | INF;
        }
        if (zeroAcc && zeroP && signAcc == signP) {
            return acc;
        }
        long mp = zeroP ? 0 : mant(a) * mant(b);
        return addExact(signAcc != 0, mant(acc), exp(acc), signP != 0, mp, exp(a) + exp(b), c);
    }

    /** VFMS: FPMulAdd(acc, FPNeg(a), b). */
    public static int fusedMulSub(int acc, int a, int b, FpContext c) {
        return fusedMulAdd(acc, neg(a), b, c);
    }

    /** VFNMA: FPMulAdd(FPNeg(acc), FPNeg(a), b). */
    public static int fusedNegMulAdd(int acc, int a, int b, FpContext c) {
        return fusedMulAdd(neg(acc), neg(a), b, c);
    }

    /** VFNMS: FPMulAdd(FPNeg(acc), a, b). */
    public static int fusedNegMulSub(int acc, int a, int b, FpContext c) {
        return fusedMulAdd(neg(acc), a, b, c);
    }

    // ------------------------------------------------------------------ compare

    /**
     * VCMP/VCMPE: FPCompare(a, b, quietNaNExc). Returns NZCV in bits 31..28 (equal 0110, less
     * 1000, greater 0010, unordered 0011); the caller stores them in FPSCR. Flags go to
     * {@code c.fpscr} as usual. VCMP with #0.0 is {@code compare(a, 0, ...)}.
     */
    public static int compare(int a, int b, boolean quietNaNExc, FpContext c) {
        a = unpack(a, c);
        b = unpack(b, c);
        if (isNaN(a) || isNaN(b)) {
            if (quietNaNExc || isSNaN(a) || isSNaN(b)) {
                c.fpscr |= IOC;
            }
            return NZCV_UNORDERED;
        }
        // Non-NaN Java floats compare exactly, with -0 == +0.
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        if (x == y) {
            return NZCV_EQUAL;
        }
        return x < y ? NZCV_LESS : NZCV_GREATER;
    }

    // ------------------------------------------------------------------ integer and fixed point

    /** VCVT (round to zero) / VCVTR (FPSCR rounding) from F32 to S32 or U32: FPToFixed(a, 32, 0, ...). */
    public static int toInt(int a, boolean unsigned, boolean roundZero, FpContext c) {
        return fpToFixed(a, 0, 32, unsigned, roundZero ? RZ : Fpscr.rmode(c.fpscr), c);
    }

    /** VCVT from S32 or U32 to F32, rounding per FPSCR: FixedToFP(a, 32, 0, unsigned, FALSE, TRUE). */
    public static int fromInt(int a, boolean unsigned, FpContext c) {
        return fixedToFp(a, 0, 32, unsigned, Fpscr.rmode(c.fpscr), c);
    }

    /**
     * VCVT from F32 to fixed point (always rounds towards zero): FPToFixed(a, size, fracBits, ...).
     * The result is the saturated {@code size}-bit value, sign- or zero-extended to 32 bits as the
     * instruction writes it back.
     */
    public static int toFixed(int a, int fracBits, int size, boolean unsigned, FpContext c) {
        return fpToFixed(a, fracBits, size, unsigned, RZ, c);
    }

    /**
     * VCVT from fixed point to F32: FixedToFP(a&lt;size-1:0&gt;, 32, fracBits, unsigned, TRUE, TRUE).
     * Only the low {@code size} bits of {@code a} are used. The ARM ARM has this direction always
     * round to nearest, whatever FPSCR.RMode says ("The fixed-point to floating-point operation
     * uses the Round to Nearest rounding mode"); QEMU agrees.
     */
    public static int fromFixed(int a, int fracBits, int size, boolean unsigned, FpContext c) {
        return fixedToFp(a, fracBits, size, unsigned, RN, c);
    }

    /** FixedToFP with an explicit rounding mode. */
    private static int fixedToFp(int a, int fracBits, int size, boolean unsigned, int rmode, FpContext c) {
        long v;
        if (size == 16) {
            v = unsigned ? a & 0xFFFF : (short) a;
        } else {
            v = unsigned ? a & 0xFFFFFFFFL : a;
        }
        if (v == 0) {
            return 0;
        }
        boolean negative = v < 0;
        return FpRound.single(negative, negative ? -v : v, -fracBits, rmode, c);
    }

    /** FPToFixed with an explicit rounding mode. */
    private static int fpToFixed(int a, int fracBits, int size, boolean unsigned, int rmode, FpContext c) {
        a = unpack(a, c);
        if (isNaN(a)) {
            c.fpscr |= IOC;
            return 0;
        }
        boolean negative = a < 0;
        long max = unsigned ? (1L << size) - 1 : (1L << (size - 1)) - 1;
        long min = unsigned ? 0 : -(1L << (size - 1));
        if (isZero(a)) {
            return 0;
        }
        long mag;
        boolean inexact = false;
        boolean huge = false;
        if (isInf(a)) {
            huge = true;
            mag = 0;
        } else {
            long m = mant(a);
            int e = exp(a) + fracBits;
            if (e >= 0) {
                if (e > 32) {
                    huge = true;      // at least 2^33: saturates whatever the size
                    mag = 0;
                } else {
                    mag = m << e;     // < 2^57
                }
            } else {
                int sh = -e;
                int vsHalf;
                if (sh >= 64) {
                    mag = 0;
                    vsHalf = -1;
                    inexact = true;
                } else {
                    mag = m >>> sh;
                    long rem = m & ((1L << sh) - 1);
                    inexact = rem != 0;
                    vsHalf = Long.compare(rem, 1L << (sh - 1));
                }
                boolean roundUp;
                if (rmode == RN) {
                    roundUp = vsHalf > 0 || (vsHalf == 0 && (mag & 1) != 0);
                } else if (rmode == RP) {
                    roundUp = inexact && !negative;
                } else if (rmode == RM) {
                    roundUp = inexact && negative;
                } else {
                    roundUp = false;
                }
                if (roundUp) {
                    mag++;
                }
            }
        }
        long v = negative ? -mag : mag;
        if (huge || v > max || v < min) {
            c.fpscr |= IOC;           // saturation: Invalid Operation, never Inexact
            return (int) (negative ? min : max);
        }
        if (inexact) {
            c.fpscr |= IXC;
        }
        return (int) v;
    }

    // ------------------------------------------------------------------ half precision

    /**
     * VCVTB/VCVTT from F32 to F16: FPSingleToHalf(a). Returns the 16-bit result in the low half;
     * the caller merges it into the bottom or top half of the destination. Honours FPSCR.AHP.
     */
    public static int toHalf(int a, FpContext c) {
        a = unpack(a, c);
        int sign = (a >>> 16) & 0x8000;
        boolean ahp = (c.fpscr & AHP) != 0;
        if (isNaN(a)) {
            int r;
            if (ahp) {
                r = sign;             // no NaN encoding: signed zero
            } else if ((c.fpscr & DN) != 0) {
                r = DEFAULT_NAN_HALF;
            } else {
                r = sign | 0x7E00 | ((a >>> 13) & 0x1FF);
            }
            if (ahp || isSNaN(a)) {
                c.fpscr |= IOC;
            }
            return r;
        }
        if (isInf(a)) {
            if (ahp) {
                c.fpscr |= IOC;       // no infinity encoding: largest magnitude
                return sign | 0x7FFF;
            }
            return sign | 0x7C00;
        }
        if (isZero(a)) {
            return sign;
        }
        return FpRound.half(a < 0, mant(a), exp(a), c);
    }

    /**
     * VCVTB/VCVTT from F16 to F32: FPHalfToSingle(h). Uses the low 16 bits of {@code h}. Half
     * denormals are never flushed; under AHP exponent 31 is an ordinary exponent.
     */
    public static int fromHalf(int h, FpContext c) {
        int sign = (h << 16) & SIGN;
        int e = (h >>> 10) & 0x1F;
        int f = h & 0x3FF;
        if (e == 0x1F && (c.fpscr & AHP) == 0) {
            if (f == 0) {
                return sign | INF;
            }
            if ((f & 0x200) == 0) {
                c.fpscr |= IOC;       // signalling NaN
            }
            if ((c.fpscr & DN) != 0) {
                return DEFAULT_NAN;
            }
            return sign | INF | QUIET | (f << 13);
        }
        if (e == 0 && f == 0) {
            return sign;
        }
        long m = e == 0 ? f : f | 0x400;
        int ex = (e == 0 ? 1 : e) - 25;
        return FpRound.single(sign != 0, m, ex, c); // always exact
    }

    // ------------------------------------------------------------------ immediates

    /** VFPExpandImm(imm8) for single precision (VMOV.F32 Sd, #imm). */
    public static int expandImm(int imm8) {
        int sign = (imm8 >>> 7) & 1;
        int b6 = (imm8 >>> 6) & 1;
        int exp = ((b6 ^ 1) << 7) | (b6 != 0 ? 0x7C : 0) | ((imm8 >>> 4) & 3);
        return (sign << 31) | (exp << 23) | ((imm8 & 0xF) << 19);
    }
}
