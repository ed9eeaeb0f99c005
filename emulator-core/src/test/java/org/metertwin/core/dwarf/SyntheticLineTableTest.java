package org.metertwin.core.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A version-5 line program written byte by byte from DWARF 5 section 6.2, for the entry-format forms gcc 12
 * does not emit (DW_FORM_string paths, udata directory indexes, data16 MD5) and 64-bit DWARF. Expected rows
 * are worked out from the opcodes by hand.
 */
class SyntheticLineTableTest {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    private void u8(int... values) {
        for (int v : values) {
            b.write(v);
        }
    }

    private void str(String s) {
        b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        b.write(0);
    }

    private byte[] unit(boolean dwarf64) {
        b.reset();
        // header after header_length: min_inst 2, max_ops 1, default_is_stmt 1, line_base -5, line_range 14,
        // opcode_base 13 and the 12 standard opcode lengths
        u8(2, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1);
        u8(1, 1, 0x08); // directory format: DW_LNCT_path as DW_FORM_string
        u8(2);
        str("/src");
        str("inc");
        u8(3, 1, 0x08, 2, 0x0f, 5, 0x1e); // file format: path string, directory udata, MD5 data16
        u8(2);
        str("a.c");
        u8(0);
        b.writeBytes(new byte[16]);
        str("b.h");
        u8(1);
        b.writeBytes(new byte[16]);
        byte[] header = b.toByteArray();
        b.reset();
        u8(0, 5, 2, 0x00, 0x01, 0x00, 0x00); // DW_LNE_set_address 0x100
        u8(4, 0); // DW_LNS_set_file 0
        u8(20); // special: adjusted 7 = address +0, line -5 + 7 = +2 -> row 0x100 line 3
        u8(47); // special: adjusted 34 = address +2*2, line -5 + 6 = +1 -> row 0x104 line 4
        u8(4, 1, 6, 1); // set_file 1, negate_stmt, copy -> row 0x104 b.h line 4, not a statement
        u8(2, 3); // advance_pc 3 * 2
        u8(0, 1, 1); // DW_LNE_end_sequence at 0x10a
        byte[] program = b.toByteArray();
        b.reset();
        int offsetSize = dwarf64 ? 8 : 4;
        long length = 2 + 1 + 1 + offsetSize + header.length + program.length;
        if (dwarf64) {
            u8(0xff, 0xff, 0xff, 0xff);
            le(length, 8);
        } else {
            le(length, 4);
        }
        u8(5, 0, 4, 0); // version 5, address size 4, segment selector size 0
        le(header.length, offsetSize);
        b.writeBytes(header);
        b.writeBytes(program);
        return b.toByteArray();
    }

    private void le(long v, int size) {
        for (int i = 0; i < size; i++) {
            b.write((int) (v >>> (8 * i)));
        }
    }

    @Test
    void rowsOfAHandWrittenVersion5Program() throws Exception {
        for (boolean dwarf64 : new boolean[] {false, true}) {
            assertThat(LineTable.parse("t.elf", unit(dwarf64), null, null).rows()).containsExactly(
                    new LineRow(0x100, "/src/a.c", 3, 0, true, false),
                    new LineRow(0x104, "/src/a.c", 4, 0, true, false),
                    new LineRow(0x104, "/src/inc/b.h", 4, 0, false, false),
                    new LineRow(0x10a, null, 4, 0, false, true));
        }
    }
}
