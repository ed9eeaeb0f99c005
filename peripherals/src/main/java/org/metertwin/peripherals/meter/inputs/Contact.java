package org.metertwin.peripherals.meter.inputs;

import java.util.SplittableRandom;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * A mechanical contact driving a GPIO net: active (pressed, tripped) at one level, idle at the other. With
 * bounce enabled, every change first makes contact and then toggles an even number of extra times (2, 4 or 6)
 * at seeded pseudo-random moments within the bounce time, so it settles on the new level no later than the
 * bounce time after the change. Bounce is a typical switch behaviour (a few ms for tactile switches); the
 * pattern is made up, not measured on a part.
 */
public final class Contact {
    private final EventQueue events;
    private final Pin pin;
    private final boolean activeLevel;
    private final long bounceNanos;
    private final SplittableRandom random;
    private final Event bounce;
    private boolean active;
    private int togglesLeft;
    private long settleAt;

    /** {@code bounceNanos} 0 turns bounce off; {@code seed} makes the bounce pattern repeatable. */
    public Contact(String name, EventQueue events, Pin pin, boolean activeLevel, long bounceNanos, long seed) {
        if (bounceNanos < 0) {
            throw new IllegalArgumentException(name + ": bounce time must be >= 0");
        }
        this.events = events;
        this.pin = pin;
        this.activeLevel = activeLevel;
        this.bounceNanos = bounceNanos;
        this.random = new SplittableRandom(seed);
        this.bounce = events.event(name + ".bounce", this::bounce);
        pin.drive(!activeLevel);
    }

    public boolean isActive() {
        return active;
    }

    /** The settled level the contact drives when active. */
    public boolean activeLevel() {
        return activeLevel;
    }

    /** Moves the contact now; the net follows at once, then bounces if bounce is enabled. */
    public void set(boolean nowActive) {
        if (nowActive == active) {
            return;
        }
        active = nowActive;
        events.cancel(bounce);
        pin.drive(active == activeLevel);
        if (bounceNanos > 0) {
            togglesLeft = 2 * (1 + random.nextInt(3));
            settleAt = events.now() + bounceNanos;
            scheduleBounce();
        }
    }

    /** The next toggle, no later than an equal share of the time left, so the last one is within the bounce. */
    private void scheduleBounce() {
        long share = Math.max(1, (settleAt - events.now()) / togglesLeft);
        events.scheduleIn(bounce, 1 + random.nextLong(share));
    }

    private void bounce(long when) {
        pin.drive(!pin.level());
        if (--togglesLeft > 0) {
            scheduleBounce();
        }
    }
}
