package org.metertwin.core.machine;

/** How a run ended. */
public enum Outcome {
    /** The guest exited through semihosting. */
    EXITED,
    /** The core locked up (a fault it could not take). */
    LOCKUP,
    /** A fault was raised and its vector is empty: no handler is installed. */
    UNHANDLED_FAULT,
    /** The core fell asleep with nothing left that could wake it. */
    DEADLOCK,
    /** The instruction limit was reached. */
    INSTRUCTION_LIMIT,
    /** The debugger killed the run (gdb's kill). */
    KILLED,
    /** The virtual-time limit was reached (a meter's firmware runs until stopped: status 0). */
    TIME_LIMIT
}
