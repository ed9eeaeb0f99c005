package org.metertwin.core.cpu;

/**
 * Exception state of the core: pending, active and enable bits and priorities for every exception number
 * (1-15 system exceptions, 16+ external interrupts), and the priority arithmetic of ARMv7-M ARM B1.5.4.
 * Registers that expose this state live in {@link SystemControlSpace}.
 */
public final class Nvic {
    public static final int RESET = 1, NMI = 2, HARD_FAULT = 3, MEM_MANAGE = 4, BUS_FAULT = 5, USAGE_FAULT = 6,
            SVCALL = 11, DEBUG_MONITOR = 12, PENDSV = 14, SYSTICK = 15, IRQ0 = 16;

    final int numExceptions;
    final boolean[] pending;
    final boolean[] active;
    final boolean[] enabled;
    /** Level of each external interrupt's input line; a line held high re-pends its interrupt on return. */
    final boolean[] level;
    /** Raw 8-bit priority as written (low unimplemented bits already cleared); -3..-1 for the fixed ones. */
    final int[] priority;
    final int priorityMask;
    int prigroup;
    int pendingCount;
    int activeCount;

    Nvic(int numIrqs, int priorityBits) {
        numExceptions = 16 + numIrqs;
        pending = new boolean[numExceptions];
        active = new boolean[numExceptions];
        enabled = new boolean[numExceptions];
        level = new boolean[numExceptions];
        priority = new int[numExceptions];
        priorityMask = (0xFF << (8 - priorityBits)) & 0xFF;
        reset();
    }

    void reset() {
        for (int i = 0; i < numExceptions; i++) {
            pending[i] = false;
            active[i] = false;
            enabled[i] = false;
            priority[i] = 0;
        }
        priority[RESET] = -3;
        priority[NMI] = -2;
        priority[HARD_FAULT] = -1;
        for (int e : new int[] {NMI, HARD_FAULT, SVCALL, DEBUG_MONITOR, PENDSV, SYSTICK}) {
            enabled[e] = true;
        }
        prigroup = 0;
        pendingCount = 0;
        activeCount = 0;
    }

    public int numIrqs() {
        return numExceptions - 16;
    }

    /** Makes an exception pending (software, a device's interrupt line, a fault). */
    public void setPending(int exception) {
        if (!pending[exception]) {
            pending[exception] = true;
            pendingCount++;
        }
    }

    /** A device's interrupt line: a rising level makes the interrupt pending (B3.4.1, level-sensitive). */
    public void setLevel(int exception, boolean high) {
        if (high && !level[exception]) {
            setPending(exception);
        }
        level[exception] = high;
    }

    /** Clearing the pending state of an interrupt whose line is still high leaves it pending. */
    public void clearPending(int exception) {
        if (pending[exception] && !level[exception]) {
            pending[exception] = false;
            pendingCount--;
        }
    }

    public boolean isPending(int exception) {
        return pending[exception];
    }

    public boolean isActive(int exception) {
        return active[exception];
    }

    void setActive(int exception, boolean value) {
        if (active[exception] != value) {
            active[exception] = value;
            activeCount += value ? 1 : -1;
        }
        if (!value && level[exception]) {
            setPending(exception); // the line is still asserted when its handler returns
        }
    }

    /** Exception entry: the pending state clears even while the line stays high. */
    void acknowledge(int exception) {
        if (pending[exception]) {
            pending[exception] = false;
            pendingCount--;
        }
    }

    void setPriority(int exception, int value) {
        if (exception > HARD_FAULT) {
            priority[exception] = value & priorityMask;
        }
    }

    /** The group priority of a raw priority value under the current PRIGROUP. */
    int groupPriority(int raw) {
        if (raw < 0) {
            return raw;
        }
        return raw & (0xFF << (prigroup + 1)) & 0xFF;
    }

    /** ExecutionPriority() of the ARM ARM. */
    int executionPriority(boolean primask, boolean faultmask, int basepri) {
        int highest = 256;
        if (activeCount > 0) {
            for (int i = 1; i < numExceptions; i++) {
                if (active[i]) {
                    int g = groupPriority(priority[i]);
                    if (g < highest) {
                        highest = g;
                    }
                }
            }
        }
        int boosted = 256;
        if (basepri != 0) {
            boosted = groupPriority(basepri & priorityMask);
        }
        if (primask) {
            boosted = 0;
        }
        if (faultmask) {
            boosted = -1;
        }
        return Math.min(boosted, highest);
    }

    /** The pending, enabled exception that would be taken first, or 0. */
    int highestPending() {
        if (pendingCount == 0) {
            return 0;
        }
        int best = 0, bestPrio = Integer.MAX_VALUE;
        for (int i = 1; i < numExceptions; i++) {
            if (pending[i] && enabled[i] && priority[i] < bestPrio) {
                best = i;
                bestPrio = priority[i];
            }
        }
        return best;
    }
}
