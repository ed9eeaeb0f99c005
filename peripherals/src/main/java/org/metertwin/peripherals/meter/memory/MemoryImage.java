package org.metertwin.peripherals.meter.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The cells of a non-volatile memory, optionally backed by a host file that holds exactly the array's bytes
 * (a raw image, as a programmer would dump it). Persistence is write-through: the device calls
 * {@link #persist} at the end of every write or erase cycle (and after a torn one), so that no completed
 * write is lost if the emulator stops. Only that file is ever written.
 */
public final class MemoryImage {
    /** A file that cannot serve as the image: the message is one line naming the file. */
    public static final class BadImage extends Exception {
        BadImage(String message) {
            super(message);
        }
    }

    private final byte[] cells;
    private final Path path;
    private final FileChannel channel;
    /** A view of {@link #cells} for positional writes, made once. */
    private final ByteBuffer view;

    private MemoryImage(byte[] cells, Path path, FileChannel channel) {
        this.cells = cells;
        this.path = path;
        this.channel = channel;
        this.view = ByteBuffer.wrap(cells);
    }

    /** An image in memory only, every cell at {@code erased}. */
    public static MemoryImage inMemory(int size, int erased) {
        byte[] cells = new byte[size];
        Arrays.fill(cells, (byte) erased);
        return new MemoryImage(cells, null, null);
    }

    /**
     * An image persisted in {@code file}: loaded when the file exists (its size must be {@code size}), else
     * created with every cell at {@code erased}.
     */
    public static MemoryImage open(Path file, int size, int erased, String part) throws BadImage {
        byte[] cells = new byte[size];
        Arrays.fill(cells, (byte) erased);
        try {
            if (Files.exists(file)) {
                if (!Files.isRegularFile(file)) {
                    throw new BadImage("file " + file + " is not a regular file");
                }
                long actual = Files.size(file);
                if (actual != size) {
                    throw new BadImage("file " + file + " has " + actual + " bytes, expected " + size
                            + " (the size of " + part + ")");
                }
                byte[] loaded = Files.readAllBytes(file);
                System.arraycopy(loaded, 0, cells, 0, size);
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            MemoryImage image = new MemoryImage(cells, file, channel);
            if (channel.size() != size) {
                image.persist(0, size); // a new file: write the erased array
            }
            return image;
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            String why = cause instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : cause instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : String.valueOf(cause.getMessage()); // the system's reason, without Java's class name
            throw new BadImage("cannot use file " + file + ": " + why);
        }
    }

    public int size() {
        return cells.length;
    }

    /** The file backing the image, or null. */
    public Path file() {
        return path;
    }

    public int get(int address) {
        return cells[address] & 0xFF;
    }

    public void set(int address, int value) {
        cells[address] = (byte) value;
    }

    /** Copies {@code length} bytes from {@code address} (no wrap) into a new array: for tests and scenarios. */
    public byte[] copy(int address, int length) {
        return Arrays.copyOfRange(cells, address, address + length);
    }

    /** Writes cells [address, address + length) through to the file, if there is one. */
    public void persist(int address, int length) {
        if (channel == null) {
            return;
        }
        try {
            view.limit(address + length).position(address);
            long at = address;
            while (view.hasRemaining()) {
                at += channel.write(view, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write memory image " + path + ": " + e.getMessage(), e);
        } finally {
            view.clear();
        }
    }
}
