package org.metertwin.core.cpu;

/**
 * The SysTick timer (ARMv7-M ARM B3.3). It counts in core cycles (CLKSOURCE = 1) or in ticks of the
 * board's reference clock (CLKSOURCE = 0); its value is computed from the core's cycle counter when read,
 * so it costs nothing while it runs. {@link #nextEventCycle()} tells the core when it must next look.
 */
final class SysTick {
    static final int ENABLE = 1, TICKINT = 2, CLKSOURCE = 4, COUNTFLAG = 1 << 16;

    private final CortexM4 cpu;
    /** Core cycles per reference-clock tick; 0 when the board has no reference clock (NOREF). */
    private int refDivider;
    int csr;
    int rvr;
    /** Cycle at which the counter next reaches zero, when enabled. */
    private long nextZero = Long.MAX_VALUE;
    /** Counter value while disabled. */
    private int heldValue;

    SysTick(CortexM4 cpu) {
        this.cpu = cpu;
    }

    void setReferenceDivider(int cyclesPerTick) {
        this.refDivider = cyclesPerTick;
    }

    void reset() {
        csr = refDivider == 0 ? CLKSOURCE : 0;
        rvr = 0;
        heldValue = 0;
        nextZero = Long.MAX_VALUE;
    }

    private long cyclesPerTick() {
        return (csr & CLKSOURCE) != 0 || refDivider == 0 ? 1 : refDivider;
    }

    private boolean running() {
        return (csr & ENABLE) != 0;
    }

    /** Applies every wrap that happened up to {@code now}: COUNTFLAG and the SysTick exception. */
    void catchUp(long now) {
        if (!running() || now < nextZero) {
            return;
        }
        csr |= COUNTFLAG;
        if ((csr & TICKINT) != 0) {
            cpu.nvic.setPending(Nvic.SYSTICK);
        }
        if (rvr == 0) {
            nextZero = Long.MAX_VALUE; // reload with 0 stops the counter
            heldValue = 0;
            return;
        }
        long period = (rvr + 1L) * cyclesPerTick();
        nextZero += period * ((now - nextZero) / period + 1);
    }

    long nextEventCycle() {
        return running() && (csr & TICKINT) != 0 ? nextZero : Long.MAX_VALUE;
    }

    int currentValue() {
        long now = cpu.cycleCount();
        catchUp(now);
        if (!running() || nextZero == Long.MAX_VALUE) {
            return heldValue;
        }
        long cpt = cyclesPerTick();
        long ticks = (nextZero - now + cpt - 1) / cpt;
        // before the first tick after a start from zero, the counter still reads zero; that tick loads RVR
        return ticks > rvr ? 0 : (int) ticks;
    }

    int readCsr() {
        catchUp(cpu.cycleCount());
        int value = csr;
        csr &= ~COUNTFLAG;
        return value | (refDivider == 0 ? CLKSOURCE : 0);
    }

    void writeCsr(int value) {
        long now = cpu.cycleCount();
        catchUp(now);
        int current = currentValue();
        boolean wasRunning = running();
        csr = (csr & COUNTFLAG) | (value & (ENABLE | TICKINT | CLKSOURCE));
        if (refDivider == 0) {
            csr |= CLKSOURCE;
        }
        if (!wasRunning && running()) {
            // counting starts from the current value; a zero current value reloads on the first tick
            long cpt = cyclesPerTick();
            nextZero = current == 0 ? now + cpt * (rvr + 1L) : now + cpt * current;
            if (current == 0 && rvr == 0) {
                nextZero = Long.MAX_VALUE;
            }
        } else if (wasRunning && !running()) {
            heldValue = current;
            nextZero = Long.MAX_VALUE;
        }
        cpu.interrupt();
    }

    void writeRvr(int value) {
        rvr = value & 0xFFFFFF;
    }

    void writeCvr() {
        // any write clears the counter and COUNTFLAG; the next tick reloads from RVR
        csr &= ~COUNTFLAG;
        heldValue = 0;
        if (running()) {
            long cpt = cyclesPerTick();
            nextZero = rvr == 0 ? Long.MAX_VALUE : cpu.cycleCount() + cpt * (rvr + 1L);
        }
        cpu.interrupt();
    }
}
