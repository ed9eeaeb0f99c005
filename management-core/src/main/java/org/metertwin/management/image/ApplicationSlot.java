package org.metertwin.management.image;

/**
 * Where an image is installed: internal flash sectors 5-11 of the management board's STM32F413RG
 * (docs/firmware-update.md, "Where images live"). The header sits at the slot's start and the body, which
 * begins with the vector table, {@link ImageHeader#HDR_SIZE} bytes later.
 */
public final class ApplicationSlot {
    /** The header's address when installed; every image's {@code load_addr}. */
    public static final int HEADER_ADDRESS = 0x0802_0000;
    /** The body's first byte: the application's vector table, where VTOR points. */
    public static final int BODY_ADDRESS = HEADER_ADDRESS + ImageHeader.HDR_SIZE;
    /** Seven 128 KiB sectors: header, body and trailer together must fit. */
    public static final int SIZE = 7 * 128 * 1024;
    /** One past the slot's last byte. */
    public static final long END = (HEADER_ADDRESS & 0xFFFF_FFFFL) + SIZE;
    /** The largest body that leaves room for the header and the trailer. */
    public static final int MAX_BODY_SIZE = SIZE - ImageHeader.HDR_SIZE - ImageTrailer.SIZE;

    private ApplicationSlot() {
    }

    /** Whether an image with a body of {@code imgSize} bytes (unsigned) fits the slot. */
    public static boolean fits(long imgSize) {
        return imgSize <= MAX_BODY_SIZE;
    }
}
