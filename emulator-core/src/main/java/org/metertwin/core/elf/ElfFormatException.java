package org.metertwin.core.elf;

import java.io.IOException;

/**
 * The file is not a loadable 32-bit little-endian ARM ELF executable. The message is one line that names
 * the file and what is wrong with it, fit to show to a user as is.
 */
public final class ElfFormatException extends IOException {
    public ElfFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
