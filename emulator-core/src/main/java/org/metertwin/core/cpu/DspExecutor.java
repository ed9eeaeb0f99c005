package org.metertwin.core.cpu;

/** Executes the DSP-extension operations (placeholder until the DSP library lands). */
final class DspExecutor {
    private DspExecutor() {
    }

    static int execute(CortexM4 cpu, int op, int a, int b, int rd, int rn, int rm, int npc) {
        throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
    }
}
