package org.metertwin.core.registers;

/**
 * A multi-bit field of a {@link Register}, returned by {@link Register#valueField}: reads and updates of
 * the field shift and mask in one place.
 */
public final class Field {
    private final Register register;
    private final int lsb;
    private final int mask;
    private final String name;

    Field(Register register, int lsb, int width, String name) {
        this.register = register;
        this.lsb = lsb;
        this.mask = Register.mask(lsb, width);
        this.name = name;
    }

    /** The field in the register's stored value, shifted down. */
    public int get() {
        return (register.get() & mask) >>> lsb;
    }

    /** The field in a value of this register (what software wrote, or a previous value). */
    public int in(int registerValue) {
        return (registerValue & mask) >>> lsb;
    }

    /** Hardware's update of the field; the register's other bits keep their values. */
    public void set(int fieldValue) {
        register.set(register.get() & ~mask | (fieldValue << lsb) & mask);
    }

    /** The field's bits in place. */
    public int mask() {
        return mask;
    }

    public int lsb() {
        return lsb;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return register.name() + "." + name;
    }
}
