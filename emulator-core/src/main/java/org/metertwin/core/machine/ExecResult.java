package org.metertwin.core.machine;

/** The result of an {@code exec} run; {@link #exitStatus()} is what the CLI exits with. */
public record ExecResult(Outcome outcome, int exitStatus, long instructions, long cycles, long virtualNanos,
                         long wallMillis, String message) {
    /** Exit statuses for outcomes other than a guest exit (2 is reserved for bad input). */
    public static final int STATUS_LOCKUP = 3, STATUS_DEADLOCK = 4, STATUS_INSTRUCTION_LIMIT = 5,
            STATUS_UNHANDLED_FAULT = 6, STATUS_KILLED = 7,
            /** exec --self-check: the interpreted and the compiled run differ. */
            STATUS_SELF_CHECK_DIFFERS = 8;
}
