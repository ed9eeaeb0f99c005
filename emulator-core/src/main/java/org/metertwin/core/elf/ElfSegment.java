package org.metertwin.core.elf;

/**
 * A program header of type PT_LOAD. Addresses are unsigned 32-bit values held in ints.
 *
 * @param index    position in the program header table (for messages)
 * @param vaddr    address the segment runs at (VMA)
 * @param paddr    address the segment is loaded at (LMA); differs from vaddr for initialised data that
 *                 the startup code copies from flash to RAM
 * @param offset   file offset of the segment's bytes
 * @param fileSize bytes taken from the file
 * @param memSize  bytes in memory; the part beyond fileSize is zero-filled (.bss)
 * @param flags    PF_X (1), PF_W (2), PF_R (4)
 */
public record ElfSegment(int index, int vaddr, int paddr, int offset, int fileSize, int memSize, int flags) {
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
}
