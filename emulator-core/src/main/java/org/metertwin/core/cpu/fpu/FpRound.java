package org.metertwin.core.cpu.fpu;

import static org.metertwin.core.cpu.fpu.Fpscr.AHP;
import static org.metertwin.core.cpu.fpu.Fpscr.FZ;
import static org.metertwin.core.cpu.fpu.Fpscr.IOC;
import static org.metertwin.core.cpu.fpu.Fpscr.IXC;
import static org.metertwin.core.cpu.fpu.Fpscr.OFC;
import static org.metertwin.core.cpu.fpu.Fpscr.RM;
import static org.metertwin.core.cpu.fpu.Fpscr.RN;
import static org.metertwin.core.cpu.fpu.Fpscr.RP;
import static org.metertwin.core.cpu.fpu.Fpscr.UFC;

/**
 * The ARM ARM's {@code FPRound()}: rounds an exact non-zero real to single or half precision
 * under the FPSCR rounding mode, with flush-to-zero, underflow, overflow and inexact handling.
 *
 * <p>The real is given as {@code mant * 2^exp} with {@code mant > 0}. Callers whose exact value
 * does not fit a long pass a truncated mantissa with its lowest bit forced to 1 when any bit was
 * lost ("sticky" jamming); this is exact for every rounding decision as long as at least two bits
 * separate that sticky bit from the result's last bit, which the callers guarantee.
 */
final class FpRound {
    private FpRound() {
    }

    /** FPRound(value, 32, fpscr). */
    static int single(boolean negative, long mant, int exp, FpContext c) {
        return round(negative, mant, exp, c, Fpscr.rmode(c.fpscr), 23, 8, -126, false);
    }

    /** FPRound(value, 32, fpscr) with the rounding mode overridden (e.g. round_to_nearest callers). */
    static int single(boolean negative, long mant, int exp, int rmode, FpContext c) {
        return round(negative, mant, exp, c, rmode, 23, 8, -126, false);
    }

    /** FPRound(value, 16, fpscr): no flush-to-zero; AHP changes the overflow behaviour. */
    static int half(boolean negative, long mant, int exp, FpContext c) {
        return round(negative, mant, exp, c, Fpscr.rmode(c.fpscr), 10, 5, -14, true);
    }

    private static int round(boolean negative, long mant, int exp, FpContext c, int rmode,
                             int fracBits, int expBits, int minimumExp, boolean half) {
        final int fpscr = c.fpscr;
        final int signBit = negative ? 1 << (fracBits + expBits) : 0;
        // exponent = floor(log2(value)), i.e. value = 1.xxx * 2^exponent
        final int exponent = 63 - Long.numberOfLeadingZeros(mant) + exp;

        // Flush-to-zero uses the unrounded exponent and only sets UFC (not IXC).
        if (!half && (fpscr & FZ) != 0 && exponent < minimumExp) {
            c.fpscr |= UFC;
            return signBit;
        }

        int biasedExp = Math.max(exponent - minimumExp + 1, 0);
        // Weight of the result's last mantissa bit: normal or denormal.
        final int lsbExp = Math.max(exponent, minimumExp) - fracBits;
        final int shift = lsbExp - exp;

        long intMant;
        boolean inexact;
        int vsHalf; // sign of (error - 0.5 ulp)
        if (shift <= 0) {
            intMant = mant << -shift;
            inexact = false;
            vsHalf = -1;
        } else if (shift >= 64) {
            intMant = 0;
            inexact = true;
            vsHalf = -1; // mant < 2^63 <= half an ulp
        } else {
            intMant = mant >>> shift;
            final long rem = mant & ((1L << shift) - 1);
            inexact = rem != 0;
            vsHalf = Long.compare(rem, 1L << (shift - 1));
        }

        final boolean roundUp;
        final boolean overflowToInf;
        if (rmode == RN) {
            roundUp = vsHalf > 0 || (vsHalf == 0 && (intMant & 1) != 0);
            overflowToInf = true;
        } else if (rmode == RP) {
            roundUp = inexact && !negative;
            overflowToInf = !negative;
        } else if (rmode == RM) {
            roundUp = inexact && negative;
            overflowToInf = negative;
        } else {
            roundUp = false;
            overflowToInf = false;
        }

        // Underflow: tiny before rounding, and inexact.
        if (biasedExp == 0 && inexact) {
            c.fpscr |= UFC;
        }

        if (roundUp) {
            intMant++;
            if (intMant == 1L << fracBits) {          // denormal rounded up to the smallest normal
                biasedExp = 1;
            }
            if (intMant == 1L << (fracBits + 1)) {    // mantissa overflow: renormalise
                biasedExp++;
                intMant >>>= 1;
            }
        }

        final int fracMask = (1 << fracBits) - 1;
        int result;
        if (!half || (fpscr & AHP) == 0) {
            if (biasedExp >= (1 << expBits) - 1) {
                c.fpscr |= OFC;
                inexact = true;
                result = overflowToInf
                        ? signBit | (((1 << expBits) - 1) << fracBits)                // infinity
                        : signBit | (((1 << expBits) - 2) << fracBits) | fracMask;     // max normal
            } else {
                result = signBit | (biasedExp << fracBits) | ((int) intMant & fracMask);
            }
        } else {
            // Alternative half precision has no infinity: saturate with Invalid Operation, not inexact.
            if (biasedExp >= 1 << expBits) {
                c.fpscr |= IOC;
                inexact = false;
                result = signBit | 0x7FFF;
            } else {
                result = signBit | (biasedExp << fracBits) | ((int) intMant & fracMask);
            }
        }
        if (inexact) {
            c.fpscr |= IXC;
        }
        return result;
    }
}
