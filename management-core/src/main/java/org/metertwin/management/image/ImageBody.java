package org.metertwin.management.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.elf.ElfSegment;

/**
 * The body of an image: the bytes of the application slot from {@link ApplicationSlot#BODY_ADDRESS} on,
 * taken from a raw binary as it is, or from an ELF linked for the slot.
 */
public final class ImageBody {
    private ImageBody() {
    }

    /** An ELF (by its magic or a ".elf" name) laid out by {@link #fromElf}; any other file is the body. */
    public static byte[] read(Path file) throws ElfFormatException, ImageInputException {
        byte[] bytes = InputFile.read(file, "an ELF or a binary body");
        boolean elfMagic = bytes.length >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (elfMagic || name.endsWith(".elf")) {
            return fromElf(file, ElfFile.parse(file.toString(), bytes));
        }
        if (!ApplicationSlot.fits(bytes.length)) {
            throw tooLarge(file, bytes.length);
        }
        return bytes;
    }

    /**
     * The ELF's loadable bytes placed at their load addresses (p_paddr, so initialised data comes from its
     * flash copy) from {@link ApplicationSlot#BODY_ADDRESS}, gaps 0xFF as erased flash. Segments without
     * file bytes (.bss, the stack) are RAM only and not part of the image. Refused: a segment outside the
     * slot, segments that overlap, a body that does not start with the vector table at the body address,
     * or one too large for the slot.
     */
    public static byte[] fromElf(Path file, ElfFile elf) throws ImageInputException {
        List<ElfSegment> loaded = new ArrayList<>();
        for (ElfSegment s : elf.segments()) {
            if (s.fileSize() == 0) {
                continue;
            }
            long start = Integer.toUnsignedLong(s.paddr());
            long end = start + s.fileSize();
            if (start < Integer.toUnsignedLong(ApplicationSlot.BODY_ADDRESS) || end > ApplicationSlot.END) {
                throw new ImageInputException(file, String.format(Locale.ROOT, "segment %d (0x%08x..0x%08x) lies outside"
                        + " the application slot's body (0x%08x..0x%08x); link the program for the slot",
                        s.index(), start, end, ApplicationSlot.BODY_ADDRESS, ApplicationSlot.END));
            }
            loaded.add(s);
        }
        if (loaded.isEmpty()) {
            throw new ImageInputException(file, "no segment with file bytes: nothing to put in the image");
        }
        loaded.sort(Comparator.comparingLong(s -> Integer.toUnsignedLong(s.paddr())));
        if (loaded.get(0).paddr() != ApplicationSlot.BODY_ADDRESS) {
            throw new ImageInputException(file, String.format(Locale.ROOT, "the lowest segment starts at 0x%08x;"
                    + " the body must start with the vector table at 0x%08x", loaded.get(0).paddr(),
                    ApplicationSlot.BODY_ADDRESS));
        }
        long end = ApplicationSlot.BODY_ADDRESS;
        for (int i = 0; i < loaded.size(); i++) {
            ElfSegment s = loaded.get(i);
            if (i > 0 && Integer.toUnsignedLong(s.paddr()) < end) {
                throw new ImageInputException(file, String.format(Locale.ROOT, "segment %d (at 0x%08x) overlaps"
                        + " segment %d", s.index(), s.paddr(), loaded.get(i - 1).index()));
            }
            end = Math.max(end, Integer.toUnsignedLong(s.paddr()) + s.fileSize());
        }
        long size = end - ApplicationSlot.BODY_ADDRESS;
        if (!ApplicationSlot.fits(size)) {
            throw tooLarge(file, size);
        }
        byte[] body = new byte[(int) size];
        Arrays.fill(body, (byte) 0xFF);
        for (ElfSegment s : loaded) {
            elf.copySegment(s, body, s.paddr() - ApplicationSlot.BODY_ADDRESS);
        }
        return body;
    }

    private static ImageInputException tooLarge(Path file, long bodySize) {
        return new ImageInputException(file, String.format(Locale.ROOT, "a body of %d bytes makes a %d-byte image,"
                + " larger than the %d-byte application slot (at most %d bytes of body)", bodySize,
                bodySize + ImageHeader.HDR_SIZE + ImageTrailer.SIZE, ApplicationSlot.SIZE, ApplicationSlot.MAX_BODY_SIZE));
    }
}
