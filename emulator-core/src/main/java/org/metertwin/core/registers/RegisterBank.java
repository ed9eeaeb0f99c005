package org.metertwin.core.registers;

/**
 * Numbered 32-bit registers that are not memory-mapped: a chip on a serial bus (the STPM34) whose frames
 * address 16-bit rows, register {@code n} being rows {@code 2n} (low half) and {@code 2n+1} (high half).
 * The values live in one array ({@link #values}) that the chip's own logic reads directly; a row write
 * applies the fields' access to its half only.
 */
public final class RegisterBank {
    private final int[] values;
    private final Register[] registers;
    private final LogOnce log;

    public RegisterBank(int count, LogOnce log) {
        this.values = new int[count];
        this.registers = new Register[count];
        this.log = log;
    }

    /** Declares register {@code index} with its reset value; its fields follow on the result. */
    public Register define(int index, String name, int resetValue) {
        if (registers[index] != null) {
            throw new IllegalStateException(name + ": register " + index + " is already " + registers[index].name);
        }
        Register r = new Register(name, index, 32, resetValue, log)
                .storedIn(() -> values[index], v -> values[index] = v);
        registers[index] = r;
        values[index] = r.resetValue;
        return r;
    }

    public Register register(int index) {
        return registers[index];
    }

    public int count() {
        return values.length;
    }

    /** The registers' values, indexed by register number (the bank's storage, not a copy). */
    public int[] values() {
        return values;
    }

    /** Every register to its reset value (as declared with its fields). */
    public void reset() {
        for (int i = 0; i < registers.length; i++) {
            values[i] = registers[i] == null ? 0 : registers[i].resetValue;
        }
    }

    /** A 16-bit row as stored; rows past the bank read 0. */
    public int readRow(int row) {
        if (row < 0 || row >= 2 * values.length) {
            return 0;
        }
        int v = values[row >> 1];
        return (row & 1) == 0 ? v & 0xFFFF : v >>> 16;
    }

    /** A software write of a 16-bit row: its register's fields, in that half, change as their access says. */
    public void writeRow(int row, int value) {
        int shift = (row & 1) * 16;
        registers[row >> 1].write((value & 0xFFFF) << shift, 0xFFFF << shift);
    }
}
