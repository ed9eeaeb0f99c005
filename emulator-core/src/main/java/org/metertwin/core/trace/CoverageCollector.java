package org.metertwin.core.trace;

import java.util.List;
import org.metertwin.core.cpu.InstructionTrace;
import org.metertwin.core.dwarf.LineRow;

/**
 * Counts executions of every instruction address the line table covers (code elsewhere, such as RAM
 * functions without line info, is not counted). One counter per halfword between the lowest and highest
 * line-table address.
 */
public final class CoverageCollector implements InstructionTrace {
    private final int base;
    private final long[] counts;

    public CoverageCollector(List<LineRow> rows) {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (LineRow r : rows) {
            long a = r.address() & 0xFFFFFFFFL;
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
        }
        if (lo > hi) { // no line info: count nothing
            base = 0;
            counts = new long[0];
        } else {
            base = (int) lo;
            long halfwords = (hi - lo) / 2 + 1;
            if (halfwords > 64L << 20) {
                throw new IllegalArgumentException(String.format(
                        "the line table spans 0x%x to 0x%x, too far apart to count", lo, hi));
            }
            counts = new long[(int) halfwords];
        }
    }

    @Override
    public void executed(int pc) {
        int i = (pc - base) >>> 1; // an address below base wraps to a large index
        if (i < counts.length) {
            counts[i]++;
        }
    }

    /** How many times the instruction at {@code address} executed (0 outside the line table's range). */
    public long count(int address) {
        int i = (address - base) >>> 1;
        return i < counts.length ? counts[i] : 0;
    }
}
