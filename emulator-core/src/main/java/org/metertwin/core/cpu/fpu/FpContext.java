package org.metertwin.core.cpu.fpu;

/**
 * Mutable floating-point status shared with the CPU: the FPSCR word.
 *
 * <p>{@link Vfp} methods read the mode bits (AHP, DN, FZ, RMode) from {@link #fpscr} and OR the
 * cumulative exception flags (IOC, DZC, OFC, UFC, IXC, IDC) into it; they never clear a flag and
 * never touch NZCV (the CPU writes NZCV from {@link Vfp#compare}'s result for VCMP/VCMPE).
 */
public final class FpContext {
    /** The FPSCR register value. */
    public int fpscr;

    public FpContext() {
    }

    public FpContext(int fpscr) {
        this.fpscr = fpscr;
    }
}
