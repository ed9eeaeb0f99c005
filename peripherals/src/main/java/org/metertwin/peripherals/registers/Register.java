package org.metertwin.peripherals.registers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One 32-bit register, declared with its fields: name, reset value, and the access of each field
 * ({@link Access}). Bits not covered by any field are not modelled: they read their reset value, and a
 * write that tries to change them is logged once by the owning {@link RegisterDevice}.
 *
 * <p>Behaviour beyond storage is attached with {@link #onWrite} (after the stored value changed),
 * {@link #onRead} (a side effect of a software read, such as clearing a flag) and {@link #value}
 * (a value computed when read, such as a running counter; it must have no side effects).
 */
public final class Register {
    /** Called after a software write has been applied; {@code written} is what software wrote. */
    @FunctionalInterface
    public interface WriteHook {
        void written(int written, int previous);
    }

    final String name;
    final int offset;
    final int resetValue;
    int value;
    int implemented;
    int rw, ro, wo, rcw1, rcw0, rs;
    final List<String> fieldNames = new ArrayList<>();
    WriteHook onWrite;
    Runnable onRead;
    IntSupplier computed;

    Register(String name, int offset, int resetValue) {
        this.name = name;
        this.offset = offset;
        this.resetValue = resetValue;
        this.value = resetValue;
    }

    public String name() {
        return name;
    }

    public int offset() {
        return offset;
    }

    /** A field of {@code width} bits at {@code lsb}. */
    public Register field(int lsb, int width, String fieldName, Access access) {
        int mask = (width == 32 ? -1 : ((1 << width) - 1)) << lsb;
        if ((implemented & mask) != 0) {
            throw new IllegalStateException(name + "." + fieldName + " overlaps another field");
        }
        implemented |= mask;
        switch (access) {
            case RW -> rw |= mask;
            case R -> ro |= mask;
            case W -> wo |= mask;
            case RC_W1 -> rcw1 |= mask;
            case RC_W0 -> rcw0 |= mask;
            case RS -> rs |= mask;
            default -> throw new IllegalArgumentException(String.valueOf(access));
        }
        fieldNames.add(fieldName);
        return this;
    }

    /** A one-bit field. */
    public Register bit(int bit, String fieldName, Access access) {
        return field(bit, 1, fieldName, access);
    }

    public Register onWrite(WriteHook hook) {
        this.onWrite = hook;
        return this;
    }

    public Register onRead(Runnable sideEffect) {
        this.onRead = sideEffect;
        return this;
    }

    /** The register reads as this function's result (fields' stored bits are ignored). */
    public Register value(IntSupplier compute) {
        this.computed = compute;
        return this;
    }

    /** The stored value (what hardware holds; computed registers may present something else). */
    public int get() {
        return value;
    }

    /** Hardware's own update of the stored value, with no write semantics applied. */
    public void set(int newValue) {
        value = newValue;
    }

    public boolean isSet(int mask) {
        return (value & mask) != 0;
    }

    /** Hardware sets bits. */
    public void setBits(int mask) {
        value |= mask;
    }

    /** Hardware clears bits. */
    public void clearBits(int mask) {
        value &= ~mask;
    }

    /** What a read presents, without side effects. */
    int present() {
        int v = computed != null ? computed.getAsInt() : value;
        return (v & ~wo & implemented) | (resetValue & ~implemented);
    }

    /**
     * Applies a software write of the byte lanes in {@code laneMask}; returns the bits that tried to change
     * unmodelled state (for the once-only log).
     */
    int write(int written, int laneMask) {
        int previous = value;
        int v = value;
        int lanes = laneMask;
        v = (v & ~(rw & lanes)) | (written & rw & lanes);
        v = (v & ~(wo & lanes)) | (written & wo & lanes);
        v &= ~(written & rcw1 & lanes);
        v &= ~(~written & rcw0 & lanes);
        v |= written & rs & lanes;
        value = v;
        int unmodelled = (written ^ resetValue) & ~implemented & lanes;
        if (onWrite != null) {
            onWrite.written(written, previous);
        }
        return unmodelled;
    }

    void reset() {
        value = resetValue;
    }
}
