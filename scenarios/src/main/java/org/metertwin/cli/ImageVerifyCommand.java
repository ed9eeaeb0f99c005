package org.metertwin.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.metertwin.management.image.ImageHeader;
import org.metertwin.management.image.ImageInputException;
import org.metertwin.management.image.ImageVerifier;
import org.metertwin.management.image.InputFile;
import org.metertwin.management.image.VerificationKey;
import org.metertwin.management.image.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metertwin image verify}: the bootloader's checks of an image, run on the host. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check an image as the bootloader does and print its header and 'ok' or the reason it would"
                + " be refused. Exit status: 0 ok; 1 refused; 2 bad input.")
public final class ImageVerifyCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, paramLabel = "KEY.pub", description = "Ed25519 public key (PEM).")
    Path key;

    @Option(names = "--installed-counter", paramLabel = "N",
            description = "The installed image's security counter: refuse an image below it (rollback).")
    Long installedCounter;

    @Parameters(index = "0", paramLabel = "IMG", description = "The image to check.")
    Path image;

    @Override
    public Integer call() {
        if (installedCounter != null && (installedCounter < 0 || installedCounter > 0xFFFF_FFFFL)) {
            return ImageCommand.fail("--installed-counter: expected 0 to 4294967295, got " + installedCounter);
        }
        Verdict v;
        byte[] bytes;
        try {
            VerificationKey k = VerificationKey.read(key);
            bytes = InputFile.read(image, "an image");
            v = ImageVerifier.verify(bytes, k, installedCounter == null ? OptionalLong.empty()
                    : OptionalLong.of(installedCounter));
        } catch (ImageInputException e) {
            return ImageCommand.fail(e.getMessage());
        }
        PrintStream out = System.out;
        out.println(image + ": " + bytes.length + " bytes");
        ImageHeader h = v.header();
        if (h != null) {
            out.println(String.format(Locale.ROOT, "magic             0x%08x", h.magic()));
            out.println(String.format(Locale.ROOT, "load_addr         0x%08x", h.loadAddr()));
            out.println(String.format(Locale.ROOT, "hdr_size          0x%04x", h.hdrSize()));
            out.println("protect_tlv_size  " + h.protectTlvSize());
            out.println("img_size          " + h.imgSize());
            out.println(String.format(Locale.ROOT, "flags             0x%08x", h.flags()));
            out.println("version           " + h.version());
            out.println("security_counter  " + h.securityCounter());
        }
        if (v.accepted()) {
            out.println("ok");
            return 0;
        }
        out.println("refused: " + v);
        return ImageCommand.REFUSED;
    }
}
