package org.metertwin.management.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.elf.ElfFile;

/**
 * The body taken from an ELF: a program linked for the application slot by arm-none-eabi-gcc gives the
 * bytes {@code objcopy -O binary --gap-fill 0xff} gives; hand-made ELFs reach each refusal.
 */
class ImageBodyTest {
    @TempDir
    Path dir;

    /** One PT_LOAD segment of a hand-made ELF. */
    record Segment(int vaddr, int paddr, byte[] bytes, int memSize) {
        Segment(int paddr, byte[] bytes) {
            this(paddr, paddr, bytes, bytes.length);
        }
    }

    /** A minimal ELF32 ARM executable with these segments (no sections). */
    static byte[] elf(Segment... segments) {
        int dataAt = 52 + 32 * segments.length;
        int size = dataAt + Arrays.stream(segments).mapToInt(s -> s.bytes().length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0}).position(16);
        b.putShort((short) 2).putShort((short) 40).putInt(1).putInt(ApplicationSlot.BODY_ADDRESS | 1).putInt(52)
                .putInt(0).putInt(0x0500_0400).putShort((short) 52).putShort((short) 32)
                .putShort((short) segments.length).putShort((short) 40).putShort((short) 0).putShort((short) 0);
        int offset = dataAt;
        for (Segment s : segments) {
            b.putInt(1).putInt(offset).putInt(s.vaddr()).putInt(s.paddr()).putInt(s.bytes().length)
                    .putInt(s.memSize()).putInt(5).putInt(4);
            offset += s.bytes().length;
        }
        for (Segment s : segments) {
            b.put(s.bytes());
        }
        return b.array();
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private byte[] body(byte[] elf) throws IOException {
        return ImageBody.read(Files.write(dir.resolve("p.elf"), elf));
    }

    @Test
    void segmentsAreLaidOutFromTheBodyAddressWithGapsErased() throws Exception {
        int base = ApplicationSlot.BODY_ADDRESS;
        byte[] body = body(elf(new Segment(base + 0x20, filled(4, 0xBB)), new Segment(base, filled(8, 0xAA)),
                new Segment(0x2000_0000, base + 0x30, filled(2, 0xCC), 0x40),  // .data: from its flash copy
                new Segment(0x2000_0100, 0x2000_0100, new byte[0], 0x1000)));  // .bss: RAM only
        byte[] expected = filled(0x32, 0xFF);
        Arrays.fill(expected, 0, 8, (byte) 0xAA);
        Arrays.fill(expected, 0x20, 0x24, (byte) 0xBB);
        Arrays.fill(expected, 0x30, 0x32, (byte) 0xCC);
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void refusals() throws Exception {
        int base = ApplicationSlot.BODY_ADDRESS;
        Path f = dir.resolve("p.elf");
        assertThatThrownBy(() -> body(elf(new Segment(0x0800_0000, filled(16, 1))))).hasMessage(f
                + ": segment 0 (0x08000000..0x08000010) lies outside the application slot's body (0x08020200..0x08100000);"
                + " link the program for the slot");
        assertThatThrownBy(() -> body(elf(new Segment(base, filled(16, 1)), new Segment(0x080F_FFF0, filled(32, 1)))))
                .hasMessage(f + ": segment 1 (0x080ffff0..0x08100010) lies outside the application slot's body"
                        + " (0x08020200..0x08100000); link the program for the slot");
        assertThatThrownBy(() -> body(elf(new Segment(base + 4, filled(16, 1))))).hasMessage(f
                + ": the lowest load address is 0x08020204 (segment 0); the body must start with the vector table at 0x08020200");
        assertThatThrownBy(() -> body(elf(new Segment(base, filled(16, 1)), new Segment(base + 8, filled(16, 1)))))
                .hasMessage(f + ": segment 1 (at 0x08020208) overlaps segment 0");
        assertThatThrownBy(() -> body(elf(new Segment(0x2000_0000, 0x2000_0000, new byte[0], 64))))
                .hasMessage(f + ": nothing loaded from the file: no section or segment with file bytes");
        // inside the slot, but with header and trailer one byte more than the slot
        assertThatThrownBy(() -> body(elf(new Segment(base, filled(4, 1)), new Segment(0x080F_FF71, filled(15, 1)))))
                .hasMessage(f + ": a body of 916864 bytes makes a 917520-byte image, larger than the 917504-byte"
                        + " application slot (at most 916848 bytes of body)");
        byte[] largest = body(elf(new Segment(base, filled(4, 1)), new Segment(0x080F_FF6C, filled(4, 2))));
        assertThat(largest).hasSize(ApplicationSlot.MAX_BODY_SIZE);
        // a damaged ELF: the ELF reader's own message
        assertThatThrownBy(() -> body(Arrays.copyOf(elf(new Segment(base, filled(16, 1))), 40)))
                .hasMessage(f + ": truncated ELF header (40 of 52 bytes)");
        // a .elf that is not an ELF is not silently signed as a raw body
        assertThatThrownBy(() -> body("text".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage(f + ": not an ELF file (no \\x7fELF magic at the start)");
    }

    @Test
    void binaryBodiesAreTakenAsTheyAre() throws Exception {
        Path bin = Files.write(dir.resolve("app.bin"), new byte[] {1, 2, 3});
        assertThat(ImageBody.read(bin)).containsExactly(1, 2, 3);
        Path big = Files.write(dir.resolve("big.bin"), new byte[ApplicationSlot.MAX_BODY_SIZE + 1]);
        assertThatThrownBy(() -> ImageBody.read(big)).hasMessageStartingWith(big + ": a body of 916849 bytes makes");
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertThatThrownBy(() -> ImageBody.read(empty)).hasMessage(empty + ": empty file, expected an ELF or a binary body");
    }

    static int run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return 0;
    }

    @Test
    void aGccLinkedProgramGivesWhatObjcopyGives() throws Exception {
        boolean haveGcc;
        try {
            haveGcc = new ProcessBuilder("arm-none-eabi-gcc", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            haveGcc = false;
        }
        assumeTrue(haveGcc, "arm-none-eabi-gcc is not installed");
        // vectors and code in flash, initialised data copied from flash, .bss, and an aligned gap between
        Files.writeString(dir.resolve("app.c"), """
                extern unsigned _stack;
                void reset(void);
                __attribute__((section(".vectors"), used)) const void *vectors[2] = {&_stack, reset};
                int counter = 0x12345678;
                int zeroes[16];
                __attribute__((aligned(256))) const char banner[] = "management application";
                void reset(void) { for (;;) { counter += zeroes[counter & 15] + banner[0]; } }
                """);
        Files.writeString(dir.resolve("app.ld"), """
                MEMORY { FLASH (rx) : ORIGIN = 0x08020200, LENGTH = 0xDFD70
                         RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 320K }
                ENTRY(reset)
                SECTIONS {
                  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > FLASH
                  .data : { *(.data*) } > RAM AT > FLASH
                  .bss (NOLOAD) : { *(.bss*) *(COMMON) } > RAM
                  _stack = ORIGIN(RAM) + LENGTH(RAM);
                }
                """);
        run(dir, "arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-O1", "-nostdlib", "-T", "app.ld", "app.c",
                "-o", "app.elf");
        run(dir, "arm-none-eabi-objcopy", "-O", "binary", "--gap-fill", "0xff", "app.elf", "app.bin");
        byte[] objcopy = Files.readAllBytes(dir.resolve("app.bin"));
        byte[] ours = ImageBody.fromElf(dir.resolve("app.elf"), ElfFile.read(dir.resolve("app.elf")));
        assertThat(ours).isEqualTo(objcopy);
        assertThat(ByteBuffer.wrap(ours).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(0x2005_0000);
        assertThat(new String(ours, StandardCharsets.ISO_8859_1)).contains("management application");
        assertThat(ours.length).isGreaterThan(256);  // the aligned banner left a gap, filled 0xff like objcopy's
        // GNU ld's first segment starts at 0x08020000 with the ELF headers in it: those are not program
        assertThat(ElfFile.read(dir.resolve("app.elf")).segments().get(0).paddr()).isEqualTo(0x0802_0000);
        // linked for the bootloader's place instead of the slot: refused, naming the section
        Files.writeString(dir.resolve("boot.ld"), Files.readString(dir.resolve("app.ld"))
                .replace("ORIGIN = 0x08020200", "ORIGIN = 0x08000000"));
        run(dir, "arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-O1", "-nostdlib", "-T", "boot.ld", "app.c",
                "-o", "boot.elf");
        Path boot = dir.resolve("boot.elf");
        assertThatThrownBy(() -> ImageBody.read(boot)).hasMessageStartingWith(boot + ": section .text (0x08000000..")
                .hasMessageEndingWith("lies outside the application slot's body (0x08020200..0x08100000); link the"
                        + " program for the slot");
    }
}
