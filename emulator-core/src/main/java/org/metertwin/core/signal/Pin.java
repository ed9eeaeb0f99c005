package org.metertwin.core.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * A digital net that devices drive and watch: a GPIO pin, a chip select, a relay coil, a button. The level
 * is whatever its last driver set (a net has no resistance model); a net nobody drives is low. Listeners hear
 * every change, in the order they connected, synchronously in virtual time.
 *
 * <p>{@link #drive} is the net's shared anonymous driver, enough for a device that never lets go of a net. A
 * device that can stop driving (a GPIO port whose chip lost its supply) takes its own {@link Driver}: when it
 * releases the net, the net returns to the level of the most recent driver still driving it, or low.
 */
public final class Pin {
    /** Hears a change of level. */
    @FunctionalInterface
    public interface Listener {
        void changed(Pin pin, boolean level);
    }

    /** One source that drives the net and can release it. */
    public final class Driver {
        private boolean active;
        private boolean driven;
        /** When it last drove, in the net's own order of drives: the latest active driver sets the level. */
        private long order;

        private Driver() {
        }

        /** Drives the net; listeners hear it only when the level changes. */
        public void drive(boolean newLevel) {
            active = true;
            driven = newLevel;
            order = ++drives;
            set(newLevel);
        }

        /** Stops driving: the net takes the level of the most recent other active driver, or low. */
        public void release() {
            if (!active) {
                return;
            }
            active = false;
            Driver latest = null;
            for (int i = 0; i < drivers.size(); i++) {
                Driver d = drivers.get(i);
                if (d.active && (latest == null || d.order > latest.order)) {
                    latest = d;
                }
            }
            set(latest != null && latest.driven);
        }

        /** Whether it drives the net now. */
        public boolean isActive() {
            return active;
        }
    }

    private final String name;
    private boolean level;
    private final List<Listener> listeners = new ArrayList<>(2);
    private final List<Driver> drivers = new ArrayList<>(2);
    private final Driver shared;
    private long drives;

    public Pin(String name) {
        this.name = name;
        this.shared = driver();
    }

    public String name() {
        return name;
    }

    public boolean level() {
        return level;
    }

    /** Drives the net through its shared driver; listeners hear it only when the level changes. */
    public void drive(boolean newLevel) {
        shared.drive(newLevel);
    }

    /** A new driver of this net, not driving until it first drives. */
    public Driver driver() {
        Driver d = new Driver();
        drivers.add(d);
        return d;
    }

    private void set(boolean newLevel) {
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
