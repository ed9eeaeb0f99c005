package org.metertwin.peripherals.meter.inputs;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * A front-panel push button (display scroll, or the sealed button that re-closes the relay) on a GPIO. The
 * usual wiring pulls the GPIO up and the button shorts it to ground, so it reads low while pressed (the
 * default). A test presses and releases it, or clicks it for a width in virtual time.
 */
public final class Button {
    private final String name;
    private final EventQueue events;
    private final Contact contact;
    private final Event release;
    private long presses;

    public Button(String name, EventQueue events, Pin pin, boolean pressedLevel, long bounceNanos, long seed) {
        this.name = name;
        this.events = events;
        this.contact = new Contact(name, events, pin, pressedLevel, bounceNanos, seed);
        this.release = events.event(name + ".release", when -> release());
    }

    public String name() {
        return name;
    }

    public void press() {
        events.cancel(release);
        if (!contact.isActive()) {
            presses++;
        }
        contact.set(true);
    }

    public void release() {
        events.cancel(release);
        contact.set(false);
    }

    /** Presses now and releases {@code widthNanos} later, in virtual time. */
    public void click(long widthNanos) {
        if (widthNanos <= 0) {
            throw new IllegalArgumentException(name + ": click width must be > 0 ns, got " + widthNanos);
        }
        press();
        events.scheduleIn(release, widthNanos);
    }

    public boolean isPressed() {
        return contact.isActive();
    }

    /** How many times it was pressed. */
    public long presses() {
        return presses;
    }

    /**
     * {@code button}: pin {@code pin}; properties {@code pressed-level} ({@code low} or {@code high}, default
     * low), {@code bounce-ms} (default 0: no bounce) and {@code seed} (bounce pattern, default 1).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "button";
        }

        public String description() {
            return "push button on a GPIO, with optional seeded contact bounce";
        }

        public Object create(DeviceContext c) throws MachineException {
            return new Button(c.name(), c.events(), c.pin("pin"), Inputs.level(c, "pressed-level", false),
                    Inputs.bounce(c), c.number("seed", 1));
        }
    }
}
