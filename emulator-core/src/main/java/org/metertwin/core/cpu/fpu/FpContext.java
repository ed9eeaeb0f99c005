package org.metertwin.core.cpu.fpu;

/** Mutable FP status shared with the CPU: the FPSCR word. */
public final class FpContext {
    public int fpscr;
}
