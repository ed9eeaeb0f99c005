package org.metertwin.peripherals.meter.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;
import org.metertwin.peripherals.stm32.Stm32Pwr;

/**
 * Supply hold-up and decay timing to the nanosecond with the default settings (3.3 V, 100 ms hold-up, 20 ms
 * linear decay in 1 ms steps, 50 ms start-up, 10 ms detection): after a loss at t, VDD = 3.3 V x (20 - k) / 20
 * from t + 100 ms + k ms.
 */
class PowerSupplyTest {
    static final long MS = 1_000_000, S = 1000 * MS;
    final MeterClock clock = new MeterClock();
    final Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 5, 0));
    final AnalogLine vdd = new AnalogLine("vdd", 3.3);
    final Pin mainsOk = new Pin("mains-ok");
    final List<long[]> vddChanges = new ArrayList<>();
    final PowerSupply supply = new PowerSupply("psu", clock.events, mains, vdd, mainsOk,
            PowerSupply.Settings.DEFAULT);

    PowerSupplyTest() {
        vdd.listen(v -> vddChanges.add(new long[] {clock.events.now(), Math.round(v * 1000)}));
    }

    void lose(long at) {
        clock.runTo(at);
        mains.set(MainsState.OFF, at);
    }

    void restore(long at, double volts) {
        clock.runTo(at);
        mains.set(MainsState.sinusoidal(50, volts, 5, 0), at);
    }

    @Test
    void startsPowered() {
        assertEquals(3.3, vdd.value());
        assertTrue(mainsOk.level());
        assertTrue(supply.mainsPresent());
    }

    @Test
    void holdUpThenLinearDecayToTheNanosecond() {
        lose(1 * S);
        clock.runTo(1 * S + 10 * MS - 1);
        assertTrue(mainsOk.level());
        clock.runTo(1 * S + 10 * MS);
        assertFalse(mainsOk.level(), "early warning 10 ms after the loss");
        clock.runTo(1 * S + 101 * MS - 1);
        assertEquals(3.3, vdd.value(), "held for 100 ms and one step");
        clock.runTo(1 * S + 101 * MS);
        assertEquals(3.135, vdd.value(), 1e-12); // 3.3 x 19/20
        clock.runTo(1 * S + 110 * MS);
        assertEquals(1.65, vdd.value(), 1e-12); // 3.3 x 10/20
        clock.runTo(1 * S + 120 * MS - 1);
        assertEquals(0.165, vdd.value(), 1e-12); // 3.3 x 1/20
        clock.runTo(1 * S + 120 * MS);
        assertEquals(0.0, vdd.value());
        assertEquals(20, vddChanges.size(), "one change per 1 ms step");
        clock.runTo(5 * S);
        assertEquals(20, vddChanges.size(), "nothing after reaching 0 V");
        assertTrue(clock.events.isEmpty());
    }

    @Test
    void pvdTripsBeforeTheMcuBrownsOut() {
        Pin pvd = new Pin("exti16");
        Stm32Pwr pwr = new Stm32Pwr("PWR", vdd, pvd);
        pwr.write(0x00, 4, 1 << 4 | 3 << 5); // CR: PVDE, PLS = 011: 2.45 V falling (DS8626 typical)
        long[] pvdAt = {-1};
        pvd.listen((p, level) -> {
            if (level) {
                pvdAt[0] = clock.events.now();
            }
        });
        lose(1 * S);
        clock.runTo(2 * S);
        // 3.3 x (20 - k)/20 < 2.45 first at k = 6 (2.31 V): t + 106 ms
        assertEquals(1 * S + 106 * MS, pvdAt[0]);
        // the power-down reset, V_POR/PDR falling edge 1.70 V typical (ST AN4488 figure 9): first below at k = 10
        long brownOut = -1;
        for (long[] c : vddChanges) {
            if (brownOut < 0 && c[1] < 1700) {
                brownOut = c[0];
            }
        }
        assertEquals(1 * S + 110 * MS, brownOut);
        assertTrue(pvdAt[0] < brownOut);
    }

    @Test
    void restorationAfterStartUp() {
        lose(1 * S);
        restore(2 * S, 230);
        clock.runTo(2 * S + 10 * MS - 1);
        assertFalse(mainsOk.level());
        clock.runTo(2 * S + 10 * MS);
        assertTrue(mainsOk.level());
        clock.runTo(2 * S + 50 * MS - 1);
        assertEquals(0.0, vdd.value());
        clock.runTo(2 * S + 50 * MS);
        assertEquals(3.3, vdd.value());
    }

    @Test
    void returnDuringHoldUpKeepsVdd() {
        lose(1 * S);
        restore(1 * S + 50 * MS, 230);
        clock.runTo(3 * S);
        assertTrue(vddChanges.isEmpty(), "VDD never moved");
        assertTrue(mainsOk.level());
    }

    @Test
    void dipShorterThanTheDetectionDelayIsNotWarned() {
        List<Long> edges = new ArrayList<>();
        mainsOk.listen((p, level) -> edges.add(clock.events.now()));
        lose(1 * S);
        restore(1 * S + 5 * MS, 230);
        clock.runTo(2 * S);
        assertTrue(edges.isEmpty());
    }

    @Test
    void returnDuringDecayKeepsDecayingUntilStartUp() {
        lose(1 * S);
        restore(1 * S + 105 * MS, 230);
        assertEquals(2.475, vdd.value(), 1e-12); // 3.3 x 15/20
        clock.runTo(1 * S + 120 * MS);
        assertEquals(0.0, vdd.value());
        clock.runTo(1 * S + 155 * MS - 1);
        assertEquals(0.0, vdd.value());
        clock.runTo(1 * S + 155 * MS);
        assertEquals(3.3, vdd.value());
    }

    @Test
    void lossDuringStartUpLeavesVddDown() {
        lose(1 * S);
        restore(2 * S, 230);
        lose(2 * S + 20 * MS);
        clock.runTo(4 * S);
        assertEquals(0.0, vdd.value());
        assertFalse(mainsOk.level());
    }

    @Test
    void dropOutAndPickUpHaveHysteresis() {
        restore(1 * S, 184); // 0.8 Un: still present
        clock.runTo(2 * S);
        assertTrue(supply.mainsPresent());
        restore(2 * S, 160); // between drop-out (150) and pick-up (170): still present
        clock.runTo(3 * S);
        assertTrue(supply.mainsPresent());
        restore(3 * S, 149.9); // below drop-out: lost
        clock.runTo(4 * S);
        assertFalse(supply.mainsPresent());
        restore(4 * S, 160); // not yet up to pick-up
        clock.runTo(5 * S);
        assertFalse(supply.mainsPresent());
        restore(5 * S, 170);
        clock.runTo(6 * S);
        assertTrue(supply.mainsPresent());
        assertEquals(3.3, vdd.value());
    }

    @Test
    void startsUnpoweredWithoutMains() {
        Mains off = new Mains("off", MainsState.OFF);
        AnalogLine v = new AnalogLine("v", 3.3);
        Pin ok = new Pin("ok");
        ok.drive(true);
        new PowerSupply("psu2", clock.events, off, v, ok, PowerSupply.Settings.DEFAULT);
        assertEquals(0.0, v.value());
        assertFalse(ok.level());
    }
}
