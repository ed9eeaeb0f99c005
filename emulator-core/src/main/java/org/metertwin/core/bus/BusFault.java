package org.metertwin.core.bus;

/**
 * Thrown by the bus for an access that no region accepts (unmapped address, write to read-only memory,
 * a device refusing the access). The CPU turns it into a BusFault exception; it never escapes the CPU loop.
 * One preallocated instance per thread-free use: no stack trace, no allocation on the fault path.
 */
public final class BusFault extends RuntimeException {
    private static final BusFault INSTANCE = new BusFault();
    private int address;
    private boolean write;

    private BusFault() {
        super(null, null, false, false);
    }

    public static BusFault at(int address, boolean write) {
        INSTANCE.address = address;
        INSTANCE.write = write;
        return INSTANCE;
    }

    public int address() {
        return address;
    }

    public boolean isWrite() {
        return write;
    }

    @Override
    public String getMessage() {
        return String.format("bus fault on %s at 0x%08x", write ? "write" : "read", address);
    }
}
