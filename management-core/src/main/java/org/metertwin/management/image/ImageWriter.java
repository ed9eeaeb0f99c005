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
        byte[] header = ImageHeader.forBody(body.length, version, securityCounter).encode();
        byte[] image = Arrays.copyOf(header, header.length + body.length + ImageTrailer.SIZE);
        System.arraycopy(body, 0, image, header.length, body.length);
        int signedLength = header.length + body.length;
        byte[] hash = Sha256.of(image, 0, signedLength);
        byte[] trailer = new ImageTrailer(key.verificationKey().keyHash(), hash, key.sign(hash)).encode();
        System.arraycopy(trailer, 0, image, signedLength, trailer.length);
        return image;
    }
}
