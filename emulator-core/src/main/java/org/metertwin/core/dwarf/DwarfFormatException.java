package org.metertwin.core.dwarf;

import java.io.IOException;

/**
 * Damaged or unsupported DWARF. The message is one line naming the ELF, the section and the byte offset in
 * it, fit to show to a user as is.
 */
public final class DwarfFormatException extends IOException {
    public DwarfFormatException(String file, String section, long offset, String problem) {
        super(String.format("%s: %s at offset 0x%x: %s", file, section, offset, problem));
    }
}
