package org.metertwin.core.machine;

import java.util.function.Consumer;

/**
 * A device whose visible state reads as a line of text, such as a meter's segment LCD: tests, scenarios and
 * {@code exec --display} read it without knowing the device type.
 */
public interface TextDisplay {
    String name();

    /** What the display shows now; empty when it is blank. */
    String text();

    /** Hears the new text each time it changes (at the end of the write that changed it). */
    void listen(Consumer<String> changed);
}
