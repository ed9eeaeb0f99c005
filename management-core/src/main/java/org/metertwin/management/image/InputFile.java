package org.metertwin.management.image;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole input file, turning each way it can fail into one {@link ImageInputException} line. */
public final class InputFile {
    private InputFile() {
    }

    /** The file's bytes; {@code what} ("an image", "a private key") completes "is a directory, expected ...". */
    public static byte[] read(Path file, String what) throws ImageInputException {
        if (Files.isDirectory(file)) {
            throw new ImageInputException(file, "is a directory, expected " + what);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageInputException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new ImageInputException(file, "cannot be read: permission denied");
        } catch (IOException e) {
            throw new ImageInputException(file, "cannot be read: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new ImageInputException(file, "empty file, expected " + what);
        }
        return bytes;
    }
}
