package org.metertwin.core.signal;

/**
 * A device's interrupt request output, wired to an interrupt controller input. Level-sensitive: the device
 * holds it high while its interrupt condition (flag and enable) holds.
 */
@FunctionalInterface
public interface InterruptLine {
    InterruptLine NONE = level -> { };

    void set(boolean level);
}
