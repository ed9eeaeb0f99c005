package org.metertwin.peripherals.registers;

import java.util.HashSet;
import java.util.Set;
import org.metertwin.core.bus.MmioDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device whose registers are declared with {@link #define}. Reads and writes of 8, 16 or 32 bits go to
 * the register covering the address (bytes of the other lanes keep their values, and write-1-to-clear
 * bits in them are untouched). Offsets with no register read zero; both they and writes to unmodelled bits
 * are logged once per device, so that firmware relying on something not yet modelled is visible.
 */
public abstract class RegisterDevice implements MmioDevice {
    private static final Logger LOG = LoggerFactory.getLogger(RegisterDevice.class);

    private final String name;
    private final Register[] byWord;
    private final Set<String> logged = new HashSet<>();

    protected RegisterDevice(String name, int size) {
        this.name = name;
        this.byWord = new Register[size / 4];
    }

    @Override
    public String name() {
        return name;
    }

    /** Declares a register at {@code offset} (a multiple of 4) with its reset value. */
    protected final Register define(int offset, String registerName, int resetValue) {
        if ((offset & 3) != 0 || offset / 4 >= byWord.length || byWord[offset / 4] != null) {
            throw new IllegalStateException(name + ": bad or duplicate register offset " + offset);
        }
        Register r = new Register(registerName, offset, resetValue);
        byWord[offset / 4] = r;
        return r;
    }

    /** The register at an offset, or null. */
    public final Register register(int offset) {
        return offset >= 0 && offset / 4 < byWord.length ? byWord[offset / 4] : null;
    }

    @Override
    public int read(int offset, int size) {
        Register r = register(offset & ~3);
        if (r == null) {
            logOnce("read of unmodelled offset 0x" + Integer.toHexString(offset & ~3) + " (reads 0)");
            return 0;
        }
        int v = r.present();
        if (r.onRead != null) {
            r.onRead.run();
        }
        return extract(v, offset, size);
    }

    @Override
    public int peek(int offset, int size) {
        Register r = register(offset & ~3);
        return r == null ? 0 : extract(r.present(), offset, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        Register r = register(offset & ~3);
        int shift = (offset & 3) * 8;
        if (r == null) {
            logOnce("write of unmodelled offset 0x" + Integer.toHexString(offset & ~3) + " (ignored)");
            return;
        }
        int lanes = size == 4 ? -1 : ((1 << (size * 8)) - 1) << shift;
        int unmodelled = r.write(value << shift, lanes);
        if (unmodelled != 0) {
            logOnce(r.name + ": write to unmodelled bits 0x" + Integer.toHexString(unmodelled)
                    + " (they keep their reset value)");
        }
    }

    private static int extract(int v, int offset, int size) {
        int shift = (offset & 3) * 8;
        return size == 4 ? v : (v >>> shift) & ((1 << (size * 8)) - 1);
    }

    /** Puts every register back to its reset value; subclasses reset their own state after calling this. */
    @Override
    public void reset() {
        for (Register r : byWord) {
            if (r != null) {
                r.reset();
            }
        }
    }

    /** Logs a message about something not modelled, once per device and message. */
    protected final void logOnce(String message) {
        if (logged.add(message)) {
            LOG.warn("{}: {}", name, message);
        }
    }

    /** The messages logged so far (for tests). */
    public final Set<String> loggedOnce() {
        return Set.copyOf(logged);
    }
}
