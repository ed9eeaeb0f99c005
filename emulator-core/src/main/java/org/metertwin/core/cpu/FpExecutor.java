package org.metertwin.core.cpu;

final class FpExecutor {
    static final int VMLA = 0, VMLS = 1, VNMLA = 2, VNMLS = 3, VMUL = 4, VNMUL = 5, VADD = 6, VSUB = 7, VDIV = 8,
            VFMA = 9, VFMS = 10, VFNMA = 11, VFNMS = 12, VABS = 13, VNEG = 14, VSQRT = 15, VCVT_F32_F16 = 16,
            VCVT_F16_F32 = 17, VCMP = 18, VCMP_ZERO = 19, VCVT_FROM_INT = 20, VCVT_TO_INT = 21,
            VCVT_TO_FIXED = 22, VCVT_FROM_FIXED = 23;
    static int execute(CortexM4 cpu, int op, int a, int b, int pc, int npc) {
        throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
    }
}
