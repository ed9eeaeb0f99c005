package org.metertwin.core.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfSection;

/**
 * The rows of every line program in an ELF's .debug_line (DWARF versions 2 to 5), in the order the programs
 * emit them: what {@code objdump --dwarf=decodedline} prints. See DWARF 5, section 6.2.
 */
public final class LineTable {
    private static final String SECTION = ".debug_line";

    // standard opcodes (DWARF 5, 6.2.5.2)
    private static final int DW_LNS_COPY = 1;
    private static final int DW_LNS_ADVANCE_PC = 2;
    private static final int DW_LNS_ADVANCE_LINE = 3;
    private static final int DW_LNS_SET_FILE = 4;
    private static final int DW_LNS_SET_COLUMN = 5;
    private static final int DW_LNS_NEGATE_STMT = 6;
    private static final int DW_LNS_SET_BASIC_BLOCK = 7;
    private static final int DW_LNS_CONST_ADD_PC = 8;
    private static final int DW_LNS_FIXED_ADVANCE_PC = 9;
    private static final int DW_LNS_SET_PROLOGUE_END = 10;
    private static final int DW_LNS_SET_EPILOGUE_BEGIN = 11;
    private static final int DW_LNS_SET_ISA = 12;
    // extended opcodes (6.2.5.3)
    private static final int DW_LNE_END_SEQUENCE = 1;
    private static final int DW_LNE_SET_ADDRESS = 2;
    private static final int DW_LNE_DEFINE_FILE = 3;
    // v5 entry formats (6.2.4.1) and the forms they may use (7.5.6)
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;
    private static final int DW_FORM_BLOCK = 0x09;
    private static final int DW_FORM_DATA1 = 0x0b;
    private static final int DW_FORM_DATA2 = 0x05;
    private static final int DW_FORM_DATA4 = 0x06;
    private static final int DW_FORM_DATA8 = 0x07;
    private static final int DW_FORM_DATA16 = 0x1e;
    private static final int DW_FORM_STRING = 0x08;
    private static final int DW_FORM_STRP = 0x0e;
    private static final int DW_FORM_LINE_STRP = 0x1f;
    private static final int DW_FORM_UDATA = 0x0f;

    private final List<LineRow> rows;

    private LineTable(List<LineRow> rows) {
        this.rows = rows;
    }

    /** Rows of all units in section order; empty when the ELF has no .debug_line. */
    public List<LineRow> rows() {
        return rows;
    }

    /** Parses the ELF's line programs; damaged DWARF gives a one-line error naming the file and offset. */
    public static LineTable read(ElfFile elf) throws java.io.IOException {
        Optional<ElfSection> line = elf.section(SECTION);
        if (line.isEmpty()) {
            return new LineTable(List.of());
        }
        return parse(elf.name(), elf.contents(line.get()), contents(elf, ".debug_str"),
                contents(elf, ".debug_line_str"));
    }

    /** Parses .debug_line bytes with the string sections it may refer to (null when absent). */
    static LineTable parse(String elfName, byte[] debugLine, byte[] debugStr, byte[] debugLineStr)
            throws DwarfFormatException {
        SectionReader in = new SectionReader(elfName, SECTION, debugLine);
        SectionReader str = debugStr == null ? null : new SectionReader(elfName, ".debug_str", debugStr);
        SectionReader lineStr = debugLineStr == null ? null
                : new SectionReader(elfName, ".debug_line_str", debugLineStr);
        List<LineRow> rows = new ArrayList<>();
        while (!in.atEnd()) {
            new Unit(in, str, lineStr, elfName).run(rows);
        }
        return new LineTable(List.copyOf(rows));
    }

    private static byte[] contents(ElfFile elf, String name) throws java.io.IOException {
        Optional<ElfSection> s = elf.section(name);
        return s.isEmpty() ? null : elf.contents(s.get());
    }

    /** One line-program unit: its header, file table and state machine. */
    private static final class Unit {
        private final SectionReader in;
        private final SectionReader str;
        private final SectionReader lineStr;
        private final String elfName;
        private final int unitStart;
        private boolean dwarf64;
        private int version;
        private int minInstructionLength;
        private boolean defaultIsStmt;
        private int lineBase;
        private int lineRange;
        private int opcodeBase;
        private int[] standardLengths;
        private final List<String> directories = new ArrayList<>();
        private final List<String> files = new ArrayList<>();

        Unit(SectionReader in, SectionReader str, SectionReader lineStr, String elfName) {
            this.in = in;
            this.str = str;
            this.lineStr = lineStr;
            this.elfName = elfName;
            this.unitStart = in.position();
        }

        void run(List<LineRow> rows) throws DwarfFormatException {
            long length = in.u32();
            if (length == 0xFFFFFFFFL) {
                dwarf64 = true;
                length = in.u64();
            } else if (length >= 0xFFFFFFF0L) {
                throw in.bad(String.format("reserved unit length 0x%x", length));
            }
            long unitEnd = in.position() + length;
            if (length < 0 || unitEnd < 0) {
                throw in.bad("unit length is too large");
            }
            in.limit(unitEnd);
            int versionAt = in.position();
            version = in.u16();
            if (version < 2 || version > 5) {
                in.seek(versionAt);
                throw in.bad("unsupported line table version " + version + " (2 to 5 are supported)");
            }
            if (version >= 5) {
                int addressSize = in.u8();
                if (addressSize != 4) {
                    throw in.bad("address size " + addressSize + ", expected 4 for 32-bit ARM");
                }
                in.u8(); // segment selector size
            }
            long headerLength = offset();
            long programStart = in.position() + headerLength;
            minInstructionLength = in.u8();
            if (version >= 4) {
                int maxOps = in.u8();
                if (maxOps != 1) {
                    throw in.bad("maximum_operations_per_instruction " + maxOps + " (VLIW) is not supported");
                }
            }
            defaultIsStmt = in.u8() != 0;
            lineBase = in.s8();
            lineRange = in.u8();
            if (lineRange == 0) {
                in.seek(in.position() - 1);
                throw in.bad("line_range is 0");
            }
            opcodeBase = in.u8();
            if (opcodeBase == 0) {
                throw in.bad("opcode_base is 0");
            }
            standardLengths = new int[opcodeBase];
            for (int i = 1; i < opcodeBase; i++) {
                standardLengths[i] = in.u8();
            }
            if (version >= 5) {
                readEntries(directories, true);
                readEntries(files, false);
            } else {
                readLegacyTables();
            }
            in.seek(programStart);
            execute(rows);
            in.seek(unitEnd);
            in.unlimit();
        }

        private long offset() throws DwarfFormatException {
            return dwarf64 ? in.u64() : in.u32();
        }

        /** DWARF 2-4: include_directories then file_names, each ended by an empty string. */
        private void readLegacyTables() throws DwarfFormatException {
            directories.add(""); // index 0: the compilation directory, which the line table does not name
            for (String d = in.cstring(); !d.isEmpty(); d = in.cstring()) {
                directories.add(d);
            }
            files.add(null); // file numbers start at 1
            for (String f = in.cstring(); !f.isEmpty(); f = in.cstring()) {
                files.add(legacyFile(f));
            }
        }

        private String legacyFile(String name) throws DwarfFormatException {
            int dirAt = in.position();
            int dir = in.ulebInt("directory index");
            in.uleb(); // modification time
            in.uleb(); // length
            if (dir >= directories.size()) {
                in.seek(dirAt);
                throw in.bad("file " + name + " names directory " + dir + " of " + directories.size());
            }
            return join(directories.get(dir), name);
        }

        /** DWARF 5: an entry format, then entries; keeps each entry's path (joined with its directory). */
        private void readEntries(List<String> into, boolean isDirectories) throws DwarfFormatException {
            int formatCount = in.u8();
            int[] types = new int[formatCount];
            int[] forms = new int[formatCount];
            for (int i = 0; i < formatCount; i++) {
                types[i] = in.ulebInt("content type");
                forms[i] = in.ulebInt("form");
            }
            int count = in.ulebInt(isDirectories ? "directory count" : "file count");
            for (int e = 0; e < count; e++) {
                String path = null;
                long dir = 0;
                for (int i = 0; i < formatCount; i++) {
                    int at = in.position();
                    if (types[i] == DW_LNCT_PATH) {
                        path = string(forms[i]);
                    } else {
                        long v = value(forms[i]);
                        if (types[i] == DW_LNCT_DIRECTORY_INDEX) {
                            dir = v;
                            if (!isDirectories && (dir < 0 || dir >= directories.size())) {
                                in.seek(at);
                                throw in.bad("file entry " + e + " names directory " + dir + " of "
                                        + directories.size());
                            }
                        }
                    }
                }
                if (path == null) {
                    throw in.bad((isDirectories ? "directory" : "file") + " entry " + e + " has no path");
                }
                // directories after the first are relative to the first, the compilation directory (6.2.4)
                into.add(isDirectories ? (e == 0 ? path : join(into.get(0), path))
                        : join(directories.get((int) dir), path));
            }
        }

        private String string(int form) throws DwarfFormatException {
            return switch (form) {
                case DW_FORM_STRING -> in.cstring();
                case DW_FORM_LINE_STRP -> indirect(lineStr, ".debug_line_str");
                case DW_FORM_STRP -> indirect(str, ".debug_str");
                default -> throw in.bad(String.format("form 0x%x cannot hold a path", form));
            };
        }

        private String indirect(SectionReader strings, String name) throws DwarfFormatException {
            long offset = offset();
            if (strings == null) {
                throw in.bad("a path refers to " + name + ", which the ELF does not have");
            }
            return strings.stringAt(offset);
        }

        /** A value of the forms entry formats use for numbers; MD5 and blocks are skipped (0). */
        private long value(int form) throws DwarfFormatException {
            switch (form) {
                case DW_FORM_UDATA:
                    return in.uleb();
                case DW_FORM_DATA1:
                    return in.u8();
                case DW_FORM_DATA2:
                    return in.u16();
                case DW_FORM_DATA4:
                    return in.u32();
                case DW_FORM_DATA8:
                    return in.u64();
                case DW_FORM_DATA16:
                    in.skip(16);
                    return 0;
                case DW_FORM_BLOCK:
                    in.skip(in.uleb());
                    return 0;
                case DW_FORM_STRING:
                case DW_FORM_LINE_STRP:
                case DW_FORM_STRP:
                    string(form);
                    return 0;
                default:
                    throw in.bad(String.format("unsupported form 0x%x in an entry format", form));
            }
        }

        private static String join(String dir, String name) {
            if (dir.isEmpty() || name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
                return name;
            }
            return dir.endsWith("/") ? dir + name : dir + "/" + name;
        }

        // ------------------------------------------------------------------ the state machine (6.2.2)
        private long address;
        private int file;
        private long line;
        private int column;
        private boolean isStmt;

        private void resetRegisters() {
            address = 0;
            file = 1;
            line = 1;
            column = 0;
            isStmt = defaultIsStmt;
        }

        private void execute(List<LineRow> rows) throws DwarfFormatException {
            resetRegisters();
            while (!in.atEnd()) {
                int opAt = in.position();
                int op = in.u8();
                if (op >= opcodeBase) { // special opcode: advance address and line, append a row
                    int adjusted = op - opcodeBase;
                    address += (long) (adjusted / lineRange) * minInstructionLength;
                    line += lineBase + adjusted % lineRange;
                    emit(rows, false, opAt);
                    continue;
                }
                switch (op) {
                    case 0 -> extended(rows, opAt);
                    case DW_LNS_COPY -> emit(rows, false, opAt);
                    case DW_LNS_ADVANCE_PC -> address += in.uleb() * minInstructionLength;
                    case DW_LNS_ADVANCE_LINE -> line += in.sleb();
                    case DW_LNS_SET_FILE -> file = in.ulebInt("file index");
                    case DW_LNS_SET_COLUMN -> column = (int) Math.min(Integer.MAX_VALUE, in.uleb());
                    case DW_LNS_NEGATE_STMT -> isStmt = !isStmt;
                    case DW_LNS_SET_BASIC_BLOCK, DW_LNS_SET_PROLOGUE_END, DW_LNS_SET_EPILOGUE_BEGIN -> {
                    }
                    case DW_LNS_CONST_ADD_PC -> address += (long) ((255 - opcodeBase) / lineRange)
                            * minInstructionLength;
                    case DW_LNS_FIXED_ADVANCE_PC -> address += in.u16();
                    case DW_LNS_SET_ISA -> in.uleb();
                    default -> { // a standard opcode newer than this reader: skip its ULEB128 operands
                        for (int i = 0; i < standardLengths[op]; i++) {
                            in.uleb();
                        }
                    }
                }
            }
        }

        private void extended(List<LineRow> rows, int opAt) throws DwarfFormatException {
            long length = in.uleb();
            if (length == 0 || length > in.end() - in.position()) {
                throw in.bad("extended opcode length " + length + " runs past the unit");
            }
            int next = in.position() + (int) length;
            int sub = in.u8();
            switch (sub) {
                case DW_LNE_END_SEQUENCE -> {
                    emit(rows, true, opAt);
                    resetRegisters();
                }
                case DW_LNE_SET_ADDRESS -> address = in.unsigned((int) length - 1);
                case DW_LNE_DEFINE_FILE -> {
                    if (version >= 5) {
                        throw in.bad("DW_LNE_define_file is not allowed in version 5");
                    }
                    files.add(legacyFile(in.cstring()));
                }
                default -> {
                } // DW_LNE_set_discriminator and vendor opcodes: nothing a row needs
            }
            in.seek(next);
        }

        private void emit(List<LineRow> rows, boolean endSequence, int opAt) throws DwarfFormatException {
            String path = null;
            if (!endSequence) {
                if (file < 0 || file >= files.size() || files.get(file) == null) {
                    throw new DwarfFormatException(elfName, SECTION, opAt, String.format(
                            "row for address 0x%x names file %d, the unit at 0x%x has %d", address, file,
                            unitStart, files.size() - (version >= 5 ? 0 : 1)));
                }
                path = files.get(file);
            }
            if (address > 0xFFFFFFFFL || address < 0) {
                throw new DwarfFormatException(elfName, SECTION, opAt,
                        String.format("address 0x%x does not fit 32 bits", address));
            }
            rows.add(new LineRow((int) address, path, (int) line, column, isStmt, endSequence));
        }
    }
}
