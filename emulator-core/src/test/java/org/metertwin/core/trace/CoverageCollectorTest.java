package org.metertwin.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.dwarf.LineRow;

class CoverageCollectorTest {
    @Test
    void countsFlashAndRamCodeFarApartAndNothingElse() {
        CoverageCollector c = new CoverageCollector(List.of(
                new LineRow(0x0800_0100, "main.c", 3, 0, true, false),
                new LineRow(0x0800_0110, null, 0, 0, false, true),
                new LineRow(0x2000_0000, "ramfunc.c", 7, 0, true, false),
                new LineRow(0x2000_0008, null, 0, 0, false, true)));
        for (int pc : new int[] {0x0800_0100, 0x0800_0102, 0x0800_0100, 0x2000_0004, 0x1000_0000, 0xFFFF_FFFE}) {
            c.executed(pc);
        }
        assertThat(c.count(0x0800_0100)).isEqualTo(2);
        assertThat(c.count(0x0800_0102)).isEqualTo(1);
        assertThat(c.count(0x2000_0004)).isEqualTo(1);
        assertThat(c.count(0x1000_0000)).isZero();
        assertThat(c.count(0xFFFF_FFFE)).isZero();
    }
}
