package org.metertwin.core.registers;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings about something a device does not model, each logged once per owner: firmware that relies on
 * it is visible without a line per access. Every device's once-only log goes through here.
 */
public final class LogOnce {
    private static final Logger LOG = LoggerFactory.getLogger(LogOnce.class);

    private final String owner;
    private final Set<String> seen = new HashSet<>();

    /** @param owner the device name the messages start with */
    public LogOnce(String owner) {
        this.owner = owner;
    }

    /** Logs {@code message} unless it was logged before. */
    public void warn(String message) {
        warn(message, message);
    }

    /** Logs {@code message} unless something was logged under {@code key} before. */
    public void warn(String key, String message) {
        if (seen.add(key)) {
            LOG.warn("{}: {}", owner, message);
        }
    }

    /** The keys logged so far (the messages, where no key was given); for tests. */
    public Set<String> logged() {
        return Set.copyOf(seen);
    }
}
