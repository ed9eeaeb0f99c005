package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.MainsState;
import org.metertwin.peripherals.meter.stpm34.SensorNetwork.Conductor;

class SensorNetworkTest {
    @Test
    void referenceBoardMatchesStsFirmwareConstants() {
        // ST's metrology firmware for the STPM34 board: V factor 116274.11 = VREF·(1+R1/R2)/(cal·Av)·100 and
        // I factor 25934.06 = VREF/(cal·Ai·ks)·100 with VREF 1.18, cal 0.875, Av = Ai = 2.
        SensorNetwork n = SensorNetwork.referenceBoard();
        assertEquals(116274.11, 1.18 / n.voltageRatio() / (0.875 * 2) * 100, 0.01);
        assertEquals(25934.06, 1.18 / (0.875 * 2 * n.ks(1)) * 100, 0.01);
        assertEquals(Conductor.PHASE, n.conductor(1));
        assertEquals(Conductor.NEUTRAL, n.conductor(2));
    }

    @Test
    void channelsSenseTheirConductor() {
        AcQuantity p = AcQuantity.sine(5, 0), q = AcQuantity.sine(4, 0);
        MainsState s = MainsState.sinusoidal(50, 230, 0, 0).withCurrents(p, q);
        SensorNetwork n = SensorNetwork.referenceBoard();
        assertSame(p, n.current(s, 1));
        assertSame(q, n.current(s, 2));
        SensorNetwork swapped = new SensorNetwork(1e6, 1e3, Conductor.NEUTRAL, 0.001, Conductor.PHASE, 0.5);
        assertSame(q, swapped.current(s, 1));
        assertEquals(1e3 / 1.001e6, swapped.voltageRatio(), 1e-15);
        assertEquals(0.5, swapped.ks(2));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new SensorNetwork(810e3, 0, Conductor.PHASE, 0.001, Conductor.PHASE, 0.001));
        assertThrows(IllegalArgumentException.class,
                () -> new SensorNetwork(810e3, 470, Conductor.PHASE, -1, Conductor.PHASE, 0.001));
    }
}
