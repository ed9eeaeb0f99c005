package org.metertwin.core.elf;

import org.metertwin.core.bus.SystemBus;

/**
 * Copies an executable's PT_LOAD segments into a machine's memory, as QEMU's ELF loader does: at the
 * physical (load) address, so initialised data lands in flash where the startup code copies it from,
 * with the bytes past p_filesz zero-filled.
 */
public final class ElfLoader {
    private ElfLoader() {
    }

    /**
     * Loads every segment. Fails when a segment's file bytes, or its first byte, fall outside RAM or
     * flash; zero fill that runs past the end of mapped memory is dropped (a .bss whose load address the
     * linker put after .data in flash, which nothing ever reads there).
     */
    public static void load(ElfFile elf, SystemBus bus) throws ElfFormatException {
        for (ElfSegment s : elf.segments()) {
            checkMapped(elf, bus, s, s.paddr(), Math.max(s.fileSize(), 1));
        }
        for (ElfSegment s : elf.segments()) {
            byte[] bytes = new byte[s.fileSize()];
            elf.copySegment(s, bytes, 0);
            bus.load(s.paddr(), bytes, 0, bytes.length);
            zeroFill(bus, s.paddr() + s.fileSize(), s.memSize() - s.fileSize());
        }
    }

    private static void checkMapped(ElfFile elf, SystemBus bus, ElfSegment s, int start, int length)
            throws ElfFormatException {
        long end = (start & 0xFFFFFFFFL) + length;
        for (long a = start & 0xFFFFFFFFL; a < end; a = (a & ~(long) (SystemBus.PAGE_SIZE - 1)) + SystemBus.PAGE_SIZE) {
            if (!bus.isMemory((int) a)) {
                throw new ElfFormatException(elf.name(), String.format(
                        "segment %d (0x%08x..0x%08x) is outside mapped memory: 0x%08x is not RAM or flash on this machine",
                        s.index(), s.paddr(), (s.paddr() & 0xFFFFFFFFL) + s.memSize(), a));
            }
        }
    }

    private static void zeroFill(SystemBus bus, int start, int length) {
        byte[] zeros = new byte[SystemBus.PAGE_SIZE];
        long a = start & 0xFFFFFFFFL;
        long end = a + (length & 0xFFFFFFFFL);
        while (a < end) {
            int chunk = (int) Math.min(end - a, SystemBus.PAGE_SIZE - (a & (SystemBus.PAGE_SIZE - 1)));
            if (!bus.isMemory((int) a)) {
                return;
            }
            bus.load((int) a, zeros, 0, chunk);
            a += chunk;
        }
    }
}
