package org.metertwin.management.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * docs/firmware-update.md's worked example, reproduced byte for byte: RFC 8032 TEST 1's key, version
 * 1.2.3+4, security counter 5, the body 00..0f. The expected bytes are the doc's, which were made with
 * Python's hashlib and OpenSSL and verified by the bootloader's C crypto on the emulated board.
 */
class WorkedExampleTest {
    static final HexFormat HEX = HexFormat.of();
    static final String RFC8032_TEST1_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String HEADER = "4d544657 00000208 0002 0000 10000000 00000000 01 02 0300 04000000 05000000";
    static final String TRAILER = "0769 9000"
            + "0100 2000 21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
            + "1000 2000 fbd226a3dba9a333e3048c8e5d9e1caf03061795cf0857fbf1677432eb96f50c"
            + "2400 4000 75ca523d8d7488134826b6876ce840335d8bbed4bcfbd2d31dde2ad6d0d319c2"
            + "efd1d08805be1271a0392f6df9892a47d51ca227774d11db2e89cbe2212f1a06";

    static byte[] hex(String spaced) {
        return HEX.parseHex(spaced.replace(" ", ""));
    }

    static byte[] body() {
        byte[] body = new byte[16];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        return body;
    }

    static byte[] example() {
        return ImageWriter.write(body(), ImageVersion.parse("1.2.3+4"), 5, SigningKey.testKey());
    }

    @Test
    void theTestKeyIsRfc8032Test1() {
        assertThat(HEX.formatHex(SigningKey.testKey().verificationKey().encoded())).isEqualTo(RFC8032_TEST1_PUBLIC);
    }

    @Test
    void writerMakesTheDocsImageByteForByte() throws Exception {
        byte[] image = example();
        assertThat(image).hasSize(672);
        byte[] expected = new byte[672];
        System.arraycopy(hex(HEADER), 0, expected, 0, 32);
        System.arraycopy(body(), 0, expected, 512, 16);
        System.arraycopy(hex(TRAILER), 0, expected, 528, 144);
        assertThat(HEX.formatHex(image)).isEqualTo(HEX.formatHex(expected));
        assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(image)))
                .isEqualTo("a61d954556325a53184191a76c634364593feb302e87411ec1ae1d87335e423d");
    }

    @Test
    void headerAndTrailerDecodeToWhatWasWritten() {
        byte[] image = example();
        ImageHeader h = ImageHeader.decode(image);
        assertThat(h).isEqualTo(new ImageHeader(0x5746544D, 0x08020000, 512, 0, 16, 0,
                new ImageVersion(1, 2, 3, 4), 5));
        assertThat(h.encode()).isEqualTo(java.util.Arrays.copyOf(image, 512));
        assertThat(ImageTrailer.layoutProblem(image, 528)).isNull();
        assertThat(ImageTrailer.decode(image, 528).encode()).isEqualTo(hex(TRAILER));
    }

    @Test
    void verifierAcceptsIt() {
        Verdict v = ImageVerifier.verify(example(), SigningKey.testKey().verificationKey(), OptionalLong.of(5));
        assertThat(v.accepted()).as(v.toString()).isTrue();
        assertThat(v.toString()).isEqualTo("ok");
    }
}
