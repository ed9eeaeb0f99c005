package org.metertwin.core.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * A digital net that devices drive and watch: a GPIO pin, a chip select, a relay coil, a button. The level
 * is whatever its last driver set (a net has no resistance model); a net nobody drives sits at its pull
 * level. Listeners hear every change, in the order they connected, synchronously in virtual time.
 */
public final class Pin {
    /** Hears a change of level. */
    @FunctionalInterface
    public interface Listener {
        void changed(Pin pin, boolean level);
    }

    private final String name;
    private boolean level;
    private final List<Listener> listeners = new ArrayList<>(2);

    public Pin(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public boolean level() {
        return level;
    }

    /** Drives the net; listeners hear it only when the level changes. */
    public void drive(boolean newLevel) {
        if (newLevel == level) {
            return;
        }
        level = newLevel;
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).changed(this, newLevel);
        }
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    @Override
    public String toString() {
        return name + "=" + (level ? 1 : 0);
    }
}
