package org.metertwin.core.registers;

/** How software may access a field, in the reference manuals' own abbreviations (RM0090 1.1). */
public enum Access {
    /** rw: software reads and writes. */
    RW,
    /** r: read-only; hardware sets it, writes are ignored. */
    R,
    /** w: write-only; reads return zero. */
    W,
    /** rc_w1: cleared by writing 1, writing 0 has no effect. */
    RC_W1,
    /** rc_w0: cleared by writing 0, writing 1 has no effect. */
    RC_W0,
    /** rs: software can set it to 1, writing 0 has no effect; hardware clears it. */
    RS
}
