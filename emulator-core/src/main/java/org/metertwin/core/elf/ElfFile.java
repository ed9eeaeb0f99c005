package org.metertwin.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed ELF32 little-endian ARM executable: its PT_LOAD segments, entry point, section headers and
 * symbols. Parsing checks every offset against the file size, so a damaged file gives an
 * {@link ElfFormatException} naming the file and the problem, never an index exception.
 */
public final class ElfFile {
    public static final int EM_ARM = 40;
    private static final int EHDR_SIZE = 52;
    private static final int PHDR_SIZE = 32;
    private static final int SHDR_SIZE = 40;
    private static final int SYM_SIZE = 16;
    private static final int PT_LOAD = 1;
    private static final int ET_EXEC = 2;

    private final String name;
    private final byte[] data;
    private final int entry;
    private final int flags;
    private final List<ElfSegment> segments;
    private final List<ElfSection> sections;
    private final SymbolTable symbols;

    private ElfFile(String name, byte[] data, int entry, int flags, List<ElfSegment> segments,
                    List<ElfSection> sections, SymbolTable symbols) {
        this.name = name;
        this.data = data;
        this.entry = entry;
        this.flags = flags;
        this.segments = segments;
        this.sections = sections;
        this.symbols = symbols;
    }

    /** Reads and parses a file; a missing file gives the usual {@link java.nio.file.NoSuchFileException}. */
    public static ElfFile read(Path path) throws IOException {
        return parse(path.toString(), Files.readAllBytes(path));
    }

    /** Parses an image held in memory; {@code name} is used in error messages. */
    public static ElfFile parse(String name, byte[] data) throws ElfFormatException {
        return new Parser(name, data).parse();
    }

    public String name() {
        return name;
    }

    /** e_entry (Thumb bit included, as the linker wrote it). Cortex-M reset ignores it: it uses the vector table. */
    public int entry() {
        return entry;
    }

    /** e_flags (EABI version, float ABI). */
    public int flags() {
        return flags;
    }

    /** PT_LOAD segments in program header order. */
    public List<ElfSegment> segments() {
        return segments;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /** The first section called {@code name} (".debug_line", say), if any. */
    public java.util.Optional<ElfSection> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst();
    }

    /** A copy of a section's file bytes (empty for SHT_NOBITS); an error when they lie outside the file. */
    public byte[] contents(ElfSection s) throws ElfFormatException {
        if (s.type() == ElfSection.SHT_NOBITS) {
            return new byte[0];
        }
        long end = (s.offset() & 0xFFFFFFFFL) + (s.size() & 0xFFFFFFFFL);
        if (s.offset() < 0 || s.size() < 0 || end > data.length) {
            throw new ElfFormatException(name, String.format("section %s (offset 0x%x, size 0x%x) lies outside the"
                    + " file", s.name(), s.offset(), s.size()));
        }
        return java.util.Arrays.copyOfRange(data, s.offset(), (int) end);
    }

    /** Copies a segment's file bytes into {@code dst}. */
    public void copySegment(ElfSegment s, byte[] dst, int dstOff) {
        System.arraycopy(data, s.offset(), dst, dstOff, s.fileSize());
    }

    /** One parse of one file; keeps the name for messages. */
    private static final class Parser {
        private final String name;
        private final byte[] data;
        private final ByteBuffer buf;

        Parser(String name, byte[] data) {
            this.name = name;
            this.data = data;
            this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        private ElfFormatException bad(String problem) {
            return new ElfFormatException(name, problem);
        }

        ElfFile parse() throws ElfFormatException {
            if (data.length == 0) {
                throw bad("empty file, expected an ELF executable");
            }
            if (data.length < 4 || data[0] != 0x7F || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
                throw bad("not an ELF file (no \\x7fELF magic at the start)");
            }
            if (data.length < 6) {
                throw bad(String.format("truncated ELF header (%d of %d bytes)", data.length, EHDR_SIZE));
            }
            int elfClass = data[4];
            if (elfClass == 2) {
                throw bad("ELFCLASS64 is not supported: expected a 32-bit ARM executable (ELFCLASS32)");
            }
            if (elfClass != 1) {
                throw bad("bad ELF class " + elfClass + ": expected 1 (ELFCLASS32)");
            }
            int encoding = data[5];
            if (encoding == 2) {
                throw bad("big-endian ELF is not supported: expected little-endian (ELFDATA2LSB)");
            }
            if (encoding != 1) {
                throw bad("bad ELF data encoding " + encoding + ": expected 1 (little-endian)");
            }
            if (data.length < EHDR_SIZE) {
                throw bad(String.format("truncated ELF header (%d of %d bytes)", data.length, EHDR_SIZE));
            }
            int type = u16(16);
            int machine = u16(18);
            if (machine != EM_ARM) {
                throw bad(String.format("e_machine is %d (%s), expected %d (ARM)", machine, machineName(machine), EM_ARM));
            }
            if (type != ET_EXEC) {
                throw bad(String.format("e_type is %d (%s), expected 2 (executable)", type, typeName(type)));
            }
            int entry = buf.getInt(24);
            long phoff = u32(28);
            long shoff = u32(32);
            int flags = buf.getInt(36);
            int phentsize = u16(42);
            int phnum = u16(44);
            int shentsize = u16(46);
            int shnum = u16(48);
            int shstrndx = u16(50);

            List<ElfSegment> segments = readSegments(phoff, phentsize, phnum);
            List<ElfSection> sections = new ArrayList<>();
            SymbolTable symbols = readSections(shoff, shentsize, shnum, shstrndx, sections);
            return new ElfFile(name, data, entry, flags, List.copyOf(segments), List.copyOf(sections), symbols);
        }

        private List<ElfSegment> readSegments(long phoff, int phentsize, int phnum) throws ElfFormatException {
            if (phnum == 0) {
                throw bad("no program headers: nothing to load");
            }
            if (phentsize != PHDR_SIZE) {
                throw bad("e_phentsize is " + phentsize + ", expected " + PHDR_SIZE);
            }
            if (phoff + (long) phnum * PHDR_SIZE > data.length) {
                throw bad(String.format("truncated: program header table (at offset 0x%x, %d entries) runs past the end of the file (%d bytes)",
                        phoff, phnum, data.length));
            }
            List<ElfSegment> out = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                int p = (int) (phoff + (long) i * PHDR_SIZE);
                if (buf.getInt(p) != PT_LOAD) {
                    continue;
                }
                long offset = u32(p + 4);
                int vaddr = buf.getInt(p + 8);
                int paddr = buf.getInt(p + 12);
                long filesz = u32(p + 16);
                long memsz = u32(p + 20);
                int pflags = buf.getInt(p + 24);
                if (filesz > memsz) {
                    throw bad(String.format("segment %d: p_filesz 0x%x is larger than p_memsz 0x%x", i, filesz, memsz));
                }
                if (offset + filesz > data.length) {
                    throw bad(String.format("truncated segment %d: file bytes 0x%x..0x%x run past the end of the file (%d bytes)",
                            i, offset, offset + filesz, data.length));
                }
                if ((paddr & 0xFFFFFFFFL) + memsz > 0x1_0000_0000L) {
                    throw bad(String.format("segment %d at 0x%08x (0x%x bytes) wraps past the top of the address space", i, paddr, memsz));
                }
                if (memsz == 0) {
                    continue;
                }
                out.add(new ElfSegment(i, vaddr, paddr, (int) offset, (int) filesz, (int) memsz, pflags));
            }
            if (out.isEmpty()) {
                throw bad("no PT_LOAD segments: nothing to load");
            }
            return out;
        }

        private SymbolTable readSections(long shoff, int shentsize, int shnum, int shstrndx, List<ElfSection> out)
                throws ElfFormatException {
            if (shoff == 0 || shnum == 0) {
                return SymbolTable.empty(); // stripped of section headers: loadable, just no symbols
            }
            if (shentsize != SHDR_SIZE) {
                throw bad("e_shentsize is " + shentsize + ", expected " + SHDR_SIZE);
            }
            if (shoff + (long) shnum * SHDR_SIZE > data.length) {
                throw bad(String.format("truncated: section header table (at offset 0x%x, %d entries) runs past the end of the file (%d bytes)",
                        shoff, shnum, data.length));
            }
            int[] nameOff = new int[shnum];
            int[] type = new int[shnum];
            int[] link = new int[shnum];
            long[] off = new long[shnum];
            long[] size = new long[shnum];
            int[] addr = new int[shnum];
            int[] flags = new int[shnum];
            for (int i = 0; i < shnum; i++) {
                int p = (int) (shoff + (long) i * SHDR_SIZE);
                nameOff[i] = buf.getInt(p);
                type[i] = buf.getInt(p + 4);
                flags[i] = buf.getInt(p + 8);
                addr[i] = buf.getInt(p + 12);
                off[i] = u32(p + 16);
                size[i] = u32(p + 20);
                link[i] = buf.getInt(p + 24);
                if (type[i] != ElfSection.SHT_NOBITS && off[i] + size[i] > data.length) {
                    throw bad(String.format("truncated section %d: bytes 0x%x..0x%x run past the end of the file (%d bytes)",
                            i, off[i], off[i] + size[i], data.length));
                }
            }
            boolean haveNames = shstrndx > 0 && shstrndx < shnum && type[shstrndx] == ElfSection.SHT_STRTAB;
            int symtab = -1;
            for (int i = 0; i < shnum; i++) {
                String n = haveNames ? string(off[shstrndx], size[shstrndx], nameOff[i]) : "";
                out.add(new ElfSection(n, type[i], flags[i], addr[i], (int) off[i], (int) size[i]));
                if (type[i] == ElfSection.SHT_SYMTAB && symtab < 0) {
                    symtab = i;
                }
            }
            if (symtab < 0) {
                return SymbolTable.empty();
            }
            int strtab = link[symtab];
            if (strtab <= 0 || strtab >= shnum || type[strtab] != ElfSection.SHT_STRTAB) {
                throw bad("section " + symtab + " (.symtab) links to " + strtab + ", which is not a string table");
            }
            return readSymbols(off[symtab], size[symtab], off[strtab], size[strtab]);
        }

        private SymbolTable readSymbols(long symOff, long symSize, long strOff, long strSize) {
            List<ElfSymbol> symbols = new ArrayList<>();
            for (long p = symOff + SYM_SIZE; p + SYM_SIZE <= symOff + symSize; p += SYM_SIZE) { // entry 0 is null
                int q = (int) p;
                int nameIdx = buf.getInt(q);
                int value = buf.getInt(q + 4);
                int size = buf.getInt(q + 8);
                int info = data[q + 12] & 0xFF;
                int shndx = u16(q + 14);
                int type = info & 0xF;
                int bind = info >>> 4;
                if (shndx == 0 || (shndx >= 0xFF00 && shndx != 0xFFF1)) {
                    continue; // undefined, or common/special (0xFFF1 = SHN_ABS stays)
                }
                if (type != ElfSymbol.STT_NOTYPE && type != ElfSymbol.STT_OBJECT && type != ElfSymbol.STT_FUNC) {
                    continue; // sections, files, TLS
                }
                String n = string(strOff, strSize, nameIdx);
                if (n.isEmpty() || n.charAt(0) == '$') {
                    continue; // ARM mapping symbols $t, $a, $d mark code/data runs, not names
                }
                int address = type == ElfSymbol.STT_FUNC ? value & ~1 : value;
                symbols.add(new ElfSymbol(n, address, size, type, bind == 1 || bind == 2));
            }
            return new SymbolTable(symbols);
        }

        /** A NUL-terminated string at {@code index} within a string table; "" when out of range. */
        private String string(long tableOff, long tableSize, int index) {
            if (index < 0 || index >= tableSize) {
                return "";
            }
            int start = (int) (tableOff + index);
            int end = start;
            int limit = (int) (tableOff + tableSize);
            while (end < limit && data[end] != 0) {
                end++;
            }
            return new String(data, start, end - start, StandardCharsets.UTF_8);
        }

        private int u16(int off) {
            return buf.getShort(off) & 0xFFFF;
        }

        private long u32(int off) {
            return buf.getInt(off) & 0xFFFFFFFFL;
        }
    }

    static String machineName(int machine) {
        switch (machine) {
            case 0: return "none";
            case 3: return "x86";
            case 8: return "MIPS";
            case 20: return "PowerPC";
            case 21: return "PowerPC64";
            case 40: return "ARM";
            case 62: return "x86-64";
            case 94: return "Xtensa";
            case 183: return "AArch64";
            case 243: return "RISC-V";
            default: return "unknown";
        }
    }

    private static String typeName(int type) {
        switch (type) {
            case 0: return "no file type";
            case 1: return "relocatable object, not linked";
            case 3: return "shared object or PIE";
            case 4: return "core dump";
            default: return "unknown";
        }
    }
}
