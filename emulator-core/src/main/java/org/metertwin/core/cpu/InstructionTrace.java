package org.metertwin.core.cpu;

/**
 * Observes every instruction the core executes (execution trace, coverage). Set with
 * {@link CortexM4#setInstructionTrace}; while one is set the core runs a separate one-at-a-time interpreter
 * path, so the normal path and the block compiler carry no check for it.
 */
@FunctionalInterface
public interface InstructionTrace {
    /**
     * Called before the instruction at {@code pc} executes, including instructions of an IT block whose
     * condition fails and instructions that then fault. The observer may read the core's registers.
     */
    void executed(int pc);
}
