package org.metertwin.core.cpu;

import org.metertwin.core.cpu.fpu.FpContext;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The architectural state of a Cortex-M4 (ARMv7-M ARM B1.4): the general-purpose registers, the APSR
 * flags, the exception number and execution state (IPSR, EPSR's IT bits), the special registers (CONTROL,
 * PRIMASK, BASEPRI, FAULTMASK), the banked stack pointers and the FP register file with FPSCR.
 *
 * <p>One object, read and written by the interpreter, the instruction semantics, the exception model, the
 * block compiler's generated code (through {@link Field}, the only place that names these fields for it)
 * and the debugger ({@link DebugControl}). Plain fields, so executing an instruction allocates nothing.
 */
public final class ArchState {
    /** R0-R12, SP (the active one), LR; r[15] holds PC+4 while an instruction executes (the value it reads). */
    final int[] r = new int[16];
    /** The address of the instruction executing (or the next one, between instructions). */
    int pc;
    /** APSR.NZCVQ. */
    boolean n, z, c, v, q;
    /** APSR.GE[3:0]. */
    int ge;
    /** EPSR.ITSTATE as IT[7:0]. */
    int itState;
    /** The exception number in IPSR (0 in thread mode). */
    int ipsr;
    boolean primask, faultmask;
    int basepri;
    /** CONTROL: bit 0 nPRIV, bit 1 SPSEL, bit 2 FPCA. */
    int control;
    /** The stack pointer that is not in r[13] right now (PSP while MSP is active and vice versa). */
    int otherSp;
    /** S0-S31. */
    final int[] s = new int[32];
    /** FPSCR (and the FP arithmetic's view of it). */
    final FpContext fp = new FpContext();

    /** Cold reset of every register (the vector fetch for SP and PC is the core's). */
    void reset() {
        java.util.Arrays.fill(r, 0);
        java.util.Arrays.fill(s, 0);
        n = z = c = v = q = false;
        ge = 0;
        itState = 0;
        ipsr = 0;
        primask = faultmask = false;
        basepri = 0;
        control = 0;
        otherSp = 0;
        fp.fpscr = 0;
    }

    // ---------------------------------------------------------------- program status registers

    public int apsr() {
        return (n ? 1 << 31 : 0) | (z ? 1 << 30 : 0) | (c ? 1 << 29 : 0) | (v ? 1 << 28 : 0) | (q ? 1 << 27 : 0)
                | ge << 16;
    }

    /** APSR.NZCVQ from bits 31-27 of {@code value}. */
    void setNzcvq(int value) {
        n = value < 0;
        z = (value & (1 << 30)) != 0;
        c = (value & (1 << 29)) != 0;
        v = (value & (1 << 28)) != 0;
        q = (value & (1 << 27)) != 0;
    }

    void setApsr(int value) {
        setNzcvq(value);
        ge = (value >>> 16) & 15;
    }

    /** xPSR: APSR, IPSR and EPSR (T bit and ITSTATE). */
    public int xpsr() {
        return apsr() | ipsr | 1 << 24 | (itState & 3) << 25 | (itState >> 2) << 10;
    }

    /** ConditionPassed() for a 4-bit condition code (A7.3). */
    boolean conditionPassed(int cond) {
        return switch (cond) {
            case 0 -> z;
            case 1 -> !z;
            case 2 -> c;
            case 3 -> !c;
            case 4 -> n;
            case 5 -> !n;
            case 6 -> v;
            case 7 -> !v;
            case 8 -> c && !z;
            case 9 -> !c || z;
            case 10 -> n == v;
            case 11 -> n != v;
            case 12 -> !z && n == v;
            case 13 -> z || n != v;
            default -> true;
        };
    }

    // ---------------------------------------------------------------- modes and stack pointers

    public int ipsr() {
        return ipsr;
    }

    public int control() {
        return control;
    }

    public boolean primask() {
        return primask;
    }

    public boolean faultmask() {
        return faultmask;
    }

    public int basepri() {
        return basepri;
    }

    public int fpscr() {
        return fp.fpscr;
    }

    /** r0-r12, 13 = current SP, 14 = LR, 15 = PC of the next instruction to execute. */
    public int reg(int i) {
        return i == 15 ? pc : r[i];
    }

    public int sreg(int i) {
        return s[i];
    }

    /** Thread mode with CONTROL.SPSEL set: r[13] is the PSP. */
    boolean usingPsp() {
        return ipsr == 0 && (control & 2) != 0;
    }

    /** Handler mode, or CONTROL.nPRIV clear. */
    boolean privileged() {
        return ipsr != 0 || (control & 1) == 0;
    }

    public int msp() {
        return usingPsp() ? otherSp : r[13];
    }

    public int psp() {
        return usingPsp() ? r[13] : otherSp;
    }

    /** Changes which stack pointer r[13] holds when the selection changed since {@code wasPsp}. */
    void switchStack(boolean wasPsp) {
        if (wasPsp != usingPsp()) {
            int t = r[13];
            r[13] = otherSp;
            otherSp = t;
        }
    }

    void setMsp(int value) {
        if (usingPsp()) {
            otherSp = value & ~3;
        } else {
            r[13] = value & ~3;
        }
    }

    void setPsp(int value) {
        if (usingPsp()) {
            r[13] = value & ~3;
        } else {
            otherSp = value & ~3;
        }
    }

    // ---------------------------------------------------------------- for the block compiler

    /**
     * The fields generated code reads and writes, named here and nowhere else. {@code ArchStateTest} checks
     * each against the class, so a renamed field fails a test rather than a compiled block.
     */
    enum Field {
        R("r", "[I"), PC("pc", "I"), N("n", "Z"), Z("z", "Z"), C("c", "Z"), V("v", "Z");

        static final String OWNER = "org/metertwin/core/cpu/ArchState";
        final String fieldName;
        final String descriptor;

        Field(String fieldName, String descriptor) {
            this.fieldName = fieldName;
            this.descriptor = descriptor;
        }

        /** state → value (the state object on the operand stack). */
        void get(MethodVisitor mv) {
            mv.visitFieldInsn(Opcodes.GETFIELD, OWNER, fieldName, descriptor);
        }

        /** state, value → (nothing). */
        void put(MethodVisitor mv) {
            mv.visitFieldInsn(Opcodes.PUTFIELD, OWNER, fieldName, descriptor);
        }
    }
}
