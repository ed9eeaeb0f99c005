package org.metertwin.core.elf;

/** A section header: name, type (SHT_*), flags (SHF_*), address, file offset and size. */
public record ElfSection(String name, int type, int flags, int address, int offset, int size) {
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOBITS = 8;
    public static final int SHF_ALLOC = 2;
}
