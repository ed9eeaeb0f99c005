package org.metertwin.core.cpu;

import static org.metertwin.core.cpu.Op.*;

/**
 * Decodes FPv4-SP instructions (ARMv7-M ARM chapter A6): data processing, transfers between core and FP
 * registers, and extension register loads and stores. Operand word {@code a} for FP operations:
 * <pre>
 *  bits 0-4 Sd, 5-9 Sn, 10-14 Sm (single-precision register numbers), bit 19 = 32-bit instruction
 *  loads/stores: bits 0-4 first S register, bits 10-13 Rn, bit 20 P, bit 21 W, bit 22 U
 *  core transfers: bits 15-18 Rt, bits 20-23 Rt2
 * </pre>
 * Operand word {@code b} holds the data-processing kind ({@link FpExecutor} constants) and its extras.
 */
final class FpDecoder {
    private FpDecoder() {
    }

    static void decode(ThumbDecoder d, int hw1, int hw2) {
        boolean doubleSize = (hw2 & 0x100) != 0; // coprocessor 11
        if ((hw1 & 0xFF00) == 0xEE00 && (hw2 & 0x10) == 0) {
            if (doubleSize) {
                d.result(UNDEFINED, 0, 0); // no double-precision arithmetic on FPv4-SP
                return;
            }
            dataProcessing(d, hw1, hw2);
        } else if ((hw1 & 0xFF00) == 0xEE00) {
            coreTransfer(d, hw1, hw2, doubleSize);
        } else if ((hw1 & 0xFFE0) == 0xEC40) {
            twoRegisterTransfer(d, hw1, hw2, doubleSize);
        } else if ((hw1 & 0xFE00) == 0xEC00) {
            loadStore(d, hw1, hw2, doubleSize);
        } else {
            d.result(UNDEFINED, 0, 0);
        }
    }

    private static int sd(int hw1, int hw2) {
        return ((hw2 >> 12) & 15) << 1 | ((hw1 >> 6) & 1);
    }

    private static int sn(int hw1, int hw2) {
        return (hw1 & 15) << 1 | ((hw2 >> 7) & 1);
    }

    private static int sm(int hw2) {
        return (hw2 & 15) << 1 | ((hw2 >> 5) & 1);
    }

    private static void dataProcessing(ThumbDecoder d, int hw1, int hw2) {
        int opc1 = ((hw1 >> 5) & 4) | ((hw1 >> 4) & 3);
        int opc2 = hw1 & 15;
        int op = (hw2 >> 6) & 1;
        int regs = sd(hw1, hw2) | sn(hw1, hw2) << 5 | sm(hw2) << 10;
        int kind;
        switch (opc1) {
            case 0 -> kind = op == 0 ? FpExecutor.VMLA : FpExecutor.VMLS;
            case 1 -> kind = op == 0 ? FpExecutor.VNMLS : FpExecutor.VNMLA;
            case 2 -> kind = op == 0 ? FpExecutor.VMUL : FpExecutor.VNMUL;
            case 3 -> kind = op == 0 ? FpExecutor.VADD : FpExecutor.VSUB;
            case 4 -> kind = op == 0 ? FpExecutor.VDIV : -1;
            case 5 -> kind = op == 0 ? FpExecutor.VFNMS : FpExecutor.VFNMA;
            case 6 -> kind = op == 0 ? FpExecutor.VFMA : FpExecutor.VFMS;
            default -> {
                otherDataProcessing(d, hw1, hw2, opc2, regs);
                return;
            }
        }
        if (kind < 0) {
            d.result(UNDEFINED, 0, 0);
        } else {
            d.result(VFP_DP, regs, kind);
        }
    }

    private static void otherDataProcessing(ThumbDecoder d, int hw1, int hw2, int opc2, int regs) {
        int opc3 = (hw2 >> 6) & 3;
        int t = (hw2 >> 7) & 1;
        if ((opc3 & 1) == 0) {
            int imm8 = opc2 << 4 | (hw2 & 15);
            d.result(VMOV_IMM, regs & 31, imm8);
            return;
        }
        int kind;
        switch (opc2) {
            case 0 -> {
                if (opc3 == 1) {
                    d.result(VMOV_REG, regs, 0);
                    return;
                }
                kind = FpExecutor.VABS;
            }
            case 1 -> kind = opc3 == 1 ? FpExecutor.VNEG : FpExecutor.VSQRT;
            case 2 -> kind = FpExecutor.VCVT_F32_F16 | t << 8;
            case 3 -> kind = FpExecutor.VCVT_F16_F32 | t << 8;
            case 4 -> kind = FpExecutor.VCMP | t << 8;
            case 5 -> {
                if ((hw2 & 0x2F) != 0) {
                    d.result(UNDEFINED, 0, 0);
                    return;
                }
                kind = FpExecutor.VCMP_ZERO | t << 8;
            }
            case 8 -> kind = FpExecutor.VCVT_FROM_INT | t << 8; // t: signed
            case 12, 13 -> kind = FpExecutor.VCVT_TO_INT | (opc2 & 1) << 8 | t << 9; // signed, round-to-zero
            case 10, 11, 14, 15 -> {
                int toFixed = (opc2 >> 2) & 1, unsigned = opc2 & 1, size32 = t;
                int size = size32 != 0 ? 32 : 16;
                int imm5 = (hw2 & 15) << 1 | ((hw2 >> 5) & 1);
                int fracBits = size - imm5;
                if (fracBits < 0) {
                    d.result(UNDEFINED, 0, 0);
                    return;
                }
                kind = (toFixed != 0 ? FpExecutor.VCVT_TO_FIXED : FpExecutor.VCVT_FROM_FIXED) | unsigned << 8
                        | size32 << 9 | fracBits << 10;
                regs = (regs & 31) | (regs & 31) << 10; // source and destination are both Sd
            }
            default -> {
                d.result(UNDEFINED, 0, 0);
                return;
            }
        }
        d.result(VFP_DP, regs, kind);
    }

    private static void coreTransfer(ThumbDecoder d, int hw1, int hw2, boolean doubleSize) {
        int rt = (hw2 >> 12) & 15;
        int l = (hw1 >> 4) & 1;
        int a = (hw1 >> 5) & 7;
        if (!doubleSize && a == 0) { // VMOV between a core register and a single
            int sn = sn(hw1, hw2);
            if (rt == 13 || rt == 15) {
                d.result(UNDEFINED, 0, 0);
            } else {
                d.result(l != 0 ? VMOV_CORE_S : VMOV_S_CORE, sn | rt << 15, 0);
            }
        } else if (!doubleSize && a == 7 && (hw1 & 15) == 1) {
            if (l != 0) {
                d.result(rt == 13 ? UNDEFINED : VMRS, rt << 15, 0); // Rt 15: APSR_nzcv
            } else {
                d.result(rt == 13 || rt == 15 ? UNDEFINED : VMSR, rt << 15, 0);
            }
        } else if (!doubleSize && a == 7) {
            d.result(UNDEFINED, 0, 0); // other system registers (FPSID, MVFR) are not accessible here
        } else if (doubleSize && (a & 6) == 0 && ((hw2 >> 5) & 3) == 0) {
            // VMOV (ARM core register to scalar) / (scalar to ARM core register), 32-bit: Dd[x] is S(2d+x);
            // opc1 = 0x (x = bit 21), opc2 = 00, U = 0; D16-D31 do not exist on FPv4-SP-D16
            int dreg = ((hw2 >> 7) & 1) << 4 | (hw1 & 15);
            if (dreg > 15 || rt == 13 || rt == 15) {
                d.result(UNDEFINED, 0, 0);
            } else {
                d.result(l != 0 ? VMOV_CORE_S : VMOV_S_CORE, (2 * dreg + (a & 1)) | rt << 15, 0);
            }
        } else {
            d.result(UNDEFINED, 0, 0); // the other scalar forms need Advanced SIMD
        }
    }

    private static void twoRegisterTransfer(ThumbDecoder d, int hw1, int hw2, boolean doubleSize) {
        int rt = (hw2 >> 12) & 15, rt2 = hw1 & 15;
        boolean toCore = (hw1 & 0x10) != 0;
        int m = doubleSize ? ((hw2 >> 5) & 1) << 4 | (hw2 & 15) : sm(hw2);
        int first = doubleSize ? 2 * m : m;
        if (rt == 13 || rt == 15 || rt2 == 13 || rt2 == 15 || (toCore && rt == rt2) || (doubleSize && m > 15) || (!doubleSize && m == 31)) {
            d.result(UNDEFINED, 0, 0);
            return;
        }
        d.result(toCore ? VMOV_2CORE_2S : VMOV_2S_2CORE, first | rt << 15 | rt2 << 20, 0);
    }

    private static void loadStore(ThumbDecoder d, int hw1, int hw2, boolean doubleSize) {
        int p = (hw1 >> 8) & 1, u = (hw1 >> 7) & 1, w = (hw1 >> 5) & 1, l = (hw1 >> 4) & 1;
        int rn = hw1 & 15;
        int imm8 = hw2 & 0xFF;
        int first = doubleSize ? (((hw1 >> 6) & 1) << 4 | ((hw2 >> 12) & 15)) * 2 : sd(hw1, hw2);
        int a = first | rn << 10 | p << 20 | w << 21 | u << 22;
        if (p == 1 && w == 0) { // VLDR / VSTR
            int words = doubleSize ? 2 : 1;
            d.result(l != 0 ? VLDR : VSTR, a | words << 23, imm8 * 4);
            return;
        }
        if (p == u) {
            d.result(UNDEFINED, 0, 0);
            return;
        }
        int words = imm8; // for doubles imm8 counts words too (2 per register)
        if (words == 0 || first + words > 32 || (doubleSize && (imm8 & 1) != 0) || (w != 0 && rn == 15)) {
            d.result(UNDEFINED, 0, 0);
            return;
        }
        d.result(l != 0 ? VLDM : VSTM, a, words);
    }
}
