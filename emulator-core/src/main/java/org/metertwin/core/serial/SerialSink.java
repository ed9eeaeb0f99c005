package org.metertwin.core.serial;

/**
 * Receives characters at the moment their stop bit ends, on the receiver's virtual timeline. {@code format}
 * is how the sender framed the character, or null when the source has no line format of its own (a host
 * terminal, a file), in which case the receiver takes it as correctly framed.
 */
@FunctionalInterface
public interface SerialSink {
    SerialSink NONE = (data, format) -> { };

    void receive(int data, SerialFormat format);
}
