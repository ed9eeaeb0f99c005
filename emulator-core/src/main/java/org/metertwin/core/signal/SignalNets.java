package org.metertwin.core.signal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The named digital and analog nets of one machine. A GPIO port publishes "GPIOB.12"; a device whose
 * description says {@code cs: GPIOB.12} looks up the same net, and so the two are connected.
 */
public final class SignalNets {
    private final Map<String, Pin> pins = new TreeMap<>();
    private final Map<String, AnalogLine> analog = new TreeMap<>();

    /** The digital net of that name, created on first use. */
    public Pin pin(String name) {
        return pins.computeIfAbsent(name, Pin::new);
    }

    /** The analog net of that name, created on first use with the given value. */
    public AnalogLine analog(String name, double initial) {
        return analog.computeIfAbsent(name, n -> new AnalogLine(n, initial));
    }
}
