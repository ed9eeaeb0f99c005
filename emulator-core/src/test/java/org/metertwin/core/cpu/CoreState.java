package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * Runs both cores {@code steps} times by the same budgets, 1 to {@code maxBudget} cycles in no regular
     * pattern, and requires the same state after each.
     */
    static void runInStep(CortexM4 a, CortexM4 b, int steps, int maxBudget) {
        long budget = 1;
        for (int step = 0; step < steps; step++) {
            budget = budget * 7 % maxBudget + 1;
            a.run(budget);
            b.run(budget);
            assertThat(of(a)).as("after step %d", step).isEqualTo(of(b));
        }
    }
}
