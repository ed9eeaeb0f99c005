package org.metertwin.core.dwarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfSection;

/**
 * The line-program parser against binutils: every row {@code objdump --dwarf=decodedline} printed for the
 * fixtures of src/test/firmware/coverage (built by its build.sh at -O0 and -O2, line programs v3, v4, v5).
 */
class LineTableTest {
    /** objdump's row: file, line or "-" at an end of sequence, address, optional view, "x" when is_stmt. */
    private static final Pattern ROW = Pattern.compile("^(\\S+)\\s+(\\d+|-)\\s+0x([0-9a-f]+)(?:\\s+\\d+)?(\\s+x)?\\s*$");

    static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(Path.of(LineTableTest.class.getResource("/dwarf/" + name).toURI()));
    }

    private static List<String> golden(String variant) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String l : new String(fixture("cov-" + variant + ".decodedline")).split("\n")) {
            Matcher m = ROW.matcher(l);
            if (m.matches()) {
                rows.add(m.group(2).equals("-") ? "end 0x" + m.group(3)
                        : m.group(1) + " " + m.group(2) + " 0x" + m.group(3) + (m.group(4) != null ? " stmt" : ""));
            }
        }
        return rows;
    }

    private static String asObjdump(LineRow r) {
        String address = "0x" + Integer.toHexString(r.address());
        if (r.endSequence()) {
            return "end " + address;
        }
        return r.file().substring(r.file().lastIndexOf('/') + 1) + " " + r.line() + " " + address
                + (r.isStmt() ? " stmt" : "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"O0-dwarf3", "O0-dwarf4", "O0-dwarf5", "O2-dwarf4", "O2-dwarf5"})
    void rowsMatchObjdumpDecodedLine(String variant) throws Exception {
        ElfFile elf = ElfFile.parse("cov-" + variant + ".elf", fixture("cov-" + variant + ".elf"));
        List<String> expected = golden(variant);
        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(LineTable.read(elf).rows()).extracting(LineTableTest::asObjdump).containsExactlyElementsOf(expected);
    }

    @Test
    void version5PathsAreJoinedWithTheRecordedDirectory() throws Exception {
        // build.sh maps the source directory to /src/coverage; DWARF 5 names it as directory 0
        ElfFile elf = ElfFile.parse("cov.elf", fixture("cov-O0-dwarf5.elf"));
        assertThat(LineTable.read(elf).rows()).filteredOn(r -> !r.endSequence()).extracting(LineRow::file)
                .containsOnly("/src/coverage/cov.c", "/src/coverage/util.c");
        // before version 5 the compilation directory is not in the line table: the name stays as recorded
        ElfFile v4 = ElfFile.parse("cov.elf", fixture("cov-O0-dwarf4.elf"));
        assertThat(LineTable.read(v4).rows()).filteredOn(r -> !r.endSequence()).extracting(LineRow::file)
                .containsOnly("cov.c", "util.c");
    }

    private static byte[] withLineSection(String variant, java.util.function.Consumer<byte[]> damage) throws Exception {
        byte[] image = fixture("cov-" + variant + ".elf");
        ElfSection s = ElfFile.parse("x", image).section(".debug_line").orElseThrow();
        byte[] section = java.util.Arrays.copyOfRange(image, s.offset(), s.offset() + s.size());
        damage.accept(section);
        System.arraycopy(section, 0, image, s.offset(), s.size());
        return image;
    }

    @Test
    void damagedLineProgramsGiveOneLineNamingTheFileSectionAndOffset() throws Exception {
        byte[] badVersion = withLineSection("O0-dwarf5", d -> d[4] = 9);
        byte[] longUnit = withLineSection("O0-dwarf4", d -> d[3] = 0x40); // unit length far past the section
        byte[] badRange = withLineSection("O0-dwarf4", d -> d[4 + 2 + 4 + 4] = 0); // line_range of a v4 header
        assertThatThrownBy(() -> LineTable.read(ElfFile.parse("fw.elf", badVersion)))
                .isInstanceOf(DwarfFormatException.class)
                .hasMessage("fw.elf: .debug_line at offset 0x4: unsupported line table version 9 (2 to 5 are supported)");
        assertThatThrownBy(() -> LineTable.read(ElfFile.parse("fw.elf", longUnit)))
                .isInstanceOf(DwarfFormatException.class)
                .hasMessageStartingWith("fw.elf: .debug_line at offset 0x4: the unit's length reaches");
        assertThatThrownBy(() -> LineTable.read(ElfFile.parse("fw.elf", badRange)))
                .isInstanceOf(DwarfFormatException.class)
                .hasMessage("fw.elf: .debug_line at offset 0xe: line_range is 0");
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() throws Exception {
        Random random = new Random(5); // seeded: the same damage every run
        for (String variant : new String[] {"O0-dwarf3", "O2-dwarf4", "O2-dwarf5"}) {
            for (int trial = 0; trial < 400; trial++) {
                int flips = 1 + random.nextInt(4);
                byte[] image = withLineSection(variant, d -> {
                    for (int i = 0; i < flips; i++) {
                        d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                    }
                });
                try {
                    LineTable.read(ElfFile.parse("fw.elf", image));
                } catch (DwarfFormatException e) {
                    assertThat(e.getMessage()).startsWith("fw.elf: .debug_").doesNotContain("\n");
                }
            }
        }
    }
}
