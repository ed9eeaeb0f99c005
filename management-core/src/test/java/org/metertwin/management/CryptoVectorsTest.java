package org.metertwin.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.metertwin.core.machine.ExecOptions;

/**
 * The bootloader's SHA-256, SHA-512 and Ed25519 verification (firmware/boot/crypto) run on the emulated
 * management board against the published vectors (firmware/test/crypto_vectors.c). The output must be
 * QEMU's for the same ELF byte for byte (crypto_vectors.out, recorded by build.sh on QEMU's
 * netduinoplus2), the digests must be the JDK's, every Ed25519 case must end as RFC 8032 requires, and
 * the worked example of docs/firmware-update.md must verify.
 */
class CryptoVectorsTest {
    static final String A448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static final String A896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    static final Map<String, byte[]> MESSAGES = Map.of("abc", bytes("abc"), "empty", new byte[0],
            "448-bit", bytes(A448), "896-bit", bytes(A896), "million-a", bytes("a".repeat(1_000_000)));
    static final List<String> SIGNATURE_VECTORS = List.of("test1", "test2", "test3", "test1024", "sha-abc");

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(value = ExecOptions.CodeMode.class, names = {"INTERPRETED", "COMPILED"})
    void emulatedBoardPrintsWhatQemuPrints(ExecOptions.CodeMode mode) throws Exception {
        FirmwareRun run = FirmwareRun.on("management", "crypto_vectors.elf", mode);
        String qemu = Files.readString(FirmwareRun.DIR.resolve("crypto_vectors.out"), StandardCharsets.ISO_8859_1);
        assertThat(run.output()).as(run.result().message()).isEqualTo(qemu);
        assertThat(run.result().exitStatus()).isZero();
    }

    @Test
    void everyVectorEndsAsTheStandardsSay() throws Exception {
        FirmwareRun run = FirmwareRun.on("management", "crypto_vectors.elf", ExecOptions.CodeMode.DEFAULT);
        List<String> lines = run.output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("management crypto vectors");
        int cases = 0;
        for (String algorithm : List.of("SHA-256", "SHA-512")) {
            String tag = algorithm.equals("SHA-256") ? "sha256 " : "sha512 ";
            for (Map.Entry<String, byte[]> m : MESSAGES.entrySet()) {
                String expected = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(m.getValue()));
                assertThat(lines).as(algorithm + " of " + m.getKey()).contains(tag + m.getKey() + " " + expected + " ok");
                cases++;
            }
        }
        for (String v : SIGNATURE_VECTORS) {
            assertThat(lines).contains("ed25519 " + v + " as-published valid ok",
                    "ed25519 " + v + " s-plus-l s-out-of-range ok",   // S + L: only the range check refuses it
                    "ed25519 " + v + " s-bit mismatch ok");
            assertThat(lines).filteredOn(l -> l.startsWith("ed25519 " + v + " ")).hasSize(6)
                    .allMatch(l -> l.endsWith(" ok"))
                    .filteredOn(l -> !l.contains("as-published")).noneMatch(l -> l.contains(" valid "));
            cases += 6;
        }
        // which flipped encodings still decode to a point (checked with RFC 8032's own decoding in Python)
        assertThat(lines).contains("ed25519 test1 key-bit bad-public-key ok", "ed25519 test2 r-bit bad-r ok",
                "ed25519 test2 key-bit mismatch ok", "ed25519 sha-abc r-bit bad-r ok",
                "ed25519 y-equals-p public-key bad-public-key ok");
        cases++;
        // docs/firmware-update.md's worked example: layout, key hash, hash and signature as documented
        assertThat(lines).contains("image-example trailer ok", "image-example keyhash ok",
                "image-example sha256 fbd226a3dba9a333e3048c8e5d9e1caf03061795cf0857fbf1677432eb96f50c ok",
                "ed25519 image-example signature valid ok", "image-example counter-changed ok");
        cases += 5;
        assertThat(lines).hasSize(1 + cases + 1).last().isEqualTo("failures 0");
        assertThat(run.result().exitStatus()).isZero();
    }
}
