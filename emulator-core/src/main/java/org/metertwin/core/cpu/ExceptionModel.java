package org.metertwin.core.cpu;

import org.metertwin.core.bus.BusFault;

/**
 * The ARMv7-M exception model (ARMv7-M ARM B1.5) for one {@link CortexM4}: deciding whether a pending
 * exception preempts, taking synchronous faults with escalation to HardFault and lockup, exception entry
 * (PushStack, ExceptionTaken, lazy FP stacking) and exception return (EXC_RETURN checks, PopStack).
 */
final class ExceptionModel {
    private final CortexM4 cpu;
    /** The core's registers, flags and modes. */
    private final ArchState state;

    ExceptionModel(CortexM4 cpu) {
        this.cpu = cpu;
        this.state = cpu.state;
    }


    boolean wakeConditionPending() {
        int e = cpu.nvic.highestPending();
        if (e == 0) {
            return false;
        }
        // WFI wakes on any pending interrupt that would preempt if PRIMASK were clear
        return cpu.nvic.groupPriority(cpu.nvic.priority[e]) < cpu.nvic.executionPriority(false, state.faultmask, state.basepri)
                || cpu.nvic.groupPriority(cpu.nvic.priority[e]) < cpu.executionPriority();
    }

    void checkPendingExceptions() {
        int e = cpu.nvic.highestPending();
        if (e == 0) {
            return;
        }
        int gp = cpu.nvic.groupPriority(cpu.nvic.priority[e]);
        if (gp < cpu.executionPriority()) {
            cpu.sleeping = false;
            exceptionEntry(e, state.pc);
        } else if (cpu.sleeping && wakeConditionPending()) {
            cpu.sleeping = false; // woken with PRIMASK set: continues after WFI without taking it
        }
    }

    /**
     * A synchronous fault: taken now with the faulting instruction as the return address, or escalated to
     * HardFault when it is disabled or cannot preempt; a fault that cannot be taken at all locks the core up.
     */
    void raiseSynchronousFault(int exception, int cfsrBits, int address, boolean addressValid) {
        if (cpu.faultPc == -1 || cpu.executionPriority() >= 0) {
            cpu.faultPc = state.pc; // where the chain of faults started, for messages
            cpu.faultException = exception;
        }
        int target = exception;
        if (exception != Nvic.HARD_FAULT) {
            cpu.scs.cfsr |= cfsrBits;
            if (addressValid) {
                if (exception == Nvic.MEM_MANAGE) {
                    cpu.scs.mmfar = address;
                } else if (exception == Nvic.BUS_FAULT) {
                    cpu.scs.bfar = address;
                }
            }
            if (!cpu.nvic.enabled[exception] || cpu.nvic.groupPriority(cpu.nvic.priority[exception]) >= cpu.executionPriority()) {
                target = Nvic.HARD_FAULT;
                cpu.scs.hfsr |= 1 << 30; // FORCED
            }
        }
        if (target == Nvic.HARD_FAULT && cpu.executionPriority() <= -1) {
            cpu.lockedUp = true; // fault in HardFault or NMI (or with FAULTMASK set); PC stays at the fault
            return;
        }
        cpu.nvic.setPending(target);
        cpu.sleeping = false;
        exceptionEntry(target, state.pc);
    }

    void checkSynchronousEscalation(int exception) {
        if (cpu.nvic.groupPriority(cpu.nvic.priority[exception]) >= cpu.executionPriority()) {
            cpu.nvic.clearPending(exception);
            cpu.scs.hfsr |= 1 << 30;
            if (cpu.executionPriority() <= -1) {
                cpu.lockedUp = true;
                return;
            }
            cpu.nvic.setPending(Nvic.HARD_FAULT);
        }
    }

    /** PushStack + ExceptionTaken. {@code returnAddress} is the instruction to return to. */
    void exceptionEntry(int exception, int returnAddress) {
        cpu.cycles += 12;
        boolean fpFrame = (state.control & 4) != 0;
        int frameSize = fpFrame ? 0x68 : 0x20;
        boolean forceAlign = cpu.scs.stackAlign();
        int sp = state.r[13];
        int align = forceAlign && (sp & 4) != 0 ? 1 : 0;
        int frame = (sp - frameSize) & (forceAlign ? ~7 : ~3);
        int xpsr = (state.xpsr() & ~(1 << 9)) | align << 9;
        boolean threadPsp = state.usingPsp();
        boolean handler = state.ipsr != 0;
        try {
            stackWrite(frame, state.r[0]);
            stackWrite(frame + 4, state.r[1]);
            stackWrite(frame + 8, state.r[2]);
            stackWrite(frame + 12, state.r[3]);
            stackWrite(frame + 16, state.r[12]);
            stackWrite(frame + 20, state.r[14]);
            stackWrite(frame + 24, returnAddress);
            stackWrite(frame + 28, xpsr);
            if (fpFrame) {
                if (cpu.scs.lazyStackingEnabled()) {
                    cpu.scs.fpcar = frame + 0x20;
                    cpu.scs.setLazyStateOnEntry(handler, threadPsp, state.privileged());
                } else {
                    for (int i = 0; i < 16; i++) {
                        stackWrite(frame + 0x20 + 4 * i, state.s[i]);
                    }
                    stackWrite(frame + 0x60, state.fp.fpscr);
                }
            }
        } catch (BusFault | CpuFault f) {
            // Stacking failed: the fault is taken instead, derived from the original entry (STKERR/MSTKERR)
            boolean mm = f instanceof CpuFault;
            cpu.scs.cfsr |= mm ? 1 << 4 : 1 << 12;
            int fault = mm ? Nvic.MEM_MANAGE : Nvic.BUS_FAULT;
            if (!cpu.nvic.enabled[fault] || cpu.nvic.groupPriority(cpu.nvic.priority[fault]) >= cpu.executionPriority()) {
                fault = Nvic.HARD_FAULT;
                cpu.scs.hfsr |= 1 << 30;
            }
            cpu.nvic.setPending(fault);
        }
        state.r[13] = frame;
        int excReturn = handler ? 0xFFFFFFF1 : threadPsp ? 0xFFFFFFFD : 0xFFFFFFF9;
        if (fpFrame) {
            excReturn &= ~0x10;
        }
        state.r[14] = excReturn;
        // ExceptionTaken
        boolean wasPsp = state.usingPsp();
        int vector;
        try {
            vector = cpu.bus().read32(cpu.scs.vtor() + 4 * exception);
        } catch (BusFault f) {
            cpu.scs.hfsr |= 1 << 1; // VECTTBL
            vector = 0;
            if (exception == Nvic.HARD_FAULT || cpu.executionPriority() <= -1) {
                cpu.lockedUp = true;
                return;
            }
            exception = Nvic.HARD_FAULT;
            vector = cpu.bus().read32(cpu.scs.vtor() + 12);
        }
        if (cpu.stopOnMissingFaultHandler && exception >= Nvic.NMI && exception <= Nvic.USAGE_FAULT && vector == 0) {
            cpu.missingFaultHandler = true;
            cpu.missingHandlerException = exception;
            cpu.lockedUp = true; // stops the run; nothing could continue sensibly
            return;
        }
        state.ipsr = exception;
        state.itState = 0;
        state.control &= ~6; // FPCA and SPSEL: handlers run on the main stack
        state.switchStack(wasPsp);
        cpu.nvic.acknowledge(exception);
        cpu.nvic.setActive(exception, true);
        if (cpu.exceptionObserver != null) {
            cpu.exceptionObserver.taken(exception);
        }
        cpu.eventRegister = true;
        cpu.exclusiveOpen = false;
        cpu.updateMemChecks();
        state.pc = vector & ~1;
        if ((vector & 1) == 0) {
            // Executing with T=0 faults on the first instruction of the handler
            raiseSynchronousFault(Nvic.USAGE_FAULT, 1 << 17, 0, false);
        }
    }

    private void stackWrite(int addr, int value) {
        if (cpu.mpu.enabled()) {
            cpu.mpu.checkData(addr, true, state.privileged());
        }
        cpu.bus().write32(addr, value);
    }

    private int stackRead(int addr) {
        if (cpu.mpu.enabled()) {
            cpu.mpu.checkData(addr, false, state.privileged());
        }
        return cpu.bus().read32(addr);
    }

    /** ExceptionReturn (B1.5.8) for an EXC_RETURN value loaded into the PC in handler mode. */
    void exceptionReturn(int excReturn) {
        int returning = state.ipsr;
        int kind = excReturn & 15;
        int activeCount = cpu.nvic.activeCount;
        boolean bad = (excReturn & 0x0FFFFFE0) != 0x0FFFFFE0 || !cpu.nvic.active[returning]
                || !(kind == 1 || kind == 9 || kind == 13)
                || ((excReturn & 0x10) == 0 && !cpu.scs.fpuPresent());
        if (!bad && (kind == 9 || kind == 13) && activeCount != 1 && !cpu.scs.nonBaseThreadEnable()) {
            bad = true;
        }
        if (!bad && kind == 1 && activeCount == 1) {
            bad = true;
        }
        if (bad) {
            // INVPC: the UsageFault is taken from the handler (return address: the EXC_RETURN value)
            cpu.scs.cfsr |= 1 << 18;
            int fault = Nvic.USAGE_FAULT;
            if (!cpu.nvic.enabled[fault] || cpu.nvic.groupPriority(cpu.nvic.priority[fault]) >= cpu.executionPriority()) {
                fault = Nvic.HARD_FAULT;
                cpu.scs.hfsr |= 1 << 30;
            }
            if (fault == Nvic.HARD_FAULT && cpu.executionPriority() <= -1) {
                cpu.lockedUp = true;
                return;
            }
            cpu.nvic.setPending(fault);
            exceptionEntry(fault, excReturn & ~1);
            return;
        }
        cpu.cycles += 10;
        // DeActivate
        cpu.nvic.setActive(returning, false);
        if (returning != Nvic.NMI) {
            state.faultmask = false;
        }
        boolean toThread = kind != 1;
        boolean toPsp = kind == 13;
        // select the stack to pop from
        int frame;
        boolean currentlyPsp = state.usingPsp(); // false: we are in handler mode
        int mspNow = currentlyPsp ? state.otherSp : state.r[13];
        int pspNow = currentlyPsp ? state.r[13] : state.otherSp;
        frame = toPsp ? pspNow : mspNow;
        boolean fpFrame = (excReturn & 0x10) == 0;
        int[] vals = cpu.tmpRegs;
        int xpsr;
        try {
            for (int i = 0; i < 8; i++) {
                vals[i] = stackRead(frame + 4 * i);
            }
            xpsr = vals[7];
            if (fpFrame) {
                if (cpu.scs.lazyStateActive()) {
                    cpu.scs.clearLazyState();
                } else {
                    for (int i = 0; i < 16; i++) {
                        state.s[i] = stackRead(frame + 0x20 + 4 * i);
                    }
                    state.fp.fpscr = stackRead(frame + 0x60);
                }
            }
        } catch (BusFault | CpuFault f) {
            boolean mm = f instanceof CpuFault;
            cpu.scs.cfsr |= mm ? 1 << 3 : 1 << 11; // MUNSTKERR / UNSTKERR
            state.ipsr = 0;
            int fault = mm ? Nvic.MEM_MANAGE : Nvic.BUS_FAULT;
            cpu.nvic.setPending(fault);
            return;
        }
        int frameSize = fpFrame ? 0x68 : 0x20;
        int newSp = frame + frameSize + (cpu.scs.stackAlign() && (xpsr & (1 << 9)) != 0 ? 4 : 0);
        // restore registers
        state.r[0] = vals[0];
        state.r[1] = vals[1];
        state.r[2] = vals[2];
        state.r[3] = vals[3];
        state.r[12] = vals[4];
        state.r[14] = vals[5];
        int retAddr = vals[6];
        // stack pointers: write back the popped one
        if (toPsp) {
            pspNow = newSp;
        } else {
            mspNow = newSp;
        }
        state.control = (state.control & ~2) | (toPsp ? 2 : 0);
        state.control = fpFrame ? state.control | 4 : state.control & ~4;
        state.setApsr(xpsr);
        int newIpsr = xpsr & 0x1FF;
        state.itState = ((xpsr >>> 25) & 3) | ((xpsr >>> 8) & 0xFC);
        state.ipsr = toThread ? 0 : newIpsr;
        // Place stacks: state.r[13] holds the one now in use
        if (state.usingPsp()) {
            state.r[13] = pspNow;
            state.otherSp = mspNow;
        } else {
            state.r[13] = mspNow;
            state.otherSp = pspNow;
        }
        state.pc = retAddr & ~1;
        cpu.eventRegister = true;
        cpu.exclusiveOpen = false;
        cpu.updateMemChecks();
        if (toThread && newIpsr != 0 || !toThread && newIpsr == 0) {
            // IPSR in the frame does not match the return type: INVPC
            cpu.scs.cfsr |= 1 << 18;
            raiseSynchronousFault(Nvic.USAGE_FAULT, 1 << 18, 0, false);
            return;
        }
        if ((xpsr & (1 << 24)) == 0) {
            raiseSynchronousFault(Nvic.USAGE_FAULT, 1 << 17, 0, false); // INVSTATE
            return;
        }
        if (toThread && cpu.scs.sleepOnExit() && cpu.nvic.highestPending() == 0) {
            cpu.sleeping = true;
        }
        cpu.interrupt();
    }
}
