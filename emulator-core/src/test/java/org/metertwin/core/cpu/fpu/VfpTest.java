package org.metertwin.core.cpu.fpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Named examples of the ARM ARM rules that are easy to get wrong. The exhaustive proof is
 * {@link VfpQemuVectorsTest}; these document intent and fail with a readable message.
 */
class VfpTest {
    private static final int ONE = 0x3F800000;
    private static final int MIN_DENORMAL = 0x00000001;
    private static final int SNAN = 0x7F812345;

    private static FpContext ctx(int rmode, int extra) {
        return new FpContext((rmode << Fpscr.RMODE_SHIFT) | extra);
    }

    @Test
    void directedRoundingOfAnExactTie() {
        // 1 + 2^-24 is exactly half an ulp above 1.0
        FpContext rn = ctx(Fpscr.RN, 0);
        assertThat(Vfp.add(ONE, 0x33800000, rn)).isEqualTo(ONE);               // ties to even
        FpContext rp = ctx(Fpscr.RP, 0);
        assertThat(Vfp.add(ONE, 0x33800000, rp)).isEqualTo(0x3F800001);
        assertThat(rp.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.IXC);
    }

    @Test
    void exactCancellationIsMinusZeroOnlyWhenRoundingDown() {
        assertThat(Vfp.sub(ONE, ONE, ctx(Fpscr.RN, 0))).isEqualTo(0);
        assertThat(Vfp.sub(ONE, ONE, ctx(Fpscr.RM, 0))).isEqualTo(0x80000000);
    }

    @Test
    void overflowGivesInfinityOrMaxNormalByRoundingMode() {
        FpContext rz = ctx(Fpscr.RZ, 0);
        assertThat(Vfp.mul(0x7F7FFFFF, 0x40000000, rz)).isEqualTo(0x7F7FFFFF);
        assertThat(rz.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.OFC | Fpscr.IXC);
        assertThat(Vfp.mul(0x7F7FFFFF, 0x40000000, ctx(Fpscr.RN, 0))).isEqualTo(0x7F800000);
        assertThat(Vfp.mul(0xFF7FFFFF, 0x40000000, ctx(Fpscr.RP, 0))).isEqualTo(0xFF7FFFFF);
    }

    @Test
    void flushToZeroOnInputAndOutput() {
        FpContext fz = ctx(Fpscr.RN, Fpscr.FZ);
        assertThat(Vfp.add(MIN_DENORMAL, 0, fz)).isEqualTo(0);
        assertThat(fz.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.IDC);
        FpContext out = ctx(Fpscr.RN, Fpscr.FZ);
        assertThat(Vfp.mul(0x00800000, 0x3F000000, out)).isEqualTo(0);           // 2^-127 flushed
        assertThat(out.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.UFC);      // no IXC
    }

    @Test
    void underflowNeedsTinyAndInexact() {
        FpContext exact = ctx(Fpscr.RN, 0);
        assertThat(Vfp.mul(0x00800000, 0x3F000000, exact)).isEqualTo(0x00400000);
        assertThat(exact.fpscr & Fpscr.EXCEPTION_FLAGS).isZero();
        FpContext inexact = ctx(Fpscr.RN, 0);
        Vfp.mul(0x00800001, 0x3F000000, inexact);
        assertThat(inexact.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.UFC | Fpscr.IXC);
    }

    @Test
    void nanPropagationQuietsAndPrefersSignallingNaN() {
        FpContext c = ctx(Fpscr.RN, 0);
        assertThat(Vfp.add(0x7FC00001, SNAN, c)).isEqualTo(SNAN | 0x00400000);
        assertThat(c.fpscr & Fpscr.IOC).isNotZero();
        assertThat(Vfp.add(0x7FC00001, SNAN, ctx(Fpscr.RN, Fpscr.DN))).isEqualTo(Vfp.DEFAULT_NAN);
    }

    @Test
    void negationsApplyToNaNResults() {
        // VNMUL = FPNeg(FPMul): the default NaN of inf * 0 comes out negative
        assertThat(Vfp.nmul(0x7F800000, 0, ctx(Fpscr.RN, 0))).isEqualTo(0xFFC00000);
        // VMLS negates the (NaN) product before the add
        assertThat(Vfp.mulSub(ONE, 0x7FC00001, ONE, ctx(Fpscr.RN, 0))).isEqualTo(0xFFC00001);
    }

    @Test
    void fusedMultiplyAddRoundsOnce() {
        // (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly; VMLA would lose it
        int a = 0x3F800001;
        int acc = 0xBF800002;
        assertThat(Vfp.fusedMulAdd(acc, a, a, ctx(Fpscr.RN, 0))).isEqualTo(0x28800000);
        assertThat(Vfp.mulAdd(acc, a, a, ctx(Fpscr.RN, 0))).isEqualTo(0);
    }

    @Test
    void infTimesZeroPlusQuietNaNIsInvalid() {
        FpContext c = ctx(Fpscr.RN, 0);
        assertThat(Vfp.fusedMulAdd(0x7FC00001, 0x7F800000, 0, c)).isEqualTo(Vfp.DEFAULT_NAN);
        assertThat(c.fpscr & Fpscr.IOC).isNotZero();
    }

    @Test
    void compareResults() {
        FpContext c = ctx(Fpscr.RN, 0);
        assertThat(Vfp.compare(0, 0x80000000, false, c)).isEqualTo(0x60000000);
        assertThat(Vfp.compare(0xBF800000, ONE, false, c)).isEqualTo(0x80000000);
        assertThat(Vfp.compare(ONE, 0, false, c)).isEqualTo(0x20000000);
        assertThat(Vfp.compare(0x7FC00000, ONE, false, c)).isEqualTo(0x30000000);
        assertThat(c.fpscr & Fpscr.IOC).isZero();                               // VCMP: quiet NaN is quiet
        assertThat(Vfp.compare(0x7FC00000, ONE, true, c)).isEqualTo(0x30000000);
        assertThat(c.fpscr & Fpscr.IOC).isNotZero();                            // VCMPE: it is not
    }

    @Test
    void integerConversionsSaturateWithInvalidOnly() {
        FpContext c = ctx(Fpscr.RN, 0);
        assertThat(Vfp.toInt(0x4F000000, false, true, c)).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.fpscr & Fpscr.EXCEPTION_FLAGS).isEqualTo(Fpscr.IOC);
        assertThat(Vfp.toInt(0xBF000000, true, false, ctx(Fpscr.RM, 0))).isZero();   // -0.5 -> -1 -> 0
        assertThat(Vfp.toInt(0x40200000, false, false, ctx(Fpscr.RN, 0))).isEqualTo(2); // 2.5 ties to even
        assertThat(Vfp.toInt(0x7FC00000, false, true, ctx(Fpscr.RN, 0))).isZero();
    }

    @Test
    void fixedPointConversions() {
        // VCVT.S16.F32 #8 of -1.5: -384, sign-extended
        assertThat(Vfp.toFixed(0xBFC00000, 8, 16, false, ctx(Fpscr.RN, 0))).isEqualTo(-384);
        // fixed -> float always rounds to nearest, even under RM
        assertThat(Vfp.fromFixed(0x7FFFFFFF, 1, 32, false, ctx(Fpscr.RM, 0))).isEqualTo(0x4E800000);
        // but VCVT.F32.S32 (integer) honours RMode
        assertThat(Vfp.fromInt(0x7FFFFFFF, false, ctx(Fpscr.RM, 0))).isEqualTo(0x4EFFFFFF);
        // only the low 16 bits of a 16-bit fixed operand count
        assertThat(Vfp.fromFixed(0xDEAD8000, 0, 16, false, ctx(Fpscr.RN, 0))).isEqualTo(0xC7000000);
    }

    @Test
    void halfPrecision() {
        FpContext ieee = ctx(Fpscr.RN, 0);
        assertThat(Vfp.toHalf(0x477FF000, ieee)).isEqualTo(0x7C00);            // 65520 ties up to inf
        FpContext ahp = ctx(Fpscr.RN, Fpscr.AHP);
        assertThat(Vfp.toHalf(0x477FF000, ahp)).isEqualTo(0x7C00);             // a normal number in AHP
        assertThat(Vfp.toHalf(0x7F800000, ahp)).isEqualTo(0x7FFF);
        assertThat(Vfp.toHalf(0xFFC00000, ahp)).isEqualTo(0x8000);
        assertThat(ahp.fpscr & Fpscr.IOC).isNotZero();
        assertThat(Vfp.fromHalf(0x7C00, ctx(Fpscr.RN, Fpscr.AHP))).isEqualTo(0x47800000);
        assertThat(Vfp.fromHalf(0x0001, ctx(Fpscr.RN, Fpscr.FZ))).isEqualTo(0x33800000); // never flushed
    }

    @Test
    void vmovImmediate() {
        assertThat(Vfp.expandImm(0x70)).isEqualTo(ONE);
        assertThat(Vfp.expandImm(0x00)).isEqualTo(0x40000000);
        assertThat(Vfp.expandImm(0xFF)).isEqualTo(0xBFF80000);
    }
}
