package org.metertwin.core.cpu;

import org.metertwin.core.cpu.fpu.FpContext;
import org.metertwin.core.cpu.fpu.Vfp;

/**
 * Executes FPv4-SP operations decoded by {@link FpDecoder}. The arithmetic itself is in {@link Vfp}; this
 * class moves operands between registers and memory and applies the CPACR, lazy-stacking and CONTROL.FPCA
 * rules that every FP instruction triggers.
 */
final class FpExecutor {
    // data-processing kinds (low 8 bits of operand b)
    static final int VMLA = 0, VMLS = 1, VNMLA = 2, VNMLS = 3, VMUL = 4, VNMUL = 5, VADD = 6, VSUB = 7, VDIV = 8,
            VFMA = 9, VFMS = 10, VFNMA = 11, VFNMS = 12, VABS = 13, VNEG = 14, VSQRT = 15, VCVT_F32_F16 = 16,
            VCVT_F16_F32 = 17, VCMP = 18, VCMP_ZERO = 19, VCVT_FROM_INT = 20, VCVT_TO_INT = 21,
            VCVT_TO_FIXED = 22, VCVT_FROM_FIXED = 23;

    private FpExecutor() {
    }

    static int execute(CortexM4 cpu, int op, int a, int b, int pc, int npc) {
        cpu.fpCheckAndActivate();
        final int[] s = cpu.state.s;
        final FpContext fp = cpu.state.fp;
        switch (op) {
            case Op.VFP_DP -> {
                dataProcessing(cpu, s, fp, a, b);
                int kind = b & 0xFF;
                cpu.cycles += kind == VDIV || kind == VSQRT ? 13 : kind <= VNMLS || (kind >= VFMA && kind <= VFNMS) ? 2 : 0;
            }
            case Op.VMOV_IMM -> s[a & 31] = Vfp.expandImm(b);
            case Op.VMOV_REG -> s[a & 31] = s[(a >>> 10) & 31];
            case Op.VMOV_CORE_S -> cpu.state.r[(a >>> 15) & 15] = s[a & 31];
            case Op.VMOV_S_CORE -> s[a & 31] = cpu.state.r[(a >>> 15) & 15];
            case Op.VMOV_2CORE_2S -> {
                cpu.state.r[(a >>> 15) & 15] = s[a & 31];
                cpu.state.r[(a >>> 20) & 15] = s[(a & 31) + 1];
            }
            case Op.VMOV_2S_2CORE -> {
                s[a & 31] = cpu.state.r[(a >>> 15) & 15];
                s[(a & 31) + 1] = cpu.state.r[(a >>> 20) & 15];
            }
            case Op.VMRS -> {
                int rt = (a >>> 15) & 15;
                if (rt == 15) {
                    int f = fp.fpscr;
                    cpu.state.n = f < 0;
                    cpu.state.z = (f & (1 << 30)) != 0;
                    cpu.state.c = (f & (1 << 29)) != 0;
                    cpu.state.v = (f & (1 << 28)) != 0;
                } else {
                    cpu.state.r[rt] = fp.fpscr;
                }
            }
            case Op.VMSR -> fp.fpscr = cpu.state.r[(a >>> 15) & 15] & 0xF7C0009F;
            case Op.VLDR, Op.VSTR -> {
                int rn = (a >>> 10) & 15;
                int base = rn == 15 ? (pc + 4) & ~3 : cpu.state.r[rn];
                int addr = (a & (1 << 22)) != 0 ? base + b : base - b;
                int first = a & 31, words = (a >>> 23) & 3;
                for (int i = 0; i < words; i++) {
                    if (op == Op.VLDR) {
                        s[first + i] = cpu.load32(addr + 4 * i);
                    } else {
                        cpu.store32(addr + 4 * i, s[first + i]);
                    }
                }
                cpu.cycles += words;
            }
            case Op.VLDM, Op.VSTM -> {
                int rn = (a >>> 10) & 15;
                boolean up = (a & (1 << 22)) != 0, wback = (a & (1 << 21)) != 0;
                int first = a & 31, words = b;
                int base = cpu.state.r[rn];
                int addr = up ? base : base - 4 * words;
                for (int i = 0; i < words; i++) {
                    if (op == Op.VLDM) {
                        s[first + i] = cpu.load32(addr + 4 * i);
                    } else {
                        cpu.store32(addr + 4 * i, s[first + i]);
                    }
                }
                if (wback) {
                    cpu.state.r[rn] = up ? base + 4 * words : base - 4 * words;
                }
                cpu.cycles += words;
            }
            default -> throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
        }
        return npc;
    }

    private static void dataProcessing(CortexM4 cpu, int[] s, FpContext fp, int a, int b) {
        int d = a & 31, n = (a >>> 5) & 31, m = (a >>> 10) & 31;
        int kind = b & 0xFF;
        switch (kind) {
            case VMLA -> s[d] = Vfp.mulAdd(s[d], s[n], s[m], fp);
            case VMLS -> s[d] = Vfp.mulSub(s[d], s[n], s[m], fp);
            case VNMLA -> s[d] = Vfp.negMulAdd(s[d], s[n], s[m], fp);
            case VNMLS -> s[d] = Vfp.negMulSub(s[d], s[n], s[m], fp);
            case VMUL -> s[d] = Vfp.mul(s[n], s[m], fp);
            case VNMUL -> s[d] = Vfp.nmul(s[n], s[m], fp);
            case VADD -> s[d] = Vfp.add(s[n], s[m], fp);
            case VSUB -> s[d] = Vfp.sub(s[n], s[m], fp);
            case VDIV -> s[d] = Vfp.div(s[n], s[m], fp);
            case VFMA -> s[d] = Vfp.fusedMulAdd(s[d], s[n], s[m], fp);
            case VFMS -> s[d] = Vfp.fusedMulSub(s[d], s[n], s[m], fp);
            case VFNMA -> s[d] = Vfp.fusedNegMulAdd(s[d], s[n], s[m], fp);
            case VFNMS -> s[d] = Vfp.fusedNegMulSub(s[d], s[n], s[m], fp);
            case VABS -> s[d] = Vfp.abs(s[m]);
            case VNEG -> s[d] = Vfp.neg(s[m]);
            case VSQRT -> s[d] = Vfp.sqrt(s[m], fp);
            case VCVT_F32_F16 -> {
                int top = (b >>> 8) & 1;
                s[d] = Vfp.fromHalf(top != 0 ? s[m] >>> 16 : s[m] & 0xFFFF, fp);
            }
            case VCVT_F16_F32 -> {
                int top = (b >>> 8) & 1;
                int h = Vfp.toHalf(s[m], fp) & 0xFFFF;
                s[d] = top != 0 ? (s[d] & 0xFFFF) | h << 16 : (s[d] & 0xFFFF0000) | h;
            }
            case VCMP, VCMP_ZERO -> {
                boolean quietNanExc = ((b >>> 8) & 1) != 0;
                int flags = Vfp.compare(s[d], kind == VCMP ? s[m] : 0, quietNanExc, fp);
                fp.fpscr = (fp.fpscr & 0x0FFFFFFF) | (flags & 0xF0000000);
            }
            case VCVT_FROM_INT -> s[d] = Vfp.fromInt(s[m], ((b >>> 8) & 1) == 0, fp);
            case VCVT_TO_INT -> s[d] = Vfp.toInt(s[m], ((b >>> 8) & 1) == 0, ((b >>> 9) & 1) != 0, fp);
            case VCVT_TO_FIXED -> {
                boolean unsigned = ((b >>> 8) & 1) != 0;
                int size = ((b >>> 9) & 1) != 0 ? 32 : 16;
                int r = Vfp.toFixed(s[d], (b >>> 10) & 63, size, unsigned, fp);
                s[d] = size == 16 ? (unsigned ? r & 0xFFFF : (short) r) : r;
            }
            case VCVT_FROM_FIXED -> {
                boolean unsigned = ((b >>> 8) & 1) != 0;
                int size = ((b >>> 9) & 1) != 0 ? 32 : 16;
                int src = size == 16 ? (unsigned ? s[d] & 0xFFFF : (short) s[d]) : s[d];
                s[d] = Vfp.fromFixed(src, (b >>> 10) & 63, size, unsigned, fp);
            }
            default -> throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
        }
    }
}
