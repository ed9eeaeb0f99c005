package org.metertwin.core.cpu;

/** A core's registers, xPSR and counts as one line, for tests that compare two runs step by step. */
final class CoreState {
    private CoreState() {
    }

    static String of(CortexM4 cpu) {
        StringBuilder s = new StringBuilder();
        for (int n = 0; n < 16; n++) {
            s.append(Integer.toHexString(cpu.reg(n))).append(' ');
        }
        return s.append("xpsr ").append(Integer.toHexString(cpu.state.xpsr()))
                .append(" cycles ").append(cpu.cycles())
                .append(" instructions ").append(cpu.instructions()).toString();
    }
}
