package org.metertwin.core.cpu;

/** Executes FPv4-SP operations (placeholder until the FP library lands). */
final class FpExecutor {
    private FpExecutor() {
    }

    static int execute(CortexM4 cpu, int op, int a, int b, int pc, int npc) {
        throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
    }
}
