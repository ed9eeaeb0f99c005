package org.metertwin.core.trace;

import java.util.List;
import org.metertwin.core.cpu.InstructionTrace;
import org.metertwin.core.dwarf.LineRow;

/**
 * Counts executions of every instruction address in a 64 KB page that the line table has code in (code
 * elsewhere, such as a RAM function without line info, is not counted). One counter per halfword, pages
 * allocated only where there are rows, so flash and RAM functions far apart cost no more than their code.
 */
public final class CoverageCollector implements InstructionTrace {
    private static final int PAGE_BITS = 16;
    private final long[][] pages = new long[1 << (32 - PAGE_BITS)][];

    public CoverageCollector(List<LineRow> rows) {
        for (LineRow r : rows) {
            int page = r.address() >>> PAGE_BITS;
            if (pages[page] == null) {
                pages[page] = new long[1 << (PAGE_BITS - 1)];
            }
        }
    }

    @Override
    public void executed(int pc) {
        long[] page = pages[pc >>> PAGE_BITS];
        if (page != null) {
            page[(pc & ((1 << PAGE_BITS) - 1)) >>> 1]++;
        }
    }

    /** How many times the instruction at {@code address} executed (0 outside the counted pages). */
    public long count(int address) {
        long[] page = pages[address >>> PAGE_BITS];
        return page == null ? 0 : page[(address & ((1 << PAGE_BITS) - 1)) >>> 1];
    }
}
