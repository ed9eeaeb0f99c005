package org.metertwin.management.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The trailer after the body: MCUboot's {@code image_tlv_info} and exactly three {@code image_tlv} records,
 * KEYHASH, SHA256 and ED25519, in this order (docs/firmware-update.md, "Trailer"). Every field therefore has
 * a fixed offset, and a trailer is either exactly this layout or refused.
 *
 * @param keyHash   KEYHASH: SHA-256 of the 32-byte public key the image is signed for
 * @param hash      SHA256: SHA-256 of the header (with padding) and the body
 * @param signature ED25519: the signature of {@code hash}
 */
public record ImageTrailer(byte[] keyHash, byte[] hash, byte[] signature) {
    /** MCUboot's {@code IMAGE_TLV_INFO_MAGIC}. */
    public static final int INFO_MAGIC = 0x6907;
    public static final int TYPE_KEYHASH = 0x0001;
    public static final int TYPE_SHA256 = 0x0010;
    public static final int TYPE_ED25519 = 0x0024;
    /** The whole trailer, the 4-byte info included: its {@code tlv_tot}. */
    public static final int SIZE = 144;

    /** Offsets of each record's type/length word pair and of its value, within the trailer. */
    static final int KEYHASH_AT = 4;
    static final int SHA256_AT = 40;
    static final int ED25519_AT = 76;
    private static final int[][] RECORDS = {{KEYHASH_AT, TYPE_KEYHASH, 32}, {SHA256_AT, TYPE_SHA256, 32},
            {ED25519_AT, TYPE_ED25519, 64}};

    public ImageTrailer {
        if (keyHash.length != 32 || hash.length != 32 || signature.length != 64) {
            throw new IllegalArgumentException("KEYHASH and SHA256 take 32 bytes, ED25519 64");
        }
        keyHash = keyHash.clone();
        hash = hash.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] keyHash() {
        return keyHash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The {@link #SIZE} bytes of the trailer. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) INFO_MAGIC).putShort((short) SIZE);
        b.putShort((short) TYPE_KEYHASH).putShort((short) 32).put(keyHash);
        b.putShort((short) TYPE_SHA256).putShort((short) 32).put(hash);
        b.putShort((short) TYPE_ED25519).putShort((short) 64).put(signature);
        return b.array();
    }

    /**
     * What is wrong with the layout of the trailer at {@code at} in {@code image}, or null when the info
     * and the three records' types and lengths are exactly as the format says. Bytes missing from the end
     * of {@code image} are a problem too: that is how a truncated image shows.
     */
    public static String layoutProblem(byte[] image, long at) {
        if (at + SIZE > image.length) {
            return String.format("the trailer at offset %d needs %d bytes, the image ends %d bytes after it",
                    at, SIZE, Math.max(0, image.length - at));
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int t = (int) at;
        int magic = Short.toUnsignedInt(b.getShort(t));
        int tot = Short.toUnsignedInt(b.getShort(t + 2));
        if (magic != INFO_MAGIC) {
            return String.format("TLV info magic at offset %d is 0x%04x, expected 0x%04x", t, magic, INFO_MAGIC);
        }
        if (tot != SIZE) {
            return String.format("tlv_tot at offset %d is %d, expected %d", t + 2, tot, SIZE);
        }
        for (int[] r : RECORDS) {
            int type = Short.toUnsignedInt(b.getShort(t + r[0]));
            int length = Short.toUnsignedInt(b.getShort(t + r[0] + 2));
            if (type != r[1] || length != r[2]) {
                return String.format("record at offset %d is type 0x%04x length %d, expected type 0x%04x length %d",
                        t + r[0], type, length, r[1], r[2]);
            }
        }
        return null;
    }

    /** Reads the three values of a trailer whose {@link #layoutProblem} is null. */
    public static ImageTrailer decode(byte[] image, long at) {
        int t = (int) at;
        return new ImageTrailer(Arrays.copyOfRange(image, t + KEYHASH_AT + 4, t + KEYHASH_AT + 36),
                Arrays.copyOfRange(image, t + SHA256_AT + 4, t + SHA256_AT + 36),
                Arrays.copyOfRange(image, t + ED25519_AT + 4, t + ED25519_AT + 68));
    }
}
