package org.metertwin.management.image;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * The bootloader's checks of an image, on the host: the same checks in the same order with the same
 * reasons (docs/firmware-update.md, "What the bootloader checks"), so that {@code metertwin image verify}
 * answers what the meter would. Bytes after the trailer are not looked at, as in the slot.
 */
public final class ImageVerifier {
    private ImageVerifier() {
    }

    /**
     * Checks {@code image} for {@code key}; {@code installedCounter} is the installed image's security
     * counter, when there is one to compare with (the rollback check is skipped otherwise).
     */
    public static Verdict verify(byte[] image, VerificationKey key, OptionalLong installedCounter) {
        ImageHeader h = image.length >= ImageHeader.SIZE ? ImageHeader.decode(image) : null;
        String problem = headerProblem(image, h);
        if (problem != null) {
            return new Verdict(Refusal.BAD_HEADER, problem, h);
        }
        if (h.loadAddr() != ApplicationSlot.HEADER_ADDRESS) {
            return new Verdict(Refusal.WRONG_LOAD_ADDRESS, String.format("load_addr is 0x%08x, expected 0x%08x",
                    h.loadAddr(), ApplicationSlot.HEADER_ADDRESS), h);
        }
        // img_size 0 is refused here, as too-large, exactly as the bootloader's image_check does
        if (h.imgSize() == 0) {
            return new Verdict(Refusal.TOO_LARGE, "img_size is 0: an image has a body", h);
        }
        if (!ApplicationSlot.fits(h.imgSize())) {
            return new Verdict(Refusal.TOO_LARGE, String.format("img_size %d makes a %d-byte image, the slot holds %d",
                    h.imgSize(), ImageHeader.HDR_SIZE + h.imgSize() + ImageTrailer.SIZE, ApplicationSlot.SIZE), h);
        }
        long signedLength = ImageHeader.HDR_SIZE + h.imgSize();
        problem = ImageTrailer.layoutProblem(image, signedLength);
        if (problem != null) {
            return new Verdict(Refusal.BAD_TRAILER, problem, h);
        }
        ImageTrailer t = ImageTrailer.decode(image, signedLength);
        HexFormat hex = HexFormat.of();
        if (!Arrays.equals(t.keyHash(), key.keyHash())) {
            return new Verdict(Refusal.WRONG_KEY, "KEYHASH is " + hex.formatHex(t.keyHash()) + ", the key's hash is "
                    + hex.formatHex(key.keyHash()), h);
        }
        byte[] hash = Sha256.of(image, 0, (int) signedLength);
        if (!Arrays.equals(t.hash(), hash)) {
            return new Verdict(Refusal.BAD_HASH, "SHA256 record is " + hex.formatHex(t.hash())
                    + ", header and body hash to " + hex.formatHex(hash), h);
        }
        if (!key.verify(hash, t.signature())) {
            return new Verdict(Refusal.BAD_SIGNATURE, "the ED25519 record is not the key's signature of the hash", h);
        }
        if (installedCounter.isPresent() && h.securityCounter() < installedCounter.getAsLong()) {
            return new Verdict(Refusal.ROLLBACK, "security_counter " + h.securityCounter()
                    + " is below the installed image's " + installedCounter.getAsLong(), h);
        }
        return new Verdict(null, "", h);
    }

    /** The first header field that breaks the format's rules, or null. */
    private static String headerProblem(byte[] image, ImageHeader h) {
        if (image.length < ImageHeader.HDR_SIZE) {
            return "the image is " + image.length + " bytes, shorter than its " + ImageHeader.HDR_SIZE
                    + "-byte header";
        }
        if (h.magic() != ImageHeader.MAGIC) {
            return String.format("magic is 0x%08x, expected 0x%08x (\"MTFW\")", h.magic(), ImageHeader.MAGIC);
        }
        if (h.hdrSize() != ImageHeader.HDR_SIZE) {
            return String.format("hdr_size is 0x%04x, expected 0x%04x", h.hdrSize(), ImageHeader.HDR_SIZE);
        }
        if (h.protectTlvSize() != 0) {
            return "protect_tlv_size is " + h.protectTlvSize() + ", expected 0";
        }
        if (h.flags() != 0) {
            return String.format("flags is 0x%08x, expected 0", h.flags());
        }
        for (int i = ImageHeader.SIZE; i < ImageHeader.HDR_SIZE; i++) {
            if (image[i] != 0) {
                return String.format("padding byte at offset %d is 0x%02x, expected 0x00", i, image[i] & 0xFF);
            }
        }
        return null;
    }
}
