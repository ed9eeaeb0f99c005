package org.metertwin.peripherals.i2c;

/**
 * A device on an I2C bus, seen from the bus controller: addressing after a (repeated) START, bytes in each
 * direction with their acknowledge bit, and STOP. Only the addressed target is called after the address.
 */
public interface I2cTarget {
    /** Whether this target answers to a 7-bit address. */
    boolean matches(int address7);

    /** Addressed after a START or repeated START; returns whether it acknowledges. */
    boolean start(boolean read);

    /** The master wrote a byte; returns whether the target acknowledges it. */
    boolean write(int data);

    /** The master reads a byte; {@code masterAcks} is the master's acknowledge (false on the last byte). */
    int read(boolean masterAcks);

    /** A STOP condition ended the transaction. */
    void stop();
}
