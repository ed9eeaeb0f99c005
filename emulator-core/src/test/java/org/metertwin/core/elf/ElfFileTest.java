package org.metertwin.core.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ELF reader on a real arm-none-eabi-gcc image and on damaged copies of it. */
class ElfFileTest {
    private static byte[] image() throws Exception {
        return Files.readAllBytes(Path.of(ElfFileTest.class.getResource("/corpus/integer-O2-soft.elf").toURI()));
    }

    @Test
    void readsSegmentsEntryAndSymbols() throws Exception {
        ElfFile elf = ElfFile.parse("integer.elf", image());
        assertThat(elf.segments()).isNotEmpty();
        assertThat(elf.entry() & 1).as("Thumb entry").isEqualTo(1);
        int main = elf.symbols().addressOf("main").orElseThrow();
        assertThat(elf.symbols().nearest(main + 4)).isEqualTo("main+0x4");
    }

    @Test
    void damagedFilesGiveOneLineNamingTheFile() throws Exception {
        byte[] good = image();
        byte[] notElf = "#!/bin/sh\necho hi\n".getBytes();
        byte[] truncated = Arrays.copyOf(good, 40);
        byte[] class64 = good.clone();
        class64[4] = 2;
        byte[] bigEndian = good.clone();
        bigEndian[5] = 2;
        byte[] x86 = good.clone();
        x86[18] = 3; // e_machine = EM_386
        x86[19] = 0;
        byte[] cutSegment = Arrays.copyOf(good, 0x200);
        for (byte[] bad : new byte[][] {notElf, truncated, class64, bigEndian, x86, cutSegment}) {
            assertThatThrownBy(() -> ElfFile.parse("fw.elf", bad)).isInstanceOf(ElfFormatException.class)
                    .satisfies(e -> {
                        assertThat(e.getMessage()).startsWith("fw.elf").doesNotContain("\n");
                    });
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random random = new Random(20261123);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            if (data.length > 4 && random.nextBoolean()) {
                data[0] = 0x7f;
                data[1] = 'E';
                data[2] = 'L';
                data[3] = 'F';
            }
            try {
                ElfFile.parse("random.elf", data);
            } catch (ElfFormatException expected) {
                assertThat(expected.getMessage()).startsWith("random.elf");
            }
        }
    }
}
