package org.metertwin.core.registers;

/**
 * A one-bit field of a {@link Register}, returned by {@link Register#flag}: device logic tests and updates
 * the bit through it instead of repeating the bit's mask.
 */
public final class Flag {
    private final Register register;
    private final int mask;
    private final String name;

    Flag(Register register, int bit, String name) {
        this.register = register;
        this.mask = 1 << bit;
        this.name = name;
    }

    /** The bit in the register's stored value. */
    public boolean isSet() {
        return (register.get() & mask) != 0;
    }

    /** The bit in a value of this register (what software wrote, or a previous value). */
    public boolean in(int registerValue) {
        return (registerValue & mask) != 0;
    }

    /** Hardware sets the bit. */
    public void set() {
        register.setBits(mask);
    }

    /** Hardware clears the bit. */
    public void clear() {
        register.clearBits(mask);
    }

    public void set(boolean on) {
        if (on) {
            set();
        } else {
            clear();
        }
    }

    public int mask() {
        return mask;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return register.name() + "." + name;
    }
}
