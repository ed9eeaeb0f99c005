package org.metertwin.management.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every reason of docs/firmware-update.md's check table, each reached by one specific corruption, and a
 * sweep of every single-bit flip of an image, each refused for the reason the flipped field's place in
 * the format gives (worked out here from the doc's tables, not from the verifier).
 */
class ImageVerifierTest {
    static final SigningKey KEY = SigningKey.testKey();
    static final VerificationKey PUBLIC = KEY.verificationKey();
    static final OptionalLong NONE = OptionalLong.empty();

    /** A 600-byte body of seeded random bytes: the sweep image, 1256 bytes, 10048 bits. */
    static byte[] body() {
        byte[] b = new byte[600];
        new Random(16).nextBytes(b);
        return b;
    }

    static byte[] image() {
        return ImageWriter.write(body(), new ImageVersion(2, 0, 1, 77), 9, KEY);
    }

    static Verdict verify(byte[] image) {
        return ImageVerifier.verify(image, PUBLIC, NONE);
    }

    static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Recomputes the trailer of an image whose header or body was edited (JDK SHA-256), so only the edit is wrong. */
    static byte[] resigned(byte[] image, long imgSize) throws Exception {
        int signed = (int) (512 + imgSize);
        byte[] out = Arrays.copyOf(image, signed + 144);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out, signed));
        byte[] keyHash = MessageDigest.getInstance("SHA-256").digest(PUBLIC.encoded());
        ByteBuffer t = le(out).position(signed);
        t.putShort((short) 0x6907).putShort((short) 144).putShort((short) 1).putShort((short) 32).put(keyHash)
                .putShort((short) 0x10).putShort((short) 32).put(hash).putShort((short) 0x24).putShort((short) 64)
                .put(KEY.sign(hash));
        return out;
    }

    @Test
    void aWellSignedImageIsAccepted() {
        assertThat(verify(image()).accepted()).isTrue();
    }

    @Test
    void badHeader() throws Exception {
        byte[] i = image();
        i[0] ^= 0x20;  // "mTFW"
        assertThat(verify(i).toString()).isEqualTo("bad-header: magic is 0x5746546d, expected 0x5746544d (\"MTFW\")");
        i = image();
        le(i).putShort(8, (short) 0x100);
        assertThat(verify(resigned(i, 600)).toString()).isEqualTo("bad-header: hdr_size is 0x0100, expected 0x0200");
        i = image();
        le(i).putShort(10, (short) 8);
        assertThat(verify(resigned(i, 600)).toString()).isEqualTo("bad-header: protect_tlv_size is 8, expected 0");
        i = image();
        le(i).putInt(16, 0x20);  // MCUboot's IMAGE_F_RAM_LOAD
        assertThat(verify(resigned(i, 600)).toString()).isEqualTo("bad-header: flags is 0x00000020, expected 0");
        i = image();
        i[300] = 1;
        assertThat(verify(resigned(i, 600)).toString())
                .isEqualTo("bad-header: padding byte at offset 300 is 0x01, expected 0x00");
        i = image();
        le(i).putInt(12, 0);   // refused by the size check, as the bootloader refuses it
        assertThat(verify(i).toString()).isEqualTo("too-large: img_size is 0: an image has a body");
        assertThat(verify(Arrays.copyOf(image(), 511)).toString())
                .isEqualTo("bad-header: the image is 511 bytes, shorter than its 512-byte header");
        Verdict tiny = verify(new byte[5]);
        assertThat(tiny.refusal()).isEqualTo(Refusal.BAD_HEADER);
        assertThat(tiny.header()).isNull();
        // erased flash: the empty slot
        byte[] erased = new byte[4096];
        Arrays.fill(erased, (byte) 0xFF);
        assertThat(verify(erased).refusal()).isEqualTo(Refusal.BAD_HEADER);
    }

    @Test
    void wrongLoadAddressEvenWhenSigned() throws Exception {
        byte[] i = image();
        le(i).putInt(4, 0x0800_0000);  // linked over the bootloader
        assertThat(verify(resigned(i, 600)).toString())
                .isEqualTo("wrong-load-address: load_addr is 0x08000000, expected 0x08020000");
    }

    @Test
    void signedImagesWithRefusableHeadersForTheBootloadersTests() {
        ImageHeader wrongPlace = new ImageHeader(ImageHeader.MAGIC, 0x0800_0000, 512, 0, 600, 0, ImageVersion.ZERO, 1);
        byte[] i = ImageWriter.sign(wrongPlace, body(), KEY);
        assertThat(verify(i).refusal()).isEqualTo(Refusal.WRONG_LOAD_ADDRESS);
        le(i).putInt(4, ApplicationSlot.HEADER_ADDRESS);  // only the address was wrong: put right, only the hash is
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_HASH);
        ImageHeader right = ImageHeader.forBody(600, new ImageVersion(2, 0, 1, 77), 9);
        assertThat(ImageWriter.sign(right, body(), KEY)).isEqualTo(image());
    }

    @Test
    void tooLarge() throws Exception {
        byte[] i = image();
        le(i).putInt(12, 917_504 - 656 + 1);
        assertThat(verify(i).toString()).isEqualTo("too-large: img_size 916849 makes a 917505-byte image, the slot holds 917504");
        le(i).putInt(12, -1);  // img_size is unsigned: 4294967295, not -1
        assertThat(verify(i).refusal()).isEqualTo(Refusal.TOO_LARGE);
        le(i).putInt(12, 917_504 - 656);  // the largest body: fits, then the trailer is not there
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_TRAILER);
    }

    @Test
    void badTrailer() {
        int t = 512 + 600;
        byte[] i = image();
        i[t] = 0x08;
        assertThat(verify(i).toString()).isEqualTo("bad-trailer: TLV info magic at offset 1112 is 0x6908, expected 0x6907");
        i = image();
        le(i).putShort(t + 2, (short) 148);
        assertThat(verify(i).toString()).isEqualTo("bad-trailer: tlv_tot at offset 1114 is 148, expected 144");
        i = image();  // SHA256 and KEYHASH swapped (both 32 bytes): MCUboot would take it, this format does not
        byte[] keyRecord = Arrays.copyOfRange(i, t + 4, t + 40);
        System.arraycopy(i, t + 40, i, t + 4, 36);
        System.arraycopy(keyRecord, 0, i, t + 40, 36);
        assertThat(verify(i).toString()).isEqualTo(
                "bad-trailer: record at offset 1116 is type 0x0010 length 32, expected type 0x0001 length 32");
        i = image();
        le(i).putShort(t + 78, (short) 63);
        assertThat(verify(i).toString()).isEqualTo(
                "bad-trailer: record at offset 1188 is type 0x0024 length 63, expected type 0x0024 length 64");
        // truncated: the body one byte short, and the trailer cut
        byte[] whole = image();
        byte[] shortBody = new byte[whole.length - 1];
        System.arraycopy(whole, 0, shortBody, 0, t - 1);
        System.arraycopy(whole, t, shortBody, t - 1, 144);
        assertThat(verify(shortBody).refusal()).isEqualTo(Refusal.BAD_TRAILER);
        assertThat(verify(Arrays.copyOf(whole, whole.length - 1)).toString()).isEqualTo(
                "bad-trailer: the trailer at offset 1112 needs 144 bytes, the image ends 143 bytes after it");
        assertThat(verify(Arrays.copyOf(whole, 512)).refusal()).isEqualTo(Refusal.BAD_TRAILER);
    }

    @Test
    void wrongKey() throws Exception {
        VerificationKey other = SigningKey.fromSecret(new byte[32]).verificationKey();
        Verdict v = ImageVerifier.verify(image(), other, NONE);
        assertThat(v.refusal()).isEqualTo(Refusal.WRONG_KEY);
        assertThat(v.detail()).startsWith("KEYHASH is " + "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
    }

    @Test
    void badHash() {
        byte[] i = image();
        i[512 + 599] ^= 1;  // the body's last byte
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_HASH);
        i = image();
        i[28] = 10;  // a raised security counter, without re-signing
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_HASH);
    }

    @Test
    void badSignature() {
        int sig = 512 + 600 + 80;
        byte[] i = image();
        i[sig + 10] ^= 4;  // R
        assertThat(verify(i).toString()).isEqualTo("bad-signature: the ED25519 record is not the key's signature of the hash");
        // S + L: the same point equation holds, but RFC 8032 5.1.7 requires S < L
        i = image();
        BigInteger l = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] s = Arrays.copyOfRange(i, sig + 32, sig + 64);
        byte[] sPlusL = littleEndian(fromLittleEndian(s).add(l));
        System.arraycopy(sPlusL, 0, i, sig + 32, 32);
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
        // a signature by another key over the right hash, under the right key hash
        i = image();
        byte[] hash = Arrays.copyOfRange(i, 512 + 600 + 44, 512 + 600 + 76);
        System.arraycopy(SigningKey.fromSecret(new byte[32]).sign(hash), 0, i, sig, 64);
        assertThat(verify(i).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
    }

    @Test
    void rollbackOnlyBelowTheInstalledCounter() {
        byte[] i = image();  // counter 9
        assertThat(ImageVerifier.verify(i, PUBLIC, OptionalLong.of(10)).toString())
                .isEqualTo("rollback: security_counter 9 is below the installed image's 10");
        assertThat(ImageVerifier.verify(i, PUBLIC, OptionalLong.of(9)).accepted()).isTrue();
        assertThat(ImageVerifier.verify(i, PUBLIC, OptionalLong.of(0)).accepted()).isTrue();
        // the counter is unsigned: 0xFFFFFFFF is the highest, not -1
        byte[] top = ImageWriter.write(body(), ImageVersion.ZERO, 0xFFFF_FFFFL, KEY);
        assertThat(ImageVerifier.verify(top, PUBLIC, OptionalLong.of(0xFFFF_FFFEL)).accepted()).isTrue();
        // an unauthentic image with a low counter is bad-signature, not rollback: the counter is checked last
        i[512 + 600 + 100] ^= 1;
        assertThat(ImageVerifier.verify(i, PUBLIC, OptionalLong.of(10)).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
    }

    /** The reason a flip of bit {@code bit} of byte {@code offset} must give, from the doc's field tables. */
    static Refusal expected(int offset, int bit) {
        int t = offset - 512 - 600;
        if (offset < 4 || (offset >= 8 && offset < 12) || (offset >= 16 && offset < 20) || (offset >= 32 && offset < 512)) {
            return Refusal.BAD_HEADER;  // magic, hdr_size, protect_tlv_size, flags, padding
        }
        if (offset < 8) {
            return Refusal.WRONG_LOAD_ADDRESS;
        }
        if (offset < 16) {  // img_size 600 = 0x258 with one bit flipped
            long size = 600 ^ (1L << (8 * (offset - 12) + bit));
            return size > 917_504 - 656 ? Refusal.TOO_LARGE : Refusal.BAD_TRAILER;
        }
        if (offset < 512 + 600) {
            return Refusal.BAD_HASH;  // version, security_counter, body
        }
        if (t < 8 || (t >= 40 && t < 44) || (t >= 76 && t < 80)) {
            return Refusal.BAD_TRAILER;  // info, types, lengths
        }
        if (t < 40) {
            return Refusal.WRONG_KEY;
        }
        return t < 76 ? Refusal.BAD_HASH : Refusal.BAD_SIGNATURE;
    }

    @Test
    void everySingleBitFlipIsRefusedForItsFieldsReason() {
        byte[] good = image();
        Map<Refusal, Integer> counts = new EnumMap<>(Refusal.class);
        int flips = 0;
        for (int offset = 0; offset < good.length; offset++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] i = good.clone();
                i[offset] ^= (byte) (1 << bit);
                Verdict v = verify(i);
                assertThat(v.refusal()).as("bit %d of byte %d: %s", bit, offset, v).isEqualTo(expected(offset, bit));
                counts.merge(v.refusal(), 1, Integer::sum);
                flips++;
            }
        }
        assertThat(flips).isEqualTo(1256 * 8);
        // every reason but rollback (which needs a genuine signature) is reached by some flip
        assertThat(counts).containsOnlyKeys(Refusal.BAD_HEADER, Refusal.WRONG_LOAD_ADDRESS, Refusal.TOO_LARGE,
                Refusal.BAD_TRAILER, Refusal.WRONG_KEY, Refusal.BAD_HASH, Refusal.BAD_SIGNATURE);
        assertThat(counts.get(Refusal.BAD_SIGNATURE)).isEqualTo(64 * 8);
        assertThat(counts.get(Refusal.WRONG_KEY)).isEqualTo(32 * 8);
    }

    static BigInteger fromLittleEndian(byte[] b) {
        byte[] be = b.clone();
        for (int i = 0; i < be.length / 2; i++) {
            byte x = be[i];
            be[i] = be[be.length - 1 - i];
            be[be.length - 1 - i] = x;
        }
        return new BigInteger(1, be);
    }

    static byte[] littleEndian(BigInteger v) {
        byte[] out = new byte[32];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 33; i++) {
            int at = be.length - 1 - i;
            if (i < 32) {
                out[i] = be[at];
            }
        }
        return out;
    }
}
