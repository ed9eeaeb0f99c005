package org.metertwin.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.HexFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code metertwin image}: signed firmware images for the management core's bootloader. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Make and check signed firmware images for the management core (docs/firmware-update.md).",
        subcommands = {ImageKeygenCommand.class, ImageSignCommand.class, ImageVerifyCommand.class})
public final class ImageCommand implements Runnable {
    /** {@code verify}'s status for an image the bootloader would refuse. */
    static final int REFUSED = 1;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** One line on stderr, status 2: the CLI's way with user mistakes (as {@code exec}). */
    static int fail(String message) {
        System.err.println("metertwin: " + message);
        return MeterTwin.BAD_INPUT;
    }

    /** Writes {@code bytes} to {@code file}; a failure is one line naming the file. */
    static void write(Path file, byte[] bytes, OpenOption... options) throws OutputException {
        if (Files.isDirectory(file)) {
            throw new OutputException(file + ": is a directory, expected a file to write");
        }
        try {
            Files.write(file, bytes, options);
        } catch (FileAlreadyExistsException e) {
            throw new OutputException(file + ": exists; not overwritten");
        } catch (NoSuchFileException e) {
            throw new OutputException(file + ": cannot write: no such directory " + parent(file));
        } catch (AccessDeniedException e) {
            throw new OutputException(file + ": cannot write: permission denied");
        } catch (FileSystemException e) { // its message repeats the path; the reason alone is enough
            throw new OutputException(file + ": cannot write: " + (e.getReason() == null ? e.getMessage() : e.getReason()));
        } catch (IOException e) {
            throw new OutputException(file + ": cannot write: " + e.getMessage());
        }
    }

    private static Path parent(Path file) {
        Path p = file.toAbsolutePath().getParent();
        return p == null ? file : p;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** An output file could not be written; the message names it. */
    static final class OutputException extends Exception {
        OutputException(String message) {
            super(message);
        }
    }
}
