package org.metertwin.core.cpu;

/** Told when the core executes BKPT; semihosting answers BKPT 0xAB. */
@FunctionalInterface
public interface BreakpointHandler {
    /**
     * @param cpu  the core, PC still at the BKPT instruction
     * @param imm8 the BKPT immediate
     * @return true when handled: execution continues after the BKPT. False: the core treats it as a
     *         debug event (HardFault when no debugger is attached).
     */
    boolean onBreakpoint(CortexM4 cpu, int imm8);
}
