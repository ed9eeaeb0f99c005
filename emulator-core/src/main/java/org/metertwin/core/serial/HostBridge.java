package org.metertwin.core.serial;

/**
 * Connects a UART to something on the host: a TCP client, a serial device, the terminal, a file. Host input
 * arrives on host threads; the bridge hands it to the emulation only in {@link #pump}, which the run loop
 * calls on the emulation thread between slices of virtual time, and paces it at the UART's line rate.
 */
public interface HostBridge extends AutoCloseable {
    /** Delivers (schedules) host input that has arrived; called on the emulation thread. */
    void pump();

    /** True while the host side may still send input (an open socket or terminal, a file not yet read). */
    boolean inputOpen();

    /** True when input has arrived that {@link #pump} has not yet delivered. */
    boolean inputWaiting();

    /** Blocks the caller up to {@code millis} of wall time until host input arrives or input closes. */
    void awaitInput(long millis) throws InterruptedException;

    /** Flushes output and releases host resources. */
    @Override
    void close();
}
