package org.metertwin.peripherals.meter.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;

/** Pulse widths around the minimum, operate time, the counter and the injected faults. */
class LatchingRelayTest {
    static final long MS = 1_000_000;
    final MeterClock clock = new MeterClock();
    final Pin set = new Pin("set"), reset = new Pin("reset"), contact = new Pin("contact"), feedback = new Pin("fb");

    LatchingRelay relay(long minPulse, long operate, boolean closed) {
        return new LatchingRelay("relay", clock.events, set, reset, contact, feedback, minPulse, operate, closed);
    }

    /** Drives {@code coil} high now and low {@code width} later, then lets 100 ms pass. */
    void pulse(Pin coil, long width) {
        coil.drive(true);
        clock.runFor(width);
        coil.drive(false);
        clock.runFor(100 * MS);
    }

    @Test
    void pulseJustBelowMinimumDoesNotSwitch() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        pulse(reset, 30 * MS - 1);
        assertTrue(r.isClosed());
        assertEquals(0, r.operations());
    }

    @Test
    void pulseOfMinimumWidthSwitchesAtTheMinimum() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        clock.runTo(1000 * MS);
        reset.drive(true);
        clock.runTo(1030 * MS - 1);
        assertTrue(r.isClosed(), "not before 30 ms");
        clock.runTo(1030 * MS);
        assertFalse(r.isClosed());
        assertFalse(contact.level());
        assertFalse(feedback.level());
        reset.drive(false);
        assertEquals(1, r.operations());
        pulse(set, 31 * MS);
        assertTrue(r.isClosed());
        assertTrue(contact.level());
        assertEquals(2, r.operations());
    }

    @Test
    void longOperateTimeMovesTheContactAfterTheCoilIsReleased() {
        LatchingRelay r = relay(30 * MS, 50 * MS, true);
        reset.drive(true);
        clock.runTo(40 * MS); // a 40 ms pulse: longer than the minimum
        reset.drive(false);
        clock.runTo(50 * MS - 1);
        assertTrue(r.isClosed());
        clock.runTo(50 * MS);
        assertFalse(r.isClosed());
    }

    @Test
    void pulseTowardsThePresentPositionCountsNothing() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        pulse(set, 50 * MS);
        assertTrue(r.isClosed());
        assertEquals(0, r.operations());
    }

    @Test
    void bothCoilsEnergisedNeitherOperates() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        reset.drive(true);
        clock.runTo(10 * MS);
        set.drive(true);
        clock.runTo(100 * MS);
        assertTrue(r.isClosed());
        // releasing set leaves reset alone: its pulse counts from 100 ms
        set.drive(false);
        clock.runTo(130 * MS - 1);
        assertTrue(r.isClosed());
        clock.runTo(130 * MS);
        assertFalse(r.isClosed());
    }

    @Test
    void counterCountsEveryOperation() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        for (int i = 0; i < 5; i++) {
            pulse(reset, 40 * MS);
            pulse(set, 40 * MS);
        }
        assertEquals(10, r.operations());
        assertTrue(r.isClosed());
    }

    @Test
    void weldedContactStaysClosedAndFeedbackShowsIt() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        r.weld();
        pulse(reset, 100 * MS);
        assertTrue(r.isClosed());
        assertTrue(contact.level());
        assertTrue(feedback.level(), "the auxiliary contact shows the welded main contact");
        assertEquals(0, r.operations());
    }

    @Test
    void openCoilDoesNothing() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        r.openCoil(false);
        pulse(reset, 100 * MS);
        assertTrue(r.isClosed());
        r.repair();
        pulse(reset, 100 * MS);
        assertFalse(r.isClosed());
        r.openCoil(true);
        pulse(set, 100 * MS);
        assertFalse(r.isClosed());
    }

    @Test
    void initialPositionDrivesThePins() {
        relay(30 * MS, 10 * MS, false);
        assertFalse(contact.level());
        assertFalse(feedback.level());
        Pin c2 = new Pin("c2"), f2 = new Pin("f2");
        new LatchingRelay("r2", clock.events, new Pin("s2"), new Pin("r2"), c2, f2, 30 * MS, 10 * MS, true);
        assertTrue(c2.level());
        assertTrue(f2.level());
    }

    @Test
    void togglingAnOpenCoilDoesNotRestartTheOtherCoilsPulse() {
        LatchingRelay r = relay(30 * MS, 10 * MS, true);
        r.openCoil(true);
        reset.drive(true);
        clock.runTo(20 * MS);
        set.drive(true); // open coil: no flux, no fight
        clock.runTo(25 * MS);
        set.drive(false);
        clock.runTo(30 * MS);
        assertFalse(r.isClosed(), "reset's pulse still counts from 0");
    }

    @Test
    void otherCoilEnergisedWhileCommittedCountsFromTheTransfer() {
        LatchingRelay r = relay(30 * MS, 50 * MS, true);
        reset.drive(true);
        clock.runTo(35 * MS); // committed at 30 ms, contact moves at 50 ms
        reset.drive(false);
        set.drive(true);
        clock.runTo(50 * MS);
        assertFalse(r.isClosed(), "the committed reset happened");
        clock.runTo(100 * MS - 1);
        assertFalse(r.isClosed());
        clock.runTo(100 * MS); // set's pulse counted from 50 ms, moves max(30, 50) ms later
        assertTrue(r.isClosed());
        assertEquals(2, r.operations());
    }
}
