package org.metertwin.management.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.elf.ElfSection;
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
     * The ELF's loaded bytes placed at their load addresses (LMA, so initialised data comes from its flash
     * copy) from {@link ApplicationSlot#BODY_ADDRESS}, gaps 0xFF as erased flash: what {@code objcopy -O
     * binary --gap-fill 0xff} makes. The pieces are the allocated sections with file bytes, each at its
     * segment's p_paddr plus its offset in the segment, because GNU ld's first segment may also hold the ELF
     * and program headers, which are not program; an ELF stripped of section headers is taken by segments.
     * Sections without file bytes (.bss, the stack) are RAM only. Refused: a piece outside the slot,
     * pieces that overlap, a body that does not start with the vector table at the body address, or one
     * too large for the slot.
     */
    public static byte[] fromElf(Path file, ElfFile elf) throws ImageInputException, ElfFormatException {
        List<Piece> pieces = elf.sections().isEmpty() ? segmentPieces(elf) : sectionPieces(elf);
        for (Piece p : pieces) {
            if (p.lma() < Integer.toUnsignedLong(ApplicationSlot.BODY_ADDRESS) || p.end() > ApplicationSlot.END) {
                throw new ImageInputException(file, String.format(Locale.ROOT, "%s (0x%08x..0x%08x) lies outside"
                        + " the application slot's body (0x%08x..0x%08x); link the program for the slot",
                        p.what(), p.lma(), p.end(), ApplicationSlot.BODY_ADDRESS, ApplicationSlot.END));
            }
        }
        if (pieces.isEmpty()) {
            throw new ImageInputException(file, "nothing loaded from the file: no section or segment with file bytes");
        }
        pieces.sort(Comparator.comparingLong(Piece::lma));
        if (pieces.get(0).lma() != ApplicationSlot.BODY_ADDRESS) {
            throw new ImageInputException(file, String.format(Locale.ROOT, "the lowest load address is 0x%08x (%s);"
                    + " the body must start with the vector table at 0x%08x", pieces.get(0).lma(),
                    pieces.get(0).what(), ApplicationSlot.BODY_ADDRESS));
        }
        long end = ApplicationSlot.BODY_ADDRESS;
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (i > 0 && p.lma() < end) {
                throw new ImageInputException(file, String.format(Locale.ROOT, "%s (at 0x%08x) overlaps %s",
                        p.what(), p.lma(), pieces.get(i - 1).what()));
            }
            end = Math.max(end, p.end());
        }
        long size = end - ApplicationSlot.BODY_ADDRESS;
        if (!ApplicationSlot.fits(size)) {
            throw tooLarge(file, size);
        }
        byte[] body = new byte[(int) size];
        Arrays.fill(body, (byte) 0xFF);
        for (Piece p : pieces) {
            System.arraycopy(p.bytes(), 0, body, (int) (p.lma() - ApplicationSlot.BODY_ADDRESS), p.bytes().length);
        }
        return body;
    }

    /** Bytes of the file that go to one load address; {@code what} names them in messages. */
    private record Piece(String what, long lma, byte[] bytes) {
        long end() {
            return lma + bytes.length;
        }
    }

    private static List<Piece> sectionPieces(ElfFile elf) throws ElfFormatException {
        List<Piece> out = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if ((s.flags() & ElfSection.SHF_ALLOC) == 0 || s.type() == ElfSection.SHT_NOBITS || s.size() == 0) {
                continue;
            }
            long lma = Integer.toUnsignedLong(s.address());  // objcopy's choice for a section in no segment
            for (ElfSegment g : elf.segments()) {
                if (s.offset() >= g.offset() && (long) s.offset() + s.size() <= (long) g.offset() + g.fileSize()) {
                    lma = Integer.toUnsignedLong(g.paddr()) + (s.offset() - g.offset());
                    break;
                }
            }
            out.add(new Piece("section " + s.name(), lma, elf.contents(s)));
        }
        return out;
    }

    private static List<Piece> segmentPieces(ElfFile elf) {
        List<Piece> out = new ArrayList<>();
        for (ElfSegment g : elf.segments()) {
            if (g.fileSize() > 0) {
                byte[] bytes = new byte[g.fileSize()];
                elf.copySegment(g, bytes, 0);
                out.add(new Piece("segment " + g.index(), Integer.toUnsignedLong(g.paddr()), bytes));
            }
        }
        return out;
    }

    private static ImageInputException tooLarge(Path file, long bodySize) {
        return new ImageInputException(file, String.format(Locale.ROOT, "a body of %d bytes makes a %d-byte image,"
                + " larger than the %d-byte application slot (at most %d bytes of body)", bodySize,
                bodySize + ImageHeader.HDR_SIZE + ImageTrailer.SIZE, ApplicationSlot.SIZE, ApplicationSlot.MAX_BODY_SIZE));
    }
}
