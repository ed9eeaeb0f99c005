package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The edge cases of the ARMv7-M ARM's shift and add pseudocode (DDI 0403E A2.2.1), worked out by hand from
 * its definitions: LSL_C(x, n) = (x:Zeros(n))[31:0] with carry x<32-n>; LSR_C carry x<n-1>; ASR_C
 * sign-extends; ROR_C carry = result<31>; RRX_C shifts the carry in at the top; shifts by register of 32 and
 * more; AddWithCarry's unsigned and signed overflow.
 */
class AluTest {
    private static int a(int type, int amount) {
        return type << 17 | amount << 24;
    }

    @Test
    void shiftsByAConstant() {
        assertThat(Alu.LSL(0x80000001, 1)).isEqualTo(2);
        assertThat(Alu.LSL_C(0x80000001, 1)).isTrue();
        assertThat(Alu.LSL_C(0x7FFFFFFF, 1)).isFalse();
        assertThat(Alu.LSR(0x80000000, 32)).isZero(); // LSR #32 is encoded as imm5 = 0
        assertThat(Alu.LSR_C(0x80000000, 32)).isTrue();
        assertThat(Alu.LSR_C(0x00000002, 1)).isFalse();
        assertThat(Alu.ASR(0x80000000, 32)).isEqualTo(0xFFFFFFFF);
        assertThat(Alu.ASR_C(0x80000000, 32)).isTrue();
        assertThat(Alu.ASR(0x80000010, 4)).isEqualTo(0xF8000001);
        assertThat(Alu.ASR_C(0x80000008, 4)).isTrue();
        assertThat(Alu.ROR(0x0000000F, 4)).isEqualTo(0xF0000000);
        assertThat(Alu.ROR_C(0x0000000F, 4)).isTrue();
        assertThat(Alu.ROR_C(0x0000000E, 1)).isFalse();
    }

    @Test
    void rrxIsRorByZeroInTheImmediateForm() {
        int rrx = a(Alu.SRTYPE_ROR, 0);
        assertThat(Alu.isRrx(rrx)).isTrue();
        assertThat(Alu.immShift(0x00000003, rrx, true)).isEqualTo(0x80000001);
        assertThat(Alu.immShift(0x00000003, rrx, false)).isEqualTo(0x00000001);
        assertThat(Alu.immShiftCarry(0x00000003, rrx, false)).isTrue();
        assertThat(Alu.immShiftCarry(0x00000002, rrx, true)).isFalse();
        // LSL #0 is no shift: value and carry unchanged
        assertThat(Alu.immShift(0x12345678, a(Alu.SRTYPE_LSL, 0), true)).isEqualTo(0x12345678);
        assertThat(Alu.immShiftCarry(0x12345678, a(Alu.SRTYPE_LSL, 0), true)).isTrue();
        assertThat(Alu.immShiftCarry(0x12345678, a(Alu.SRTYPE_LSL, 0), false)).isFalse();
    }

    @Test
    void shiftsByRegisterTakeAmountsUpTo255() {
        assertThat(Alu.shift(0xFFFFFFFF, Alu.SRTYPE_LSL, 0)).isEqualTo(0xFFFFFFFF);
        assertThat(Alu.shiftCarry(0xFFFFFFFF, Alu.SRTYPE_LSL, 0, false)).isFalse(); // amount 0: carry_in
        assertThat(Alu.shift(0x00000001, Alu.SRTYPE_LSL, 32)).isZero();
        assertThat(Alu.shiftCarry(0x00000001, Alu.SRTYPE_LSL, 32, false)).isTrue();
        assertThat(Alu.shiftCarry(0xFFFFFFFF, Alu.SRTYPE_LSL, 33, true)).isFalse();
        assertThat(Alu.shift(0x80000000, Alu.SRTYPE_LSR, 200)).isZero();
        assertThat(Alu.shiftCarry(0x80000000, Alu.SRTYPE_LSR, 33, true)).isFalse();
        assertThat(Alu.shift(0x80000000, Alu.SRTYPE_ASR, 255)).isEqualTo(0xFFFFFFFF);
        assertThat(Alu.shiftCarry(0x80000000, Alu.SRTYPE_ASR, 255, false)).isTrue();
        // ROR by a multiple of 32 leaves the value; the carry is its bit 31
        assertThat(Alu.shift(0x80000001, Alu.SRTYPE_ROR, 64)).isEqualTo(0x80000001);
        assertThat(Alu.shiftCarry(0x80000001, Alu.SRTYPE_ROR, 64, false)).isTrue();
        assertThat(Alu.shift(0x00000001, Alu.SRTYPE_ROR, 33)).isEqualTo(0x80000000);
    }

    @Test
    void addWithCarrySetsNzcv() {
        ArchState s = new ArchState();
        assertThat(Alu.addWithCarry(s, 0x7FFFFFFF, 1, 0)).isEqualTo(0x80000000);
        assertThat(new boolean[] {s.n, s.z, s.c, s.v}).containsExactly(true, false, false, true);
        assertThat(Alu.addWithCarry(s, 0xFFFFFFFF, 1, 0)).isZero();
        assertThat(new boolean[] {s.n, s.z, s.c, s.v}).containsExactly(false, true, true, false);
        // SUBS 5 - 5: 5 + NOT(5) + 1, carry set (no borrow)
        assertThat(Alu.addWithCarry(s, 5, ~5, 1)).isZero();
        assertThat(new boolean[] {s.n, s.z, s.c, s.v}).containsExactly(false, true, true, false);
        // CMP 0x80000000, 1: signed overflow
        assertThat(Alu.addWithCarry(s, 0x80000000, ~1, 1)).isEqualTo(0x7FFFFFFF);
        assertThat(new boolean[] {s.n, s.z, s.c, s.v}).containsExactly(false, false, true, true);
    }

    @Test
    void bitFields() {
        assertThat(Alu.UBFX(0xABCD1234, 8, 8)).isEqualTo(0x12);
        assertThat(Alu.SBFX(0xABCD8234, 12, 4)).isEqualTo(0xFFFFFFF8);
        assertThat(Alu.BFI(0xFFFFFFFF, 0x0, 4, 11)).isEqualTo(0xFFFFF00F);
        assertThat(Alu.BFI(0x00000000, 0xFFF5, 28, 31)).isEqualTo(0x50000000);
        assertThat(Alu.BFC(0xFFFFFFFF, 0, 31)).isZero();
        assertThat(Alu.MOVT(0x1234ABCD, 0xFFFF)).isEqualTo(0xFFFFABCD);
        assertThat(Alu.MLS(3, 4, 20)).isEqualTo(8);
        assertThat(Alu.MLA(3, 4, 20)).isEqualTo(32);
    }
}
