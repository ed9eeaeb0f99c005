package org.metertwin.peripherals.meter.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;

/** Pulse timestamps and widths, the bounded ring, and counting on a test bench. */
class PulseOutputTest {
    static final long MS = 1_000_000;
    final MeterClock clock = new MeterClock();
    final Pin led = new Pin("led");

    /** A pulse of {@code width} starting at {@code start} on an active-high output. */
    void pulseAt(long start, long width) {
        clock.runTo(start);
        led.drive(true);
        clock.runTo(start + width);
        led.drive(false);
    }

    @Test
    void recordsStartAndWidth() {
        PulseOutput out = new PulseOutput("out", clock.events, led, true, 4);
        pulseAt(1000 * MS + 7, 80 * MS);
        pulseAt(2000 * MS, 80 * MS + 1);
        assertEquals(2, out.count());
        assertEquals(2000 * MS, out.start(0));
        assertEquals(80 * MS + 1, out.width(0));
        assertEquals(1000 * MS + 7, out.start(1));
        assertEquals(80 * MS, out.width(1));
    }

    @Test
    void activeLowOutput() {
        led.drive(true); // idle high (open-collector with pull-up)
        PulseOutput out = new PulseOutput("out", clock.events, led, false, 4);
        clock.runTo(5 * MS);
        led.drive(false);
        clock.runTo(35 * MS);
        led.drive(true);
        assertEquals(1, out.count());
        assertEquals(5 * MS, out.start(0));
        assertEquals(30 * MS, out.width(0));
    }

    @Test
    void ringKeepsOnlyTheLastPulsesButCountsAll() {
        PulseOutput out = new PulseOutput("out", clock.events, led, true, 3);
        for (int i = 0; i < 10; i++) {
            pulseAt(i * 100 * MS, 10 * MS);
        }
        assertEquals(10, out.count());
        assertEquals(3, out.retained());
        assertEquals(900 * MS, out.start(0));
        assertEquals(700 * MS, out.start(2));
        assertThrows(IndexOutOfBoundsException.class, () -> out.start(3));
    }

    @Test
    void pulseInProgressIsNotCounted() {
        PulseOutput out = new PulseOutput("out", clock.events, led, true, 3);
        clock.runTo(10 * MS);
        led.drive(true);
        clock.runTo(20 * MS);
        assertEquals(0, out.count());
    }

    @Test
    void referenceMeterCountsPulsesInTheGate() {
        PulseOutput out = new PulseOutput("out", clock.events, led, true, 8);
        ReferenceMeter bench = new ReferenceMeter(out, 1000); // 1000 imp/kWh: 1 Wh per pulse
        long second = 1000 * MS;
        bench.gate(10 * second, 70 * second);
        // one pulse per second from t = 5 s to t = 80 s: 3.6 kW would give 1 pulse/s at 1000 imp/kWh
        for (int s = 5; s <= 80; s++) {
            pulseAt(s * second, 40 * MS);
        }
        // leading edges at 10 s .. 69 s fall in [10 s, 70 s): 60 pulses
        assertEquals(60, bench.pulses());
        assertEquals(0.060, bench.energyKwh(), 1e-12);
        assertEquals(3600.0, bench.averagePowerW(), 1e-9);
        assertEquals(0.0, bench.errorPercent(0.060), 1e-9);
        assertEquals(-1.0, bench.errorPercent(0.060 / 0.99), 1e-9);
    }

    @Test
    void gateCanEndInsideAPulseAndCountsByLeadingEdge() {
        PulseOutput out = new PulseOutput("out", clock.events, led, true, 8);
        ReferenceMeter bench = new ReferenceMeter(out, 10_000);
        bench.gate(0, 100 * MS);
        pulseAt(10 * MS, 5 * MS);
        pulseAt(98 * MS, 1 * MS); // starts inside: counted
        pulseAt(99 * MS + 500_000, MS); // starts inside, ends outside: counted
        pulseAt(101 * MS, 5 * MS); // starts after the gate closed: not counted
        assertEquals(3, bench.pulses());
        assertEquals(3e-4, bench.energyKwh(), 1e-15);
    }
}
