package org.metertwin.scenario;

/** A scenario that cannot run as written: one line naming the file, line, column, field and the problem. */
public final class ScenarioException extends Exception {
    public ScenarioException(String message) {
        super(message);
    }
}
