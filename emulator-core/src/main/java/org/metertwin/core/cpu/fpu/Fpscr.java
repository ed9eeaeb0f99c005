package org.metertwin.core.cpu.fpu;

/** Bit layout of the FPSCR (ARMv7-M ARM, DDI 0403E, A2.5.3 / B1.5.x "Floating-point Status and Control Register"). */
public final class Fpscr {
    public static final int N = 1 << 31;
    public static final int Z = 1 << 30;
    public static final int C = 1 << 29;
    public static final int V = 1 << 28;
    /** Mask of the four condition flags. */
    public static final int NZCV = N | Z | C | V;

    /** Alternative half-precision: no Inf/NaN encodings, exponent 31 is a normal exponent. */
    public static final int AHP = 1 << 26;
    /** Default NaN: every NaN result is {@link Vfp#DEFAULT_NAN}. */
    public static final int DN = 1 << 25;
    /** Flush-to-zero: denormal single-precision inputs and tiny results become signed zeros. */
    public static final int FZ = 1 << 24;
    public static final int RMODE_SHIFT = 22;
    public static final int RMODE_MASK = 3 << RMODE_SHIFT;

    /** Invalid operation. */
    public static final int IOC = 1;
    /** Division by zero. */
    public static final int DZC = 2;
    /** Overflow. */
    public static final int OFC = 4;
    /** Underflow. */
    public static final int UFC = 8;
    /** Inexact. */
    public static final int IXC = 16;
    /** Input denormal (flushed by FZ). */
    public static final int IDC = 128;
    /** All cumulative exception flags. */
    public static final int EXCEPTION_FLAGS = IOC | DZC | OFC | UFC | IXC | IDC;

    /** Round to nearest, ties to even. */
    public static final int RN = 0;
    /** Round towards plus infinity. */
    public static final int RP = 1;
    /** Round towards minus infinity. */
    public static final int RM = 2;
    /** Round towards zero. */
    public static final int RZ = 3;

    private Fpscr() {
    }

    /** The rounding mode field (RN, RP, RM or RZ) of an FPSCR value. */
    public static int rmode(int fpscr) {
        return (fpscr >>> RMODE_SHIFT) & 3;
    }
}
