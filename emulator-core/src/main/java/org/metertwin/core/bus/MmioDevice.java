package org.metertwin.core.bus;

/**
 * A memory-mapped device on the system bus. Offsets are relative to the device's base address.
 * Sizes are 1, 2 or 4 bytes; values are zero-extended. A device signals a bus error for an access it
 * does not accept by throwing {@link BusFault#at(int, boolean)}.
 */
public interface MmioDevice {
    /** Name used in log and fault messages. */
    String name();

    int read(int offset, int size);

    void write(int offset, int size, int value);

    /** Side-effect-free read for debuggers; defaults to a normal read. */
    default int peek(int offset, int size) {
        return read(offset, size);
    }

    default void reset() {
    }
}
