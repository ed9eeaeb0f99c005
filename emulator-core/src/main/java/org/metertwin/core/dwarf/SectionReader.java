package org.metertwin.core.dwarf;

/**
 * A little-endian cursor over one DWARF section. Every read checks its bounds, so truncated data gives a
 * {@link DwarfFormatException} that names the ELF, the section and the offset instead of an exception trace.
 */
final class SectionReader {
    private final String file;
    private final String section;
    private final byte[] data;
    private int pos;
    /** Reads stop here: the end of the section or of the unit being read. */
    private int end;

    SectionReader(String file, String section, byte[] data) {
        this.file = file;
        this.section = section;
        this.data = data;
        this.end = data.length;
    }

    int position() {
        return pos;
    }

    void seek(long position) throws DwarfFormatException {
        if (position < 0 || position > end) {
            throw bad(String.format("offset 0x%x is outside the %s", position,
                    end == data.length ? "section" : "unit"));
        }
        pos = (int) position;
    }

    int end() {
        return end;
    }

    /** Limits reads to the unit ending at {@code unitEnd}; an error when the unit runs past the section. */
    void limit(long unitEnd) throws DwarfFormatException {
        if (unitEnd > data.length) {
            throw bad(String.format("the unit's length reaches 0x%x, past the end of the section (0x%x)",
                    unitEnd, data.length));
        }
        end = (int) unitEnd;
    }

    void unlimit() {
        end = data.length;
    }

    boolean atEnd() {
        return pos >= end;
    }

    DwarfFormatException bad(String problem) {
        return new DwarfFormatException(file, section, pos, problem);
    }

    private void need(int n) throws DwarfFormatException {
        if (n > end - pos) {
            throw bad("truncated: " + n + " more byte" + (n == 1 ? "" : "s") + " expected");
        }
    }

    int u8() throws DwarfFormatException {
        need(1);
        return data[pos++] & 0xFF;
    }

    int s8() throws DwarfFormatException {
        need(1);
        return data[pos++];
    }

    int u16() throws DwarfFormatException {
        need(2);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    long u32() throws DwarfFormatException {
        need(4);
        long v = (data[pos] & 0xFFL) | (data[pos + 1] & 0xFFL) << 8 | (data[pos + 2] & 0xFFL) << 16
                | (data[pos + 3] & 0xFFL) << 24;
        pos += 4;
        return v;
    }

    long u64() throws DwarfFormatException {
        long lo = u32();
        return lo | u32() << 32;
    }

    /** An unsigned value of {@code size} bytes (1, 2, 4 or 8). */
    long unsigned(int size) throws DwarfFormatException {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw bad("unsupported value size " + size);
        };
    }

    long uleb() throws DwarfFormatException {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7F) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    long sleb() throws DwarfFormatException {
        long v = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7F) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            v |= -1L << shift;
        }
        return v;
    }

    /** A ULEB128 that must fit a non-negative int (a count, an index, a length). */
    int ulebInt(String what) throws DwarfFormatException {
        int at = pos;
        long v = uleb();
        if (v < 0 || v > Integer.MAX_VALUE) {
            pos = at;
            throw bad(what + " " + Long.toUnsignedString(v) + " is too large");
        }
        return (int) v;
    }

    /** A NUL-terminated UTF-8 string. */
    String cstring() throws DwarfFormatException {
        int start = pos;
        while (pos < end && data[pos] != 0) {
            pos++;
        }
        if (pos >= end) {
            pos = start;
            throw bad("unterminated string");
        }
        String s = new String(data, start, pos - start, java.nio.charset.StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    /** The NUL-terminated string at {@code offset} of this section (.debug_str, .debug_line_str). */
    String stringAt(long offset) throws DwarfFormatException {
        if (offset < 0 || offset >= data.length) {
            throw new DwarfFormatException(file, section, offset, "string offset is outside the section");
        }
        int saved = pos, savedEnd = end;
        pos = (int) offset;
        end = data.length;
        try {
            return cstring();
        } finally {
            pos = saved;
            end = savedEnd;
        }
    }

    void skip(long n) throws DwarfFormatException {
        if (n < 0 || n > end - pos) {
            throw bad("truncated: " + n + " bytes to skip, " + (end - pos) + " left");
        }
        pos += (int) n;
    }
}
