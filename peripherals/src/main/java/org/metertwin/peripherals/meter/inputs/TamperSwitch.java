package org.metertwin.peripherals.meter.inputs;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.EventQueue;

/**
 * A tamper detector on a GPIO: the terminal-cover switch (a microswitch held closed by the cover; removing the
 * cover opens it and the pull-up takes the GPIO high) or the magnetic-field sensor (a Hall switch whose
 * open-drain output goes low in a strong field). Those wirings give the default active levels, high for the
 * cover and low for the magnet. Every change is recorded with its virtual time, as the meter's event log would.
 */
public final class TamperSwitch {
    public enum Kind { COVER, MAGNET }

    /** A change of the tamper condition at a virtual time. */
    public record Change(long atNanos, boolean tampered) {
    }

    private final String name;
    private final Kind kind;
    private final EventQueue events;
    private final Contact contact;
    private final List<Change> log = new ArrayList<>();

    public TamperSwitch(String name, Kind kind, EventQueue events, Pin pin, boolean activeLevel, long bounceNanos,
            long seed) {
        this.name = name;
        this.kind = kind;
        this.events = events;
        this.contact = new Contact(name, events, pin, activeLevel, bounceNanos, seed);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Cover removed, or a magnet applied. */
    public void tamper() {
        change(true);
    }

    /** Cover refitted, or the magnet taken away. */
    public void restore() {
        change(false);
    }

    public void openCover() {
        expect(Kind.COVER);
        tamper();
    }

    public void closeCover() {
        expect(Kind.COVER);
        restore();
    }

    public void applyField() {
        expect(Kind.MAGNET);
        tamper();
    }

    public void removeField() {
        expect(Kind.MAGNET);
        restore();
    }

    public boolean isTampered() {
        return contact.isActive();
    }

    /** The changes so far, oldest first. */
    public List<Change> log() {
        return List.copyOf(log);
    }

    private void expect(Kind k) {
        if (kind != k) {
            throw new IllegalStateException(name + " is a " + kind.name().toLowerCase() + " sensor, not a "
                    + k.name().toLowerCase() + " one");
        }
    }

    private void change(boolean tampered) {
        if (tampered != contact.isActive()) {
            log.add(new Change(events.now(), tampered));
            contact.set(tampered);
        }
    }

    /**
     * {@code tamper-switch}: pin {@code pin}; properties {@code kind} ({@code cover} or {@code magnet}),
     * {@code active-level} (default high for cover, low for magnet), {@code bounce-ms} (0) and {@code seed} (1).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "tamper-switch";
        }

        public String description() {
            return "tamper detector on a GPIO: terminal-cover switch or magnetic-field sensor";
        }

        public Object create(DeviceContext c) throws MachineException {
            String k = c.string("kind", null);
            Kind kind;
            if ("cover".equals(k)) {
                kind = Kind.COVER;
            } else if ("magnet".equals(k)) {
                kind = Kind.MAGNET;
            } else {
                throw c.error("properties.kind", "expected cover or magnet, got " + (k == null ? "nothing" : "'" + k
                        + "'"));
            }
            return new TamperSwitch(c.name(), kind, c.events(), c.pin("pin"),
                    Inputs.level(c, "active-level", kind == Kind.COVER), Inputs.bounce(c), c.number("seed", 1));
        }
    }
}
