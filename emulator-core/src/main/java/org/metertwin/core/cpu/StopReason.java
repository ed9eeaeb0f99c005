package org.metertwin.core.cpu;

/** Why {@link CortexM4#run(long)} returned. */
public enum StopReason {
    /** The cycle budget given to run() was used up; the caller decides what comes next. */
    BUDGET,
    /** Someone called {@link CortexM4#requestStop()} (semihosting exit, a device, a debugger). */
    STOP_REQUESTED,
    /** The core is asleep (WFI/WFE) with nothing pending; it wakes on an interrupt. */
    SLEEPING,
    /** The core locked up (fault while in HardFault or NMI). */
    LOCKUP,
    /** A breakpoint or watchpoint was hit with a debugger attached. */
    DEBUG_HALT
}
