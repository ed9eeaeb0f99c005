package org.metertwin.core.elf;

/**
 * A symbol from .symtab. For Thumb functions the address has bit 0 cleared (the ELF value carries the
 * Thumb bit; the code starts at the even address).
 *
 * @param type STT_NOTYPE (0), STT_OBJECT (1) or STT_FUNC (2)
 * @param global true for STB_GLOBAL and STB_WEAK
 */
public record ElfSymbol(String name, int address, int size, int type, boolean global) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
}
