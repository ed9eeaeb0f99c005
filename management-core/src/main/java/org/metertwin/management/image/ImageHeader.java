package org.metertwin.management.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-byte image header, MCUboot's {@code image_header} with the security counter in its last word
 * (docs/firmware-update.md, "Header"). On the wire it is padded with 0x00 to {@link #HDR_SIZE} bytes.
 * A decoded header holds whatever the bytes say; {@link ImageVerifier} decides whether they are acceptable.
 *
 * @param magic           {@code magic}: {@link #MAGIC}, "MTFW"
 * @param loadAddr        {@code load_addr}: the header's address when installed
 * @param hdrSize         {@code hdr_size}: where the body starts, from the header's start
 * @param protectTlvSize  {@code protect_tlv_size}: 0, this format has no protected TLVs
 * @param imgSize         {@code img_size}: the body's size in bytes (unsigned 32-bit)
 * @param flags           {@code flags}: 0
 * @param version         {@code version}: major.minor.revision+build
 * @param securityCounter {@code security_counter}: monotonic across releases (unsigned 32-bit)
 */
public record ImageHeader(int magic, int loadAddr, int hdrSize, int protectTlvSize, long imgSize, int flags,
                          ImageVersion version, long securityCounter) {
    /** Bytes 4D 54 46 57 ("MTFW") read as a little-endian word. */
    public static final int MAGIC = 0x5746_544D;
    /** The header's fields. */
    public static final int SIZE = 32;
    /** The header with its padding: the body starts here, 512-aligned for VTOR. */
    public static final int HDR_SIZE = 0x200;

    /** The header of a body of {@code imgSize} bytes, for the application slot. */
    public static ImageHeader forBody(long imgSize, ImageVersion version, long securityCounter) {
        if (securityCounter < 0 || securityCounter > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("security counter " + securityCounter + " is out of range 0..4294967295");
        }
        return new ImageHeader(MAGIC, ApplicationSlot.HEADER_ADDRESS, HDR_SIZE, 0, imgSize, 0, version,
                securityCounter);
    }

    /** Decodes bytes [0, 32) of {@code image}, which must hold at least that many. */
    public static ImageHeader decode(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        return new ImageHeader(b.getInt(0), b.getInt(4), Short.toUnsignedInt(b.getShort(8)),
                Short.toUnsignedInt(b.getShort(10)), Integer.toUnsignedLong(b.getInt(12)), b.getInt(16),
                new ImageVersion(Byte.toUnsignedInt(b.get(20)), Byte.toUnsignedInt(b.get(21)),
                        Short.toUnsignedInt(b.getShort(22)), Integer.toUnsignedLong(b.getInt(24))),
                Integer.toUnsignedLong(b.getInt(28)));
    }

    /** The header and its 0x00 padding: {@link #HDR_SIZE} bytes. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(loadAddr).putShort((short) hdrSize).putShort((short) protectTlvSize)
                .putInt((int) imgSize).putInt(flags)
                .put((byte) version.major()).put((byte) version.minor()).putShort((short) version.revision())
                .putInt((int) version.build()).putInt((int) securityCounter);
        return b.array();
    }
}
