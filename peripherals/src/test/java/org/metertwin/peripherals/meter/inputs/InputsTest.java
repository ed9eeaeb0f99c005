package org.metertwin.peripherals.meter.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;

/** Buttons (press, release, click timing, bounce) and tamper switches (levels and the timestamped log). */
class InputsTest {
    static final long MS = 1_000_000;
    final MeterClock clock = new MeterClock();
    final Pin pin = new Pin("gpio");
    /** Every edge on the pin as {time, level}. */
    final List<long[]> edges = new ArrayList<>();

    InputsTest() {
        pin.listen((p, level) -> edges.add(new long[] {clock.events.now(), level ? 1 : 0}));
    }

    @Test
    void buttonIdlesHighAndReadsLowWhilePressed() {
        Button b = new Button("scroll", clock.events, pin, false, 0, 1);
        assertTrue(pin.level(), "pulled up while released");
        b.press();
        assertFalse(pin.level());
        assertTrue(b.isPressed());
        b.release();
        assertTrue(pin.level());
        assertEquals(1, b.presses());
    }

    @Test
    void clickReleasesExactlyAfterItsWidth() {
        Button b = new Button("scroll", clock.events, pin, false, 0, 1);
        edges.clear();
        clock.runTo(1000 * MS);
        b.click(150 * MS);
        clock.runTo(1150 * MS - 1);
        assertTrue(b.isPressed());
        clock.runTo(2000 * MS);
        assertFalse(b.isPressed());
        assertEquals(2, edges.size());
        assertEquals(1000 * MS, edges.get(0)[0]);
        assertEquals(0, edges.get(0)[1]);
        assertEquals(1150 * MS, edges.get(1)[0]);
        assertEquals(1, edges.get(1)[1]);
    }

    @Test
    void bounceSettlesWithinTheBounceTimeOnTheNewLevel() {
        Button b = new Button("scroll", clock.events, pin, false, 5 * MS, 42);
        edges.clear();
        clock.runTo(100 * MS);
        b.press();
        clock.runTo(200 * MS);
        int n = edges.size();
        assertTrue(n == 3 || n == 5 || n == 7, "first contact then 2, 4 or 6 bounces: " + n);
        assertEquals(100 * MS, edges.get(0)[0]);
        assertTrue(edges.get(n - 1)[0] <= 105 * MS, "settled within 5 ms");
        assertFalse(pin.level(), "settles pressed (low)");
        assertEquals(1, b.presses(), "bounce is not extra presses");
    }

    @Test
    void bounceIsRepeatableForASeed() {
        List<Long> first = bounceTimes(7), second = bounceTimes(7);
        assertEquals(first, second);
    }

    private static List<Long> bounceTimes(long seed) {
        MeterClock c = new MeterClock();
        Pin p = new Pin("p");
        List<Long> times = new ArrayList<>();
        p.listen((x, level) -> times.add(c.events.now()));
        Button b = new Button("b", c.events, p, false, 3 * MS, seed);
        b.click(50 * MS);
        c.runTo(100 * MS);
        return times;
    }

    @Test
    void coverSwitchGoesHighWhenTheCoverIsOpenedAndLogsIt() {
        TamperSwitch cover = new TamperSwitch("cover", TamperSwitch.Kind.COVER, clock.events, pin, true, 0, 1);
        assertFalse(pin.level());
        clock.runTo(3000 * MS);
        cover.openCover();
        assertTrue(pin.level());
        cover.openCover(); // already open: no new event
        clock.runTo(4500 * MS);
        cover.closeCover();
        assertFalse(pin.level());
        assertEquals(List.of(new TamperSwitch.Change(3000 * MS, true), new TamperSwitch.Change(4500 * MS, false)),
                cover.log());
        assertThrows(IllegalStateException.class, cover::applyField);
    }

    @Test
    void magnetSensorGoesLowInAField() {
        pin.drive(false);
        TamperSwitch hall = new TamperSwitch("hall", TamperSwitch.Kind.MAGNET, clock.events, pin, false, 0, 1);
        assertTrue(pin.level(), "no field: open drain pulled high");
        clock.runTo(10 * MS);
        hall.applyField();
        assertFalse(pin.level());
        assertTrue(hall.isTampered());
        hall.removeField();
        assertTrue(pin.level());
        assertEquals(2, hall.log().size());
        assertEquals(10 * MS, hall.log().get(0).atNanos());
    }
}
