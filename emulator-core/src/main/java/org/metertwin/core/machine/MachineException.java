package org.metertwin.core.machine;

/** Bad user input about a machine (unknown name, unreadable description): a one-line message. */
public final class MachineException extends Exception {
    public MachineException(String message) {
        super(message);
    }
}
