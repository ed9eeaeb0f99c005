package org.metertwin.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.metertwin.management.image.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code metertwin image keygen PREFIX}: a new Ed25519 key pair in OpenSSL's PEM forms. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make an Ed25519 signing key: PREFIX.pem (private, PKCS#8; keep it secret) and PREFIX.pub"
                + " (public, for verify and the bootloader). Never overwrites. Exit status: 0; 2 bad input.")
public final class ImageKeygenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PREFIX", description = "Where to write: PREFIX.pem and PREFIX.pub.")
    String prefix;

    @Override
    public Integer call() {
        Path pem = Path.of(prefix + ".pem");
        Path pub = Path.of(prefix + ".pub");
        for (Path p : new Path[] {pem, pub}) {
            if (Files.exists(p)) {
                return ImageCommand.fail(p + ": exists; keygen does not overwrite keys");
            }
        }
        SigningKey key = SigningKey.generate(new SecureRandom());
        try {
            ImageCommand.write(pem, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            restrictToOwner(pem);  // before the secret is in it
            ImageCommand.write(pem, key.toPem().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            ImageCommand.write(pub, key.verificationKey().toPem().getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (ImageCommand.OutputException e) {
            return ImageCommand.fail(e.getMessage());
        }
        System.out.println("private key: " + pem + " (keep it secret)");
        System.out.println("public key:  " + pub + " (key hash " + ImageCommand.hex(key.verificationKey().keyHash())
                + ")");
        return 0;
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // not a POSIX file system: the file keeps the directory's default permissions
        }
    }
}
