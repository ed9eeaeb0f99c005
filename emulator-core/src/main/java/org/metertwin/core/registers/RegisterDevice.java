package org.metertwin.core.registers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.metertwin.core.bus.MmioDevice;

/**
 * A memory-mapped device whose registers are declared with {@link #define} (32-bit) and {@link #define16}
 * (16-bit). Reads and writes of 8, 16 or 32 bits go to the register covering the address: bytes of the
 * other lanes keep their values, and write-1-to-clear bits in them are untouched; a 32-bit access to
 * 16-bit registers reaches both halves. Offsets with no register read zero; they, writes to unmodelled
 * bits and tagged fields are logged once per device (see {@link Register}).
 */
public abstract class RegisterDevice implements MmioDevice {
    private final String name;
    /** The register covering each halfword of the device. */
    private final Register[] byHalf;
    private final List<Register> registers = new ArrayList<>();
    /** Per word: 1 once a read of it was logged, 2 once a write was. */
    private final byte[] offsetLogged;
    private final LogOnce log;

    protected RegisterDevice(String name, int size) {
        this.name = name;
        this.byHalf = new Register[(size + 1) / 2];
        this.offsetLogged = new byte[(byHalf.length + 1) / 2];
        this.log = new LogOnce(name);
    }

    @Override
    public String name() {
        return name;
    }

    /** Declares a 32-bit register at {@code offset} (a multiple of 4) with its reset value. */
    protected final Register define(int offset, String registerName, int resetValue) {
        return place(offset, new Register(registerName, offset, 32, resetValue, log));
    }

    /** Declares a 32-bit register whose reset value its fields give. */
    protected final Register define(int offset, String registerName) {
        return define(offset, registerName, 0);
    }

    /** Declares a 16-bit register at {@code offset} (a multiple of 2) with its reset value. */
    protected final Register define16(int offset, String registerName, int resetValue) {
        return place(offset, new Register(registerName, offset, 16, resetValue, log));
    }

    /** Declares a 16-bit register whose reset value its fields give. */
    protected final Register define16(int offset, String registerName) {
        return define16(offset, registerName, 0);
    }

    /** Makes {@code register} answer at a second offset too (the MPU's RBAR/RASR aliases). */
    protected final Register alias(int offset, Register register) {
        occupy(offset, register);
        return register;
    }

    private Register place(int offset, Register r) {
        occupy(offset, r);
        registers.add(r);
        return r;
    }

    private void occupy(int offset, Register r) {
        int bytes = r.width / 8;
        if (offset < 0 || offset % bytes != 0 || (offset + bytes) / 2 > byHalf.length) {
            throw new IllegalStateException(name + ": bad offset 0x" + Integer.toHexString(offset) + " for " + r.name);
        }
        for (int h = offset / 2; h < (offset + bytes) / 2; h++) {
            if (byHalf[h] != null) {
                throw new IllegalStateException(name + ": " + r.name + " overlaps " + byHalf[h].name);
            }
            byHalf[h] = r;
        }
    }

    /** The register covering an offset, or null. */
    public final Register register(int offset) {
        return offset >= 0 && offset / 2 < byHalf.length ? byHalf[offset / 2] : null;
    }

    @Override
    public int read(int offset, int size) {
        Register r = register(offset);
        if (size == 4 && r != null && r.width == 16) {
            return readPart(offset, 2, true) | readPart(offset + 2, 2, true) << 16;
        }
        return readPart(offset, size, true);
    }

    @Override
    public int peek(int offset, int size) {
        Register r = register(offset);
        if (size == 4 && r != null && r.width == 16) {
            return readPart(offset, 2, false) | readPart(offset + 2, 2, false) << 16;
        }
        return readPart(offset, size, false);
    }

    private int readPart(int offset, int size, boolean sideEffects) {
        Register r = register(offset);
        if (r == null) {
            if (sideEffects) {
                unmodelled(offset, 1, "read of unmodelled offset 0x", " (reads 0)");
            }
            return 0;
        }
        int v = r.present();
        if (sideEffects && r.onRead != null) {
            r.onRead.run();
        }
        int shift = (offset & (r.width / 8 - 1)) * 8;
        return size == 4 ? v : (v >>> shift) & ((1 << (size * 8)) - 1);
    }

    @Override
    public void write(int offset, int size, int value) {
        Register r = register(offset);
        if (size == 4 && r != null && r.width == 16) {
            writePart(offset, 2, value & 0xFFFF);
            writePart(offset + 2, 2, value >>> 16);
            return;
        }
        writePart(offset, size, value);
    }

    private void writePart(int offset, int size, int value) {
        Register r = register(offset);
        if (r == null) {
            unmodelled(offset, 2, "write of unmodelled offset 0x", " (ignored)");
            return;
        }
        int shift = (offset & (r.width / 8 - 1)) * 8;
        int lanes = size == 4 ? -1 : ((1 << (size * 8)) - 1) << shift;
        r.write(value << shift, lanes);
    }

    /** Once per offset (the message is built only the first time, so a repeated access allocates nothing). */
    private void unmodelled(int offset, int kind, String what, String effect) {
        int w = offset / 4;
        if (w >= 0 && w < offsetLogged.length) {
            if ((offsetLogged[w] & kind) != 0) {
                return;
            }
            offsetLogged[w] |= (byte) kind;
        }
        logOnce(what + Integer.toHexString(offset & ~3) + effect);
    }

    /** Puts every register back to its reset value; subclasses reset their own state after calling this. */
    @Override
    public void reset() {
        for (int i = 0; i < registers.size(); i++) {
            registers.get(i).reset();
        }
    }

    /** Logs a message about something not modelled, once per device and message. */
    protected final void logOnce(String message) {
        log.warn(message);
    }

    /** The messages logged so far (for tests). */
    public final Set<String> loggedOnce() {
        return log.logged();
    }
}
