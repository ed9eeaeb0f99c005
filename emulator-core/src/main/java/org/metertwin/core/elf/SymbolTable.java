package org.metertwin.core.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Symbols sorted by address, to name an address in fault messages ("main+0x1c") and to find a symbol's
 * address by name.
 */
public final class SymbolTable {
    /** An address this far past an unsized symbol (assembly label) is no longer attributed to it. */
    private static final long UNSIZED_REACH = 0x1000;

    private static final SymbolTable EMPTY = new SymbolTable(List.of());

    private final ElfSymbol[] byAddress;
    private final long[] starts;
    private final Map<String, ElfSymbol> byName = new HashMap<>();

    public SymbolTable(List<ElfSymbol> symbols) {
        byAddress = symbols.toArray(new ElfSymbol[0]);
        // Same address: sized before unsized, functions before objects before labels, globals first.
        Arrays.sort(byAddress, Comparator.comparingLong((ElfSymbol s) -> s.address() & 0xFFFFFFFFL)
                .thenComparing(s -> s.size() == 0)
                .thenComparingInt(SymbolTable::typeRank)
                .thenComparing(s -> !s.global())
                .thenComparing(ElfSymbol::name));
        starts = new long[byAddress.length];
        for (int i = 0; i < byAddress.length; i++) {
            starts[i] = byAddress[i].address() & 0xFFFFFFFFL;
            ElfSymbol old = byName.get(byAddress[i].name());
            if (old == null || (!old.global() && byAddress[i].global())) {
                byName.put(byAddress[i].name(), byAddress[i]);
            }
        }
    }

    public static SymbolTable empty() {
        return EMPTY;
    }

    private static int typeRank(ElfSymbol s) {
        switch (s.type()) {
            case ElfSymbol.STT_FUNC: return 0;
            case ElfSymbol.STT_OBJECT: return 1;
            default: return 2;
        }
    }

    public List<ElfSymbol> symbols() {
        return List.of(byAddress);
    }

    public int size() {
        return byAddress.length;
    }

    public OptionalInt addressOf(String name) {
        ElfSymbol s = byName.get(name);
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.address());
    }

    /**
     * Names an address: "name" at a symbol's start, "name+0x1c" inside it, null when no symbol covers it
     * (before the first symbol, past the end of a sized symbol, or far past an unsized label).
     */
    public String nearest(int address) {
        long a = address & 0xFFFFFFFFL;
        int i = lastStartAtOrBelow(a);
        if (i < 0) {
            return null;
        }
        // Walk down groups of symbols sharing a start address, nearest group first; within a group the
        // sort order puts the preferred name first. Only used for messages, so a linear walk is fine.
        int j = i;
        while (j >= 0) {
            int first = j;
            while (first > 0 && starts[first - 1] == starts[j]) {
                first--;
            }
            long offset = a - starts[j];
            for (int k = first; k <= j; k++) {
                ElfSymbol s = byAddress[k];
                boolean covers = s.size() != 0 ? offset < (s.size() & 0xFFFFFFFFL) : offset < UNSIZED_REACH;
                if (covers) {
                    return offset == 0 ? s.name() : s.name() + "+0x" + Long.toHexString(offset);
                }
            }
            j = first - 1;
        }
        return null;
    }

    private int lastStartAtOrBelow(long a) {
        int lo = 0, hi = starts.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= a) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Builds a table from symbols in any order; convenience for tests and synthetic machines. */
    public static SymbolTable of(ElfSymbol... symbols) {
        return new SymbolTable(new ArrayList<>(List.of(symbols)));
    }
}
