package org.metertwin.peripherals.meter.relay;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * The meter's supply-disconnect switch: a bistable (latching) relay with a set coil that closes the main
 * contact and a reset coil that opens it, each driven active high by a GPIO through a coil driver. Being
 * bistable, the contact keeps its position with no coil energised.
 *
 * <p>Timing: a coil must be energised alone for at least the minimum pulse width for the armature to flip;
 * shorter pulses leave the contact where it was. The contact then moves at the operate time after the start
 * of the pulse, but never before the minimum pulse has been seen (so the transfer happens at
 * {@code max(minPulse, operateTime)} after the coil was energised). The 30 ms minimum pulse and 10 ms
 * operate time are typical values of meter latching relays (manufacturers quote a "rated pulse width" of
 * 30..100 ms and an operate time of at most 10..20 ms), not taken from one specific datasheet.
 *
 * <p>Both coils energised at once: the two magnetic fluxes oppose each other, so we chose that neither
 * operates; a pending operation is abandoned, and when one coil is released the other one, if still
 * energised, starts its own pulse from that moment. A coil energised while the armature is committed to a move
 * (the minimum pulse seen, the operate time not yet over) starts its pulse when that move completes.
 *
 * <p>Faults for tests: a welded contact stays closed whatever the coils do (the feedback contact, being
 * mechanically linked to the main contact, shows the truth: closed); an open coil does nothing.
 */
public final class LatchingRelay {
    private final String name;
    private final EventQueue events;
    private final Pin set, reset, contact, feedback;
    private final long minPulseNanos, operateNanos;
    private final Event transfer;
    private boolean closed;
    /** The position the pending {@link #transfer} moves the contact to. */
    private boolean target;
    /** Which coils carried current at the last change of the pins or faults. */
    private boolean setEnergised, resetEnergised;
    /** When the lone coil of the pending transfer was energised. */
    private long pulseStart;
    private boolean welded, setCoilOpen, resetCoilOpen;
    private long operations;

    public LatchingRelay(String name, EventQueue events, Pin set, Pin reset, Pin contact, Pin feedback,
            long minPulseNanos, long operateNanos, boolean initiallyClosed) {
        if (minPulseNanos <= 0 || operateNanos < 0) {
            throw new IllegalArgumentException(name + ": minimum pulse must be > 0 and operate time >= 0");
        }
        this.name = name;
        this.events = events;
        this.set = set;
        this.reset = reset;
        this.contact = contact;
        this.feedback = feedback;
        this.minPulseNanos = minPulseNanos;
        this.operateNanos = operateNanos;
        this.closed = initiallyClosed;
        this.transfer = events.event(name + ".transfer", this::transfer);
        set.listen((p, level) -> coilsChanged());
        reset.listen((p, level) -> coilsChanged());
        drivePins();
        coilsChanged(); // a coil already energised when the relay is built starts its pulse now
    }

    public String name() {
        return name;
    }

    /** Whether the main contact conducts: what a load model reads. */
    public boolean isClosed() {
        return closed;
    }

    /** How many times the main contact changed position. */
    public long operations() {
        return operations;
    }

    /** Welds the contact in the closed position (closing it at once if it was open). */
    public void weld() {
        welded = true;
        move(true);
    }

    public boolean isWelded() {
        return welded;
    }

    /** Breaks a coil's winding: that coil no longer moves the armature. */
    public void openCoil(boolean setCoil) {
        if (setCoil) {
            setCoilOpen = true;
        } else {
            resetCoilOpen = true;
        }
        coilsChanged();
    }

    /** Clears all injected faults (a repaired relay); the contact stays where it is. */
    public void repair() {
        welded = false;
        setCoilOpen = false;
        resetCoilOpen = false;
        coilsChanged();
    }

    private void coilsChanged() {
        boolean setOn = isEnergised(true), resetOn = isEnergised(false);
        if (setOn == setEnergised && resetOn == resetEnergised) {
            return; // e.g. the pin of an open coil toggled: the magnetic drive is unchanged
        }
        setEnergised = setOn;
        resetEnergised = resetOn;
        if (transfer.isScheduled() && events.now() - pulseStart >= minPulseNanos) {
            return; // the minimum pulse was seen: the armature is committed and moving
        }
        events.cancel(transfer);
        startPulse();
    }

    /** Starts timing a pulse now if exactly one working coil is energised. */
    private void startPulse() {
        boolean setOn = isEnergised(true);
        boolean resetOn = isEnergised(false);
        if (setOn == resetOn) {
            return; // neither coil, or both fighting: nothing moves
        }
        target = setOn;
        pulseStart = events.now();
        events.scheduleIn(transfer, Math.max(minPulseNanos, operateNanos));
    }

    /**
     * Fires at {@code max(minPulse, operate)} after a lone coil was energised. When the operate time is longer
     * than the minimum pulse, the coil may already be released: the armature is already committed.
     */
    private void transfer(long when) {
        move(target);
        if (isEnergised(!target)) {
            startPulse(); // the other coil was energised while the armature moved: its pulse counts from now
        }
    }

    private boolean isEnergised(boolean setCoil) {
        return setCoil ? set.level() && !setCoilOpen : reset.level() && !resetCoilOpen;
    }

    private void move(boolean toClosed) {
        if (welded && !toClosed) {
            return;
        }
        if (closed != toClosed) {
            closed = toClosed;
            operations++;
            drivePins();
        }
    }

    private void drivePins() {
        contact.drive(closed);
        feedback.drive(closed);
    }

    /**
     * {@code latching-relay}: pins {@code set}, {@code reset} (coils, active high), {@code contact} (the main
     * contact, high when closed) and {@code feedback} (auxiliary contact for a GPIO, high when closed);
     * properties {@code min-pulse-ms} (30), {@code operate-ms} (10), {@code closed} (initial position, true).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "latching-relay";
        }

        public String description() {
            return "bistable latching disconnect relay: set/reset coils, contact and feedback pins";
        }

        public Object create(DeviceContext c) throws MachineException {
            double minPulse = c.decimal("min-pulse-ms", 30);
            double operate = c.decimal("operate-ms", 10);
            if (!(minPulse > 0) || minPulse > 10_000) {
                throw c.error("properties.min-pulse-ms", "must be within (0, 10000] ms, got " + minPulse);
            }
            if (!(operate >= 0) || operate > 10_000) {
                throw c.error("properties.operate-ms", "must be within [0, 10000] ms, got " + operate);
            }
            return new LatchingRelay(c.name(), c.events(), c.pin("set"), c.pin("reset"), c.pin("contact"),
                    c.pin("feedback"), Math.round(minPulse * 1e6), Math.round(operate * 1e6), c.flag("closed", true));
        }
    }
}
