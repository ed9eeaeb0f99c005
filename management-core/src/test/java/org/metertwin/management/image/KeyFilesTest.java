package org.metertwin.management.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key files as OpenSSL writes them, and signatures OpenSSL agrees with: keys made by {@code openssl genpkey
 * -algorithm ed25519} are read, written back byte for byte, used to sign an image whose signature
 * {@code openssl pkeyutl -verify -rawin} accepts; and every kind of unusable key file gives one line
 * naming the file.
 */
class KeyFilesTest {
    @TempDir
    Path dir;

    static boolean haveOpenssl() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs openssl; returns its exit status, with its output in {@code output[0]}. */
    static int openssl(String[] output, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (output != null) {
            output[0] = text;
        }
        return p.exitValue();
    }

    @Test
    void openSslKeysAreReadAndWrittenBackByteForByte() throws Exception {
        assumeTrue(haveOpenssl(), "openssl is not installed");
        Path pem = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub");
        assertThat(openssl(null, "genpkey", "-algorithm", "ed25519", "-out", pem.toString())).isZero();
        assertThat(openssl(null, "pkey", "-in", pem.toString(), "-pubout", "-out", pub.toString())).isZero();
        SigningKey key = SigningKey.read(pem);
        VerificationKey pk = VerificationKey.read(pub);
        assertThat(key.toPem()).isEqualTo(Files.readString(pem));
        assertThat(pk.toPem()).isEqualTo(Files.readString(pub));
        assertThat(key.verificationKey().encoded()).isEqualTo(pk.encoded());
    }

    @Test
    void openSslVerifiesOurImageSignatureAndWeVerifyOpenSsls() throws Exception {
        assumeTrue(haveOpenssl(), "openssl is not installed");
        Path pem = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub");
        assertThat(openssl(null, "genpkey", "-algorithm", "ed25519", "-out", pem.toString())).isZero();
        assertThat(openssl(null, "pkey", "-in", pem.toString(), "-pubout", "-out", pub.toString())).isZero();
        byte[] body = "a body for openssl".getBytes(StandardCharsets.US_ASCII);
        byte[] image = ImageWriter.write(body, new ImageVersion(3, 1, 4, 1592), 65, SigningKey.read(pem));
        int signed = 512 + body.length;
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(image, signed));
        assertThat(Arrays.copyOfRange(image, signed + 44, signed + 76)).isEqualTo(digest);
        Path hash = Files.write(dir.resolve("hash.bin"), digest);
        Path sig = Files.write(dir.resolve("sig.bin"), Arrays.copyOfRange(image, signed + 80, signed + 144));
        String[] out = new String[1];
        assertThat(openssl(out, "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", hash.toString(), "-sigfile", sig.toString())).as(out[0]).isZero();
        assertThat(out[0]).contains("Signature Verified Successfully");
        // and OpenSSL's KEYHASH input is the raw 32 bytes at the end of its SubjectPublicKeyInfo
        byte[] spki = Base64.getMimeDecoder().decode(Files.readString(pub).replaceAll("-----[A-Z ]+-----", ""));
        assertThat(Arrays.copyOfRange(image, signed + 8, signed + 40)).isEqualTo(
                MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(spki, 12, 44)));
        // a flipped signature bit: openssl refuses too
        byte[] bad = Arrays.copyOfRange(image, signed + 80, signed + 144);
        bad[5] ^= 1;
        Files.write(sig, bad);
        assertThat(openssl(out, "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", hash.toString(), "-sigfile", sig.toString())).isNotZero();
        // the other way: openssl signs the digest, our verifier accepts the image with that signature
        Path osig = dir.resolve("osig.bin");
        assertThat(openssl(out, "pkeyutl", "-sign", "-inkey", pem.toString(), "-rawin", "-in", hash.toString(),
                "-out", osig.toString())).as(out[0]).isZero();
        byte[] withOpenSslSignature = image.clone();
        System.arraycopy(Files.readAllBytes(osig), 0, withOpenSslSignature, signed + 80, 64);
        assertThat(ImageVerifier.verify(withOpenSslSignature, VerificationKey.read(pub), OptionalLong.empty())
                .accepted()).isTrue();
    }

    @Test
    void theBundledTestKeyFilesAreTheRfcKey() throws Exception {
        Path res = Path.of("src/main/resources/keys");
        SigningKey key = SigningKey.read(res.resolve("test-signing-key.pem"));
        VerificationKey pub = VerificationKey.read(res.resolve("test-signing-key.pub"));
        assertThat(HexFormat.of().formatHex(pub.encoded())).isEqualTo(WorkedExampleTest.RFC8032_TEST1_PUBLIC);
        assertThat(key.verificationKey().encoded()).isEqualTo(pub.encoded());
        assertThat(key.toPem()).isEqualTo(Files.readString(res.resolve("test-signing-key.pem")));
        // RFC 8032 7.1 TEST 1: the empty message's signature
        assertThat(HexFormat.of().formatHex(key.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a"
                + "84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void generatedKeysAreDistinctAndRoundTrip() throws Exception {
        SecureRandom random = new SecureRandom();
        SigningKey a = SigningKey.generate(random);
        SigningKey b = SigningKey.generate(random);
        assertThat(a.verificationKey().encoded()).isNotEqualTo(b.verificationKey().encoded());
        Path pem = Files.writeString(dir.resolve("a.pem"), a.toPem());
        assertThat(SigningKey.read(pem).toPem()).isEqualTo(a.toPem());
        assertThat(VerificationKey.fromPem(pem, a.verificationKey().toPem().getBytes(StandardCharsets.US_ASCII))
                .encoded()).isEqualTo(a.verificationKey().encoded());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    private void refusedAsPrivate(Path file, String problem) {
        assertThatThrownBy(() -> SigningKey.read(file)).isInstanceOf(ImageInputException.class)
                .hasMessage(file + ": " + problem);
    }

    private void refusedAsPublic(Path file, String problem) {
        assertThatThrownBy(() -> VerificationKey.read(file)).isInstanceOf(ImageInputException.class)
                .hasMessage(file + ": " + problem);
    }

    @Test
    void unusableKeyFilesGiveOneLineNamingTheFile() throws Exception {
        String testPem = SigningKey.testKey().toPem();
        String testPub = SigningKey.testKey().verificationKey().toPem();
        refusedAsPrivate(dir.resolve("none.pem"), "no such file");
        refusedAsPrivate(dir, "is a directory, expected an Ed25519 private key (PEM)");
        refusedAsPrivate(write("empty.pem", ""), "empty file, expected an Ed25519 private key (PEM)");
        refusedAsPrivate(write("text.pem", "hello\n"), "not a PEM key file (no \"-----BEGIN PRIVATE KEY-----\" line)");
        refusedAsPrivate(write("pub.pem", testPub), "holds a PUBLIC KEY, expected an Ed25519 PRIVATE KEY");
        refusedAsPublic(write("priv.pub", testPem), "holds a PRIVATE KEY, expected an Ed25519 PUBLIC KEY");
        refusedAsPrivate(write("cut.pem", testPem.substring(0, 40)), "damaged PEM: -----END PRIVATE KEY----- not found");
        refusedAsPrivate(write("enc.pem", pem("ENCRYPTED PRIVATE KEY", new byte[8])), "an encrypted private key;"
                + " decrypt it first (openssl pkey -in " + dir.resolve("enc.pem") + " -out PLAIN.pem)");
        refusedAsPrivate(write("sec1.pem", pem("EC PRIVATE KEY", new byte[8])),
                "holds an EC PRIVATE KEY, expected an Ed25519 PRIVATE KEY");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        var ecPair = ec.generateKeyPair();
        refusedAsPrivate(write("ec.pem", pem("PRIVATE KEY", ecPair.getPrivate().getEncoded())),
                "an EC key (OID 1.2.840.10045.2.1), expected Ed25519 (OID 1.3.101.112)");
        refusedAsPublic(write("ec.pub", pem("PUBLIC KEY", ecPair.getPublic().getEncoded())),
                "an EC key (OID 1.2.840.10045.2.1), expected Ed25519 (OID 1.3.101.112)");
        var x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        refusedAsPrivate(write("x.pem", pem("PRIVATE KEY", x25519.getPrivate().getEncoded())),
                "an X25519 key (OID 1.3.101.110), expected Ed25519 (OID 1.3.101.112)");
        // a DER byte changed: the PKCS#8 structure no longer parses
        byte[] der = Base64.getMimeDecoder().decode(testPem.replaceAll("-----[A-Z ]+-----", ""));
        byte[] broken = der.clone();
        broken[1] = 0x40;  // SEQUENCE length past the end
        assertThatThrownBy(() -> SigningKey.fromPem(Path.of("b.pem"), pem("PRIVATE KEY", broken).getBytes()))
                .hasMessageStartingWith("b.pem: damaged PKCS#8 private key: ").hasMessageNotContaining("\n");
        // a 31-byte secret
        byte[] shortSecret = HexFormat.of().parseHex("302d020100300506032b657004210420" + "00".repeat(29));
        assertThatThrownBy(() -> SigningKey.fromPem(Path.of("s.pem"), pem("PRIVATE KEY", shortSecret).getBytes()))
                .hasMessageStartingWith("s.pem: ").hasMessageNotContaining("\n");
        // a public key whose 32 bytes are not a curve point (y = 2^255 - 20 >= p)
        byte[] notAPoint = HexFormat.of().parseHex("302a300506032b6570032100" + "ec" + "ff".repeat(30) + "7f");
        refusedAsPublic(write("np.pub", pem("PUBLIC KEY", notAPoint)),
                "not an Ed25519 public key: its 32 bytes are not a point of the curve");
        byte[] garbageBase64 = (testPub.replace("MCow", "M!ow")).getBytes();
        assertThatThrownBy(() -> VerificationKey.fromPem(Path.of("g.pub"), garbageBase64))
                .hasMessageStartingWith("g.pub: damaged").hasMessageNotContaining("\n");
    }
}
