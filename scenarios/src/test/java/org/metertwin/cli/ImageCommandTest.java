package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code metertwin image keygen | sign | verify}: what each prints and writes on success, the doc's worked
 * example made through the CLI, OpenSSL agreeing with keygen's keys and sign's signatures, and every bad
 * input as one line naming the file or option with status 2. {@code $D} is the directory of inputs.
 */
@Timeout(60)
class ImageCommandTest extends CliTestBase {
    static final String WORKED_EXAMPLE_SHA256 = "a61d954556325a53184191a76c634364593feb302e87411ec1ae1d87335e423d";
    static final String TEST_KEY_HASH = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

    @TempDir
    static Path dir;

    @TempDir
    Path work;

    static Path d(String name) {
        return dir.resolve(name);
    }

    @BeforeAll
    static void makeInputs() throws IOException {
        for (String name : List.of("test-signing-key.pem", "test-signing-key.pub")) {
            try (InputStream in = ImageCommandTest.class.getResourceAsStream("/keys/" + name)) {
                Files.write(d(name.replace("test-signing-key", "test")), in.readAllBytes());
            }
        }
        byte[] body = new byte[16];
        for (int i = 0; i < 16; i++) {
            body[i] = (byte) i;
        }
        Files.write(d("body.bin"), body);
        Files.write(d("empty.bin"), new byte[0]);
        Files.write(d("big.bin"), new byte[916_849]);
        Files.writeString(d("garbage.pem"), "not a key\n");
        Files.write(d("app.elf"), elf(0x0802_0200, body));
        Files.write(d("low.elf"), elf(0x0800_0000, body));
        Files.write(d("cut.elf"), Arrays.copyOf(elf(0x0802_0200, body), 40));
        Files.writeString(d("text.elf"), "hello\n");
        Files.createDirectory(d("dir"));
    }

    /** A one-segment ELF32 ARM executable without sections, its bytes at {@code address}. */
    static byte[] elf(int address, byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocate(84 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0}).position(16);
        b.putShort((short) 2).putShort((short) 40).putInt(1).putInt(address | 1).putInt(52).putInt(0)
                .putInt(0x0500_0400).putShort((short) 52).putShort((short) 32).putShort((short) 1)
                .putShort((short) 40).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(84).putInt(address).putInt(address).putInt(bytes.length).putInt(bytes.length).putInt(5)
                .putInt(4).put(bytes);
        return b.array();
    }

    private String outText() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private int run(String line) {
        return run(line.replace("$D", dir.toString()).replace("$W", work.toString()).split(" "));
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void signMakesTheWorkedExampleAndVerifyAcceptsIt() throws Exception {
        assertThat(run("image sign --key $D/test.pem --version 1.2.3+4 --security-counter 5 $D/body.bin $W/ex.img"))
                .as(errText()).isZero();
        Path img = work.resolve("ex.img");
        assertThat(sha256(img)).isEqualTo(WORKED_EXAMPLE_SHA256);
        assertThat(outText()).isEqualTo(img + ": 672 bytes: version 1.2.3+4, security counter 5, body 16 bytes"
                + " (0x08020200..0x08020210)\nkey hash " + TEST_KEY_HASH + "\nimage hash "
                + "fbd226a3dba9a333e3048c8e5d9e1caf03061795cf0857fbf1677432eb96f50c\n");
        out.reset();
        assertThat(run("image verify --key $D/test.pub --installed-counter 5 $W/ex.img")).isZero();
        assertThat(outText()).isEqualTo(img + ": 672 bytes\n"
                + "magic             0x5746544d\n"
                + "load_addr         0x08020000\n"
                + "hdr_size          0x0200\n"
                + "protect_tlv_size  0\n"
                + "img_size          16\n"
                + "flags             0x00000000\n"
                + "version           1.2.3+4\n"
                + "security_counter  5\n"
                + "ok\n");
        assertThat(errText()).isEmpty();
    }

    @Test
    void anElfLinkedForTheSlotSignsToTheSameImageAsItsBody() throws Exception {
        assertThat(run("image sign --key $D/test.pem --version 1.2.3+4 --security-counter 5 $D/app.elf $W/a.img"))
                .as(errText()).isZero();
        assertThat(sha256(work.resolve("a.img"))).isEqualTo(WORKED_EXAMPLE_SHA256);
    }

    @Test
    void verifyRefusesWithTheReasonAndStatusOne() throws Exception {
        run("image sign --key $D/test.pem --security-counter 5 $D/body.bin $W/ex.img");
        Path img = work.resolve("ex.img");
        out.reset();
        assertThat(run("image verify --key $D/test.pub --installed-counter 6 $W/ex.img")).isEqualTo(1);
        assertThat(outText().lines().toList()).last()
                .isEqualTo("refused: rollback: security_counter 5 is below the installed image's 6");
        byte[] bytes = Files.readAllBytes(img);
        bytes[520] ^= 0x01;  // a body bit
        Files.write(img, bytes);
        out.reset();
        assertThat(run("image verify --key $D/test.pub $W/ex.img")).isEqualTo(1);
        assertThat(outText().lines().toList()).last().asString().startsWith("refused: bad-hash: SHA256 record is ");
        Files.write(img, Arrays.copyOf(bytes, 600));  // truncated: the trailer is not where img_size says
        out.reset();
        assertThat(run("image verify --key $D/test.pub $W/ex.img")).isEqualTo(1);
        assertThat(outText().lines().toList()).last().isEqualTo("refused: bad-trailer: the trailer at offset 528"
                + " needs 144 bytes, the image ends 72 bytes after it");
        Files.write(img, new byte[10]);  // not even a header: only the size is printed
        out.reset();
        assertThat(run("image verify --key $D/test.pub $W/ex.img")).isEqualTo(1);
        assertThat(outText()).isEqualTo(img + ": 10 bytes\n"
                + "refused: bad-header: the image is 10 bytes, shorter than its 512-byte header\n");
        assertThat(errText()).isEmpty();
    }

    @Test
    void keygenWritesAPairThatSignsAndVerifiesAndNeverOverwrites() throws Exception {
        assertThat(run("image keygen $W/mine")).as(errText()).isZero();
        Path pem = work.resolve("mine.pem");
        Path pub = work.resolve("mine.pub");
        assertThat(Files.readString(pem)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem))).isEqualTo("rw-------");
        List<String> lines = outText().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("private key: " + pem + " (keep it secret)");
        assertThat(lines.get(1)).matches("public key:  " + java.util.regex.Pattern.quote(pub.toString())
                + " \\(key hash [0-9a-f]{64}\\)");
        assertThat(run("image sign --key $W/mine.pem $D/body.bin $W/m.img")).isZero();
        assertThat(run("image verify --key $W/mine.pub $W/m.img")).isZero();
        assertThat(run("image verify --key $D/test.pub $W/m.img")).isEqualTo(1);
        assertThat(outText().lines().toList()).last().asString().startsWith("refused: wrong-key: ");
        String before = Files.readString(pem);
        err.reset();
        assertThat(run("image keygen $W/mine")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + pem + ": exists; keygen does not overwrite keys\n");
        assertThat(Files.readString(pem)).isEqualTo(before);
        Files.delete(pem);  // the public half alone also stops it
        err.reset();
        assertThat(run("image keygen $W/mine")).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + pub + ": exists; keygen does not overwrite keys\n");
        assertThat(pem).doesNotExist();
    }

    @Test
    void eachSubcommandHasHelp() {
        for (String c : List.of("keygen", "verify", "sign")) {
            out.reset();
            assertThat(run("image " + c + " --help")).as(c + ": " + errText()).isZero();
            assertThat(outText()).startsWith("Usage: metertwin image " + c + " ");
        }
        assertThat(outText()).contains("--version=MAJOR.MINOR.REVISION+BUILD").doesNotContain("-V");
    }

    static boolean haveOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }

    @Test
    void openSslAgreesWithKeygenAndSign() throws Exception {
        assumeTrue(haveOpenssl(), "openssl is not installed");
        // keygen's private key is one OpenSSL reads, and OpenSSL derives keygen's public key from it
        run("image keygen $W/mine");
        String derived = openssl("pkey", "-in", work.resolve("mine.pem").toString(), "-pubout");
        assertThat(derived).isEqualTo(Files.readString(work.resolve("mine.pub")));
        // an OpenSSL key signs through the CLI; OpenSSL verifies the trailer's signature of the trailer's hash
        Path key = work.resolve("o.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        openssl("pkey", "-in", key.toString(), "-pubout", "-out", work.resolve("o.pub").toString());
        assertThat(run("image sign --key $W/o.pem --version 9.8.7+6 $D/app.elf $W/o.img")).as(errText()).isZero();
        byte[] img = Files.readAllBytes(work.resolve("o.img"));
        int t = 512 + 16;
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(img, t));
        assertThat(Arrays.copyOfRange(img, t + 44, t + 76)).isEqualTo(hash);
        Files.write(work.resolve("h.bin"), hash);
        Files.write(work.resolve("s.bin"), Arrays.copyOfRange(img, t + 80, t + 144));
        assertThat(openssl("pkeyutl", "-verify", "-pubin", "-inkey", work.resolve("o.pub").toString(), "-rawin",
                "-in", work.resolve("h.bin").toString(), "-sigfile", work.resolve("s.bin").toString()))
                .contains("Signature Verified Successfully");
        assertThat(run("image verify --key $W/o.pub $W/o.img")).isZero();
    }

    /** The arguments and the exact line on stderr. */
    static Stream<Arguments> mistakes() {
        String sign = "image sign --key $D/test.pem ";
        return Stream.of(
                row("image frob", "metertwin: Unmatched argument at index 1: 'frob' (see 'metertwin image --help')"),
                row("image sign $D/body.bin $D/o.img", "metertwin: Missing required option: '--key=KEY.pem'"
                        + " (see 'metertwin image sign --help')"),
                row("image verify --key $D/test.pub", "metertwin: Missing required parameter: 'IMG'"
                        + " (see 'metertwin image verify --help')"),
                row("image keygen", "metertwin: Missing required parameter: 'PREFIX' (see 'metertwin image keygen --help')"),
                // sign: the key
                row("image sign --key $D/none.pem $D/body.bin $D/o.img", "metertwin: $D/none.pem: no such file"),
                row("image sign --key $D/dir $D/body.bin $D/o.img",
                        "metertwin: $D/dir: is a directory, expected an Ed25519 private key (PEM)"),
                row("image sign --key $D/empty.bin $D/body.bin $D/o.img",
                        "metertwin: $D/empty.bin: empty file, expected an Ed25519 private key (PEM)"),
                row("image sign --key $D/test.pub $D/body.bin $D/o.img",
                        "metertwin: $D/test.pub: holds a PUBLIC KEY, expected an Ed25519 PRIVATE KEY"),
                row("image sign --key $D/garbage.pem $D/body.bin $D/o.img",
                        "metertwin: $D/garbage.pem: not a PEM key file (no \"-----BEGIN PRIVATE KEY-----\" line)"),
                // sign: the program
                row(sign + "$D/none.bin $D/o.img", "metertwin: $D/none.bin: no such file"),
                row(sign + "$D/dir $D/o.img", "metertwin: $D/dir: is a directory, expected an ELF or a binary body"),
                row(sign + "$D/empty.bin $D/o.img", "metertwin: $D/empty.bin: empty file, expected an ELF or a binary body"),
                row(sign + "$D/big.bin $D/o.img", "metertwin: $D/big.bin: a body of 916849 bytes makes a 917505-byte"
                        + " image, larger than the 917504-byte application slot (at most 916848 bytes of body)"),
                row(sign + "$D/cut.elf $D/o.img", "metertwin: $D/cut.elf: truncated ELF header (40 of 52 bytes)"),
                row(sign + "$D/text.elf $D/o.img", "metertwin: $D/text.elf: not an ELF file (no \\x7fELF magic at the start)"),
                row(sign + "$D/low.elf $D/o.img", "metertwin: $D/low.elf: segment 0 (0x08000000..0x08000010) lies"
                        + " outside the application slot's body (0x08020200..0x08100000); link the program for the slot"),
                // sign: options and output
                row(sign + "--version 1.2 $D/body.bin $D/no/o.img", "metertwin: $D/no/o.img: cannot write: no such"
                        + " directory $D/no"),
                row(sign + "$D/body.bin $D/dir", "metertwin: $D/dir: is a directory, expected a file to write"),
                row(sign + "--version 1.2.3.4 $D/body.bin $D/o.img", "metertwin: --version: expected"
                        + " MAJOR.MINOR.REVISION+BUILD such as 1.2.3+4, got '1.2.3.4'"),
                row(sign + "--version 1.x $D/body.bin $D/o.img", "metertwin: --version: expected"
                        + " MAJOR.MINOR.REVISION+BUILD such as 1.2.3+4, got '1.x'"),
                row(sign + "--version 1.2.3+ $D/body.bin $D/o.img", "metertwin: --version: expected"
                        + " MAJOR.MINOR.REVISION+BUILD such as 1.2.3+4, got '1.2.3+'"),
                row(sign + "--version 256.0.0 $D/body.bin $D/o.img", "metertwin: --version: major 256 is out of range"
                        + " 0..255 in '256.0.0'"),
                row(sign + "--version 1.2.65536 $D/body.bin $D/o.img", "metertwin: --version: revision 65536 is out"
                        + " of range 0..65535 in '1.2.65536'"),
                row(sign + "--version 1.2.3+4294967296 $D/body.bin $D/o.img", "metertwin: --version: build 4294967296"
                        + " is out of range 0..4294967295 in '1.2.3+4294967296'"),
                row(sign + "--security-counter -1 $D/body.bin $D/o.img",
                        "metertwin: --security-counter: expected 0 to 4294967295, got -1"),
                row(sign + "--security-counter 4294967296 $D/body.bin $D/o.img",
                        "metertwin: --security-counter: expected 0 to 4294967295, got 4294967296"),
                row(sign + "--security-counter five $D/body.bin $D/o.img", "metertwin: Invalid value for option"
                        + " '--security-counter': 'five' is not a long (see 'metertwin image sign --help')"),
                // verify
                row("image verify --key $D/none.pub $D/body.bin", "metertwin: $D/none.pub: no such file"),
                row("image verify --key $D/test.pem $D/body.bin",
                        "metertwin: $D/test.pem: holds a PRIVATE KEY, expected an Ed25519 PUBLIC KEY"),
                row("image verify --key $D/test.pub $D/none.img", "metertwin: $D/none.img: no such file"),
                row("image verify --key $D/test.pub $D/empty.bin", "metertwin: $D/empty.bin: empty file, expected an image"),
                row("image verify --key $D/test.pub $D/dir", "metertwin: $D/dir: is a directory, expected an image"),
                row("image verify --key $D/test.pub --installed-counter -5 $D/body.bin",
                        "metertwin: --installed-counter: expected 0 to 4294967295, got -5"),
                // keygen
                row("image keygen $D/test", "metertwin: $D/test.pem: exists; keygen does not overwrite keys"),
                row("image keygen $D/no/k", "metertwin: $D/no/k.pem: cannot write: no such directory $D/no"));
    }

    private static Arguments row(String args, String line) {
        return Arguments.of(args, line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void oneLineNamingTheFileAndStatusTwo(String args, String line) {
        int status = run(args);
        String stderr = errText();
        assertThat(stderr.lines()).as(stderr).hasSize(1);
        String got = stderr.lines().findFirst().orElseThrow();
        assertThat(got).isEqualTo(line.replace("$D", dir.toString()));
        assertThat(got).doesNotContain("Exception", "java.", "\tat ");
        assertThat(status).isEqualTo(2);
        assertThat(d("o.img")).doesNotExist();
    }
}
