package org.metertwin.core.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfSection;
import org.metertwin.core.elf.ElfSymbol;

/**
 * Keeps the corpus covering the stack-pointer encodings that once got through untested (issue 13): the
 * 12-bit plain-immediate SUBW/ADDW SP, SP, #imm that gcc emits for frames over 1 KiB whose size is no
 * modified immediate, and the register forms that alloca and VLAs use. Read from the committed ELFs' code
 * (each function's halfwords in order, from the symbol table), not from a disassembler, so that a change
 * to a program, the build flags or the compiler that loses these encodings fails here.
 */
@Tag("corpus")
class CorpusEncodingTest {

    /** The SP forms looked for, with the halfword patterns of ARMv7-M ARM A7.7. */
    enum SpForm {
        /** SUB (SP minus immediate) T3: SUBW SP, SP, #imm12. 11110 i 10101 0 1101 | 0 imm3 1101 imm8. */
        SUBW_SP_IMM12,
        /** ADD (SP plus immediate) T4: ADDW SP, SP, #imm12. 11110 i 10000 0 1101 | 0 imm3 1101 imm8. */
        ADDW_SP_IMM12,
        /** SUB (SP minus register) T1 with Rd = SP: SUB SP, SP, Rm{, shift}. 11101011101 0 1101 | 0 imm3 1101 imm2 type Rm. */
        SUB_SP_REG,
        /** MOV (register) T1 with Rd = SP: MOV SP, Rm. 010001 10 1 Rm 101. */
        MOV_SP_REG;

        static SpForm of32(int hw1, int hw2) {
            boolean rdSp = (hw2 & 0x8F00) == 0x0D00;
            if ((hw1 & 0xFBFF) == 0xF2AD && rdSp) {
                return SUBW_SP_IMM12;
            }
            if ((hw1 & 0xFBFF) == 0xF20D && rdSp) {
                return ADDW_SP_IMM12;
            }
            if (hw1 == 0xEBAD && rdSp) {
                return SUB_SP_REG;
            }
            return null;
        }

        static SpForm of16(int hw) {
            return (hw & 0xFF87) == 0x4685 ? MOV_SP_REG : null;
        }
    }

    @Test
    void decoderUnitPatterns() {
        // Halfwords as arm-none-eabi-objdump prints them for the corpus.
        assertThat(SpForm.of32(0xF2AD, 0x5DD4)).isEqualTo(SpForm.SUBW_SP_IMM12);   // subw sp, sp, #1492
        assertThat(SpForm.of32(0xF6AD, 0x7DF4)).isEqualTo(SpForm.SUBW_SP_IMM12);   // subw sp, sp, #4084
        assertThat(SpForm.of32(0xF20D, 0x5DD4)).isEqualTo(SpForm.ADDW_SP_IMM12);   // addw sp, sp, #1492
        assertThat(SpForm.of32(0xF60D, 0x0D04)).isEqualTo(SpForm.ADDW_SP_IMM12);   // addw sp, sp, #2052
        assertThat(SpForm.of32(0xF20D, 0x51CC)).isNull();                          // addw r1, sp, #1484
        assertThat(SpForm.of32(0xF5AD, 0x6DBA)).isNull();                          // sub.w sp, sp, #1488
        assertThat(SpForm.of32(0xEBAD, 0x0D03)).isEqualTo(SpForm.SUB_SP_REG);      // sub.w sp, sp, r3
        assertThat(SpForm.of16(0x46BD)).isEqualTo(SpForm.MOV_SP_REG);              // mov sp, r7
        assertThat(SpForm.of16(0x46D5)).isEqualTo(SpForm.MOV_SP_REG);              // mov sp, sl
        assertThat(SpForm.of16(0x466F)).isNull();                                  // mov r7, sp
    }

    @Test
    void corpusHasLargeFrameAndAllocaSpAdjustments() throws IOException {
        Map<String, Map<SpForm, List<String>>> byElf = new TreeMap<>();
        for (Path elf : listElves(corpusDir())) {
            byElf.put(baseName(elf), scan(elf));
        }
        assertThat(byElf).as("ELFs in the corpus").isNotEmpty();
        for (SpForm form : SpForm.values()) {
            assertThat(byElf.values().stream().anyMatch(m -> !m.get(form).isEmpty()))
                    .as("some corpus ELF contains %s", form).isTrue();
        }
        // Per program, so that each build of the programs written for these encodings keeps them.
        for (Map.Entry<String, Map<SpForm, List<String>>> e : byElf.entrySet()) {
            String name = e.getKey();
            Map<SpForm, List<String>> found = e.getValue();
            if (name.startsWith("frames-")) {
                assertThat(found.get(SpForm.SUBW_SP_IMM12)).as("%s: functions with SUBW SP, SP, #imm12", name)
                        .isNotEmpty();
                if (!name.contains("-O0-")) {   // -O0 frees the frame with MOV SP, R7
                    assertThat(found.get(SpForm.ADDW_SP_IMM12)).as("%s: functions with ADDW SP, SP, #imm12", name)
                            .isNotEmpty();
                }
            }
            if (name.startsWith("alloca-")) {
                assertThat(found.get(SpForm.SUB_SP_REG)).as("%s: functions with SUB SP, SP, Rm", name).isNotEmpty();
                assertThat(found.get(SpForm.MOV_SP_REG)).as("%s: functions with MOV SP, Rm", name).isNotEmpty();
            }
        }
        assertThat(byElf.keySet()).as("the corpus programs for SP adjustments")
                .anyMatch(n -> n.startsWith("frames-")).anyMatch(n -> n.startsWith("alloca-"));
    }

    /** The functions of an ELF (by name) in which each form occurs, walking each function's instructions. */
    private static Map<SpForm, List<String>> scan(Path path) throws IOException {
        ElfFile elf = ElfFile.read(path);
        ElfSection text = elf.section(".text").orElseThrow(() -> new AssertionError(path + ": no .text"));
        byte[] code = elf.contents(text);
        Map<SpForm, List<String>> found = new EnumMap<>(SpForm.class);
        for (SpForm f : SpForm.values()) {
            found.put(f, new ArrayList<>());
        }
        for (ElfSymbol s : elf.symbols().symbols()) {
            if (s.type() != ElfSymbol.STT_FUNC || s.size() <= 0) {
                continue;
            }
            int start = s.address() - text.address();
            int end = Math.min(start + s.size(), code.length);
            if (start < 0 || start >= code.length) {
                continue;
            }
            for (int at = start; at + 1 < end; ) {
                int hw1 = halfword(code, at);
                SpForm form;
                if ((hw1 >>> 11) >= 0x1D && at + 3 < end) {
                    form = SpForm.of32(hw1, halfword(code, at + 2));
                    at += 4;
                } else {
                    form = SpForm.of16(hw1);
                    at += 2;
                }
                if (form != null && !found.get(form).contains(s.name())) {
                    found.get(form).add(s.name());
                }
            }
        }
        return found;
    }

    private static int halfword(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static Path corpusDir() {
        URL url = CorpusEncodingTest.class.getResource("/corpus/TOOLCHAIN.txt");
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return Path.of("src", "test", "resources", "corpus");
    }

    private static List<Path> listElves(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".elf")).sorted().toList();
        }
    }

    private static String baseName(Path elf) {
        String file = elf.getFileName().toString();
        return file.substring(0, file.length() - ".elf".length());
    }
}
