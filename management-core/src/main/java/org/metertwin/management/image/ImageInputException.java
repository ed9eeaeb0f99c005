package org.metertwin.management.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given to the image tool cannot be used: missing, unreadable, not a key of the right kind, a body
 * that does not fit the slot. The message is one line naming the file and the problem, fit to show a user.
 */
public final class ImageInputException extends IOException {
    public ImageInputException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
