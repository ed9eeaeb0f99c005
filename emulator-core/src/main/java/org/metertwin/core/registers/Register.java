package org.metertwin.core.registers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * One register of 16 or 32 bits, declared with its fields: each field's name, position, {@link Access} and
 * reset value. The fields give the write masks: software changes only what the fields' access lets it.
 *
 * <p>Bits that no field covers, or that {@link #reserved} names, are not modelled: they read the reset
 * value and a write that tries to change them is logged once. A {@link #tagged} field is known but not
 * modelled: it is stored as its access says (software reads back what it wrote) and the first write that
 * gives it a value other than its reset value is logged once, so firmware that relies on it is visible.
 *
 * <p>Typed handles ({@link #flag}, {@link #valueField}) let device logic read and update a field without
 * a second copy of its mask. Behaviour beyond storage: {@link #beforeWrite} (before a software write is
 * applied), {@link #onWrite} (after), {@link #onRead} (a side effect of a software read) and
 * {@link #readAs} (a value computed when read; no side effects). {@link #storedIn} keeps the value in the
 * device's own storage (a field other code reads, or a bank selected by another register).
 *
 * <p>An access allocates nothing: hooks are bound once, at declaration.
 */
public final class Register {
    /** Called after a software write has been applied; {@code written} is what software wrote. */
    @FunctionalInterface
    public interface WriteHook {
        void written(int written, int previous);
    }

    final String name;
    final int offset;
    final int width;
    private final int widthMask;
    private final LogOnce log;
    int resetValue;
    private int value;
    int implemented;
    private int rw, ro, wo, rcw1, rcw0, rs, tagged;
    private final List<String> fieldNames = new ArrayList<>();
    private final List<Tag> tags = new ArrayList<>();
    private boolean reservedLogged;
    private int tagsPending;
    IntConsumer beforeWrite;
    WriteHook onWrite;
    Runnable onRead;
    IntSupplier computed;
    private IntSupplier load;
    private IntConsumer store;

    /** A tagged field and whether its write has been logged. */
    private static final class Tag {
        final int mask;
        final String name;
        boolean logged;

        Tag(int mask, String name) {
            this.mask = mask;
            this.name = name;
        }
    }

    Register(String name, int offset, int width, int resetValue, LogOnce log) {
        if (width != 16 && width != 32) {
            throw new IllegalArgumentException(name + ": registers are 16 or 32 bits, not " + width);
        }
        this.name = name;
        this.offset = offset;
        this.width = width;
        this.widthMask = width == 32 ? -1 : 0xFFFF;
        this.log = log;
        this.resetValue = resetValue & widthMask;
        this.value = this.resetValue;
    }

    static int mask(int lsb, int width) {
        return (width == 32 ? -1 : ((1 << width) - 1)) << lsb;
    }

    public String name() {
        return name;
    }

    public int offset() {
        return offset;
    }

    /** 16 or 32. */
    public int width() {
        return width;
    }

    public int resetValue() {
        return resetValue;
    }

    /** The bits a software write can change (the fields that are not read-only). */
    public int writeMask() {
        return rw | wo | rcw1 | rcw0 | rs;
    }

    /** The names of the declared fields, in declaration order. */
    public List<String> fieldNames() {
        return List.copyOf(fieldNames);
    }

    // ---- declaration ----

    /** A field of {@code width} bits at {@code lsb}. */
    public Register field(int lsb, int width, String fieldName, Access access) {
        declare(lsb, width, fieldName, access);
        return this;
    }

    /** A field with its reset value (in field units, ORed into the register's reset value). */
    public Register field(int lsb, int width, String fieldName, Access access, int reset) {
        int m = declare(lsb, width, fieldName, access);
        resetValue = resetValue & ~m | (reset << lsb) & m;
        if (store != null) {
            store.accept(resetValue); // a bank's storage starts at the declared reset value too
        } else {
            value = resetValue;
        }
        return this;
    }

    /** A one-bit field. */
    public Register bit(int bit, String fieldName, Access access) {
        return field(bit, 1, fieldName, access);
    }

    /** A one-bit field with its reset value. */
    public Register bit(int bit, String fieldName, Access access, boolean reset) {
        return field(bit, 1, fieldName, access, reset ? 1 : 0);
    }

    /** A read-write one-bit field, returned as a handle. */
    public Flag flag(int bit, String fieldName) {
        return flag(bit, fieldName, Access.RW);
    }

    /** A one-bit field, returned as a handle. */
    public Flag flag(int bit, String fieldName, Access access) {
        declare(bit, 1, fieldName, access);
        return new Flag(this, bit, fieldName);
    }

    /** A one-bit field with its reset value, returned as a handle. */
    public Flag flag(int bit, String fieldName, Access access, boolean reset) {
        bit(bit, fieldName, access, reset);
        return new Flag(this, bit, fieldName);
    }

    /** A read-write multi-bit field, returned as a handle. */
    public Field valueField(int lsb, int width, String fieldName) {
        return valueField(lsb, width, fieldName, Access.RW);
    }

    /** A multi-bit field, returned as a handle. */
    public Field valueField(int lsb, int width, String fieldName, Access access) {
        declare(lsb, width, fieldName, access);
        return new Field(this, lsb, width, fieldName);
    }

    /** A known field that is stored but not modelled (read-write); see the class comment. */
    public Register tagged(int lsb, int width, String fieldName) {
        return tagged(lsb, width, fieldName, Access.RW);
    }

    /** A known field that is stored with {@code access} but not modelled. */
    public Register tagged(int lsb, int width, String fieldName, Access access) {
        int m = declare(lsb, width, fieldName, access);
        tagged |= m;
        tags.add(new Tag(m, fieldName));
        tagsPending++;
        return this;
    }

    /** Reserved bits: they read their reset value; a write that tries to change them is logged once. */
    public Register reserved(int lsb, int width) {
        int m = mask(lsb, width);
        if ((implemented & m) != 0) {
            throw new IllegalStateException(name + ": reserved bits overlap a field");
        }
        return this;
    }

    private int declare(int lsb, int width, String fieldName, Access access) {
        int m = mask(lsb, width);
        if (lsb < 0 || width < 1 || lsb + width > this.width) {
            throw new IllegalArgumentException(name + "." + fieldName + " does not fit a " + this.width
                    + "-bit register");
        }
        if ((implemented & m) != 0) {
            throw new IllegalStateException(name + "." + fieldName + " overlaps another field");
        }
        implemented |= m;
        switch (access) {
            case RW -> rw |= m;
            case R -> ro |= m;
            case W -> wo |= m;
            case RC_W1 -> rcw1 |= m;
            case RC_W0 -> rcw0 |= m;
            case RS -> rs |= m;
            default -> throw new IllegalArgumentException(String.valueOf(access));
        }
        fieldNames.add(fieldName);
        return m;
    }

    /** Runs before a software write is applied, with what software wrote. */
    public Register beforeWrite(IntConsumer hook) {
        this.beforeWrite = hook;
        return this;
    }

    public Register onWrite(WriteHook hook) {
        this.onWrite = hook;
        return this;
    }

    public Register onRead(Runnable sideEffect) {
        this.onRead = sideEffect;
        return this;
    }

    /** The register reads as this function's result, masked by the fields (stored bits are ignored). */
    public Register readAs(IntSupplier compute) {
        this.computed = compute;
        return this;
    }

    /**
     * The value lives in the device's storage: {@code get} and {@code set} replace the register's own. The
     * storage's owner resets it (a device reset does not), since other state may share it.
     */
    public Register storedIn(IntSupplier get, IntConsumer set) {
        this.load = get;
        this.store = set;
        return this;
    }

    // ---- hardware's side ----

    /** The stored value (what hardware holds; computed registers may present something else). */
    public int get() {
        return load != null ? load.getAsInt() : value;
    }

    /** Hardware's own update of the stored value, with no write semantics applied. */
    public void set(int newValue) {
        if (store != null) {
            store.accept(newValue);
        } else {
            value = newValue;
        }
    }

    public boolean isSet(int mask) {
        return (get() & mask) != 0;
    }

    /** Hardware sets bits. */
    public void setBits(int mask) {
        set(get() | mask);
    }

    /** Hardware clears bits. */
    public void clearBits(int mask) {
        set(get() & ~mask);
    }

    // ---- software's side ----

    /** What a read presents, without side effects. */
    int present() {
        int v = computed != null ? computed.getAsInt() : get();
        return ((v & ~wo & implemented) | (resetValue & ~implemented)) & widthMask;
    }

    /**
     * Applies a software write of the bits in {@code lanes} (byte lanes, or the half of a 32-bit register a
     * 16-bit row write reaches): each field as its access says, then the once-only logs, then
     * {@link #onWrite}.
     */
    void write(int written, int lanes) {
        if (beforeWrite != null) {
            beforeWrite.accept(written);
        }
        int previous = get();
        int v = previous;
        v = (v & ~(rw & lanes)) | (written & rw & lanes);
        v = (v & ~(wo & lanes)) | (written & wo & lanes);
        v &= ~(written & rcw1 & lanes);
        v &= ~(~written & rcw0 & lanes);
        v |= written & rs & lanes;
        set(v);
        int unmodelled = (written ^ resetValue) & ~implemented & lanes & widthMask;
        if (unmodelled != 0 && !reservedLogged) {
            reservedLogged = true;
            log.warn(name + ": write to unmodelled bits 0x" + Integer.toHexString(unmodelled)
                    + " (they keep their reset value)");
        }
        int taggedChanged = (v ^ resetValue) & tagged & lanes;
        if (taggedChanged != 0 && tagsPending > 0) {
            logTagged(taggedChanged);
        }
        if (onWrite != null) {
            onWrite.written(written, previous);
        }
    }

    private void logTagged(int changed) {
        for (int i = 0; i < tags.size(); i++) {
            Tag t = tags.get(i);
            if (!t.logged && (changed & t.mask) != 0) {
                t.logged = true;
                tagsPending--;
                log.warn(name + "." + t.name + " is stored but not modelled");
            }
        }
    }

    void reset() {
        if (store == null) {
            value = resetValue;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
