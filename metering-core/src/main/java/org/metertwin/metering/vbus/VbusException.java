package org.metertwin.metering.vbus;

/** A virtual-bus exchange that did not give an answer: no reply in time, an error reply, a stopped machine. */
public final class VbusException extends Exception {
    public VbusException(String message) {
        super(message);
    }
}
