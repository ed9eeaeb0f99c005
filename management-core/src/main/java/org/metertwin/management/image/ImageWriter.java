package org.metertwin.management.image;

import java.util.Arrays;

/**
 * Makes a signed image: the header for the body, the body, and the trailer with the key hash, the SHA-256
 * of header and body, and the Ed25519 signature of that 32-byte digest (docs/firmware-update.md).
 */
public final class ImageWriter {
    private ImageWriter() {
    }

    /** The image of {@code body} (1 to {@link ApplicationSlot#MAX_BODY_SIZE} bytes). Deterministic. */
    public static byte[] write(byte[] body, ImageVersion version, long securityCounter, SigningKey key) {
        if (body.length == 0 || !ApplicationSlot.fits(body.length)) {
            throw new IllegalArgumentException("a body is 1 to " + ApplicationSlot.MAX_BODY_SIZE + " bytes, got "
                    + body.length);
        }
        return sign(ImageHeader.forBody(body.length, version, securityCounter), body, key);
    }

    /**
     * {@code header}, {@code body} and a trailer that signs them, whatever the header says: for tests that
     * need a genuinely signed image the bootloader must still refuse (a wrong {@code load_addr}, say). The
     * trailer follows the body; an {@code img_size} that disagrees with the body puts it elsewhere than
     * the header says, as a truncated image would.
     */
    public static byte[] sign(ImageHeader header, byte[] body, SigningKey key) {
        byte[] head = header.encode();
        byte[] image = Arrays.copyOf(head, head.length + body.length + ImageTrailer.SIZE);
        System.arraycopy(body, 0, image, head.length, body.length);
        int signedLength = head.length + body.length;
        byte[] hash = Sha256.of(image, 0, signedLength);
        byte[] trailer = new ImageTrailer(key.verificationKey().keyHash(), hash, key.sign(hash)).encode();
        System.arraycopy(trailer, 0, image, signedLength, trailer.length);
        return image;
    }
}
