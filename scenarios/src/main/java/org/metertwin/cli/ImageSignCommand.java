package org.metertwin.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.metertwin.management.image.ApplicationSlot;
import org.metertwin.management.image.ImageBody;
import org.metertwin.management.image.ImageHeader;
import org.metertwin.management.image.ImageVersion;
import org.metertwin.management.image.ImageWriter;
import org.metertwin.management.image.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metertwin image sign}: an ELF or a binary body made into a signed image for the application slot. */
@Command(name = "sign",
        description = "Sign a program for the management core's application slot: an ELF linked for the slot"
                + " (body at 0x08020200) or a raw binary body. Exit status: 0; 2 bad input.")
public final class ImageSignCommand implements Callable<Integer> {
    // --help without the standard mixin: its -V/--version would take the image's --version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "Ed25519 private key (PEM PKCS#8).")
    Path key;

    @Option(names = "--version", paramLabel = "MAJOR.MINOR.REVISION+BUILD", defaultValue = "0.0.0+0",
            description = "The image's version (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--security-counter", paramLabel = "N", defaultValue = "0",
            description = "Monotonic counter, 0 to 4294967295: the bootloader refuses an image whose counter is below"
                    + " the installed one's (default: ${DEFAULT-VALUE}).")
    long securityCounter;

    @Parameters(index = "0", paramLabel = "IN.elf|IN.bin", description = "The program: an ELF, or the body as is.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.img", description = "The signed image to write.")
    Path out;

    @Override
    public Integer call() {
        ImageVersion v;
        try {
            v = ImageVersion.parse(version);
        } catch (IllegalArgumentException e) {
            return ImageCommand.fail("--version: " + e.getMessage());
        }
        if (securityCounter < 0 || securityCounter > 0xFFFF_FFFFL) {
            return ImageCommand.fail("--security-counter: expected 0 to 4294967295, got " + securityCounter);
        }
        byte[] image;
        int bodySize;
        try {
            SigningKey k = SigningKey.read(key);
            byte[] body = ImageBody.read(in);
            bodySize = body.length;
            image = ImageWriter.write(body, v, securityCounter, k);
            ImageCommand.write(out, image);
            System.out.println(String.format(Locale.ROOT, "%s: %d bytes: version %s, security counter %d, body %d bytes"
                    + " (0x%08x..0x%08x)", out, image.length, v, securityCounter, bodySize, ApplicationSlot.BODY_ADDRESS,
                    ApplicationSlot.BODY_ADDRESS + bodySize));
            System.out.println("key hash " + ImageCommand.hex(k.verificationKey().keyHash()));
            System.out.println("image hash " + ImageCommand.hex(java.util.Arrays.copyOfRange(image,
                    ImageHeader.HDR_SIZE + bodySize + 44, ImageHeader.HDR_SIZE + bodySize + 76)));
        } catch (IOException | ImageCommand.OutputException e) { // the key, ELF and body readers name the file
            return ImageCommand.fail(e.getMessage());
        }
        return 0;
    }
}
