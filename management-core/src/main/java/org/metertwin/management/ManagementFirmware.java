package org.metertwin.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.management.image.ImageVersion;
import org.metertwin.management.image.ImageWriter;
import org.metertwin.management.image.SigningKey;

/**
 * The management core's bundled firmware (docs/management-core.md, "The product image"): the bootloader
 * (firmware/bootloader.elf) and the RTOS with its bundled processes (firmware/rtos.bin, built by
 * management-core/firmware/rtos/build.sh), which this class signs into an image with the bundled test key
 * (keys/test-signing-key.pem, whose public key the bootloader is built with) and places in the application
 * slot, as a programmer would leave a new board: the bootloader verifies it and starts it.
 */
public final class ManagementFirmware {
    /** The version the bundled image carries (product/main.c prints it from the image header). */
    public static final ImageVersion VERSION = new ImageVersion(0, 3, 0, 1);
    public static final long SECURITY_COUNTER = 1;
    /** The application slot (docs/firmware-update.md): the image's header, then its body at +512. */
    public static final int APPLICATION_SLOT = 0x0802_0000;
    /** Internal flash above the bootloader (sectors 2-11). */
    private static final int FLASH_FROM = 0x0800_8000, FLASH_END = 0x0810_0000;

    private ManagementFirmware() {
    }

    /** The bootloader's ELF, copied out of the jar into a temporary file (deleted at exit). */
    public static Path bootloader() {
        return extract("/firmware/bootloader.elf", "bootloader");
    }

    /** The RTOS image, signed with the test key: header, body, trailer. Deterministic. */
    public static byte[] rtosImage() {
        return sign(resource("/firmware/rtos.bin"));
    }

    /**
     * A body of the RTOS (the bytes of an {@code rtos.bin}, for example a test variant built by build.sh) signed
     * as {@link #rtosImage()} signs the bundled one. Deterministic.
     */
    public static byte[] sign(byte[] body) {
        return ImageWriter.write(body, VERSION, SECURITY_COUNTER, SigningKey.testKey());
    }

    /** Erases the flash above the bootloader and puts {@code image} in the application slot. */
    public static ExecOptions.BoardSetup install(byte[] image) {
        return board -> {
            byte[] erased = new byte[FLASH_END - FLASH_FROM];
            Arrays.fill(erased, (byte) 0xFF);
            board.bus().load(FLASH_FROM, erased, 0, erased.length);
            board.bus().load(APPLICATION_SLOT, image, 0, image.length);
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = ManagementFirmware.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + ": not in the jar (a build without the management firmware)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extract(String name, String prefix) {
        try {
            Path file = Files.createTempFile("metertwin-" + prefix, ".elf");
            file.toFile().deleteOnExit();
            Files.write(file, resource(name));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
