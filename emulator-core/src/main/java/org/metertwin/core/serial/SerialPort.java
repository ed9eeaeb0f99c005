package org.metertwin.core.serial;

/**
 * The outside face of a UART: where the characters it transmits go, and where characters to receive come
 * in. Host bridges, links between machines and device models (an STPM34 UART, a terminal) connect here.
 */
public interface SerialPort {
    String name();

    /** Where transmitted characters go, each when its stop bit ends; replaces any previous sink. */
    void connectTransmitter(SerialSink sink);

    /** The receiver input: call it when a character's stop bit ends at the UART's RX pin. */
    SerialSink receiver();

    /** The format the UART is set to now (for bridges that pace host input at the line rate). */
    SerialFormat format();

    /**
     * Whether the receiver is enabled and its data register is free. Host bridges hold input back while
     * this is false, as hardware flow control would, so that no byte typed or sent by the host is lost;
     * links between machines do not ask, so firmware sees real overruns.
     */
    boolean canReceive();
}
