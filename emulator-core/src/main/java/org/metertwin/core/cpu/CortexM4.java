package org.metertwin.core.cpu;

import org.metertwin.core.bus.SystemBus;

/** API stub; the implementation lands in the next commit. */
public final class CortexM4 {
    private final SystemBus bus;
    private final long clockHz;
    final int[] r = new int[16];
    long cycles, instructions;
    private BreakpointHandler breakpointHandler;

    public CortexM4(SystemBus bus, long clockHz) { this.bus = bus; this.clockHz = clockHz; }
    public SystemBus bus() { return bus; }
    public long clockHz() { return clockHz; }
    /** r0-r12, 13 = current SP, 14 = LR, 15 = PC of the next instruction to execute. */
    public int reg(int n) { return r[n]; }
    public void setReg(int n, int value) { r[n] = value; }
    public long cycles() { return cycles; }
    public long instructions() { return instructions; }
    /** Virtual nanoseconds since reset, from cycles and the clock. */
    public long virtualNanos() { return (long) (cycles * (1e9 / clockHz)); }
    public void setBreakpointHandler(BreakpointHandler h) { this.breakpointHandler = h; }
    public void reset() { }
    public StopReason run(long maxCycles) { return StopReason.BUDGET; }
    public void requestStop() { }
}
