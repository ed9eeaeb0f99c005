package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * LED pulse outputs: one pulse per 2^(LPW+22) energy counts of the selected power (the divider law is this
 * model's assumption, see the doc), LED_OFF silences them, LPS and LCS select what they count.
 */
class DspLedTest {
    static final long SECOND = 1_000_000_000L;

    private static long pulses(DspClosedFormTest.Rig r, int led) {
        return r.leds.stream().filter(s -> s.endsWith(":" + led + ":true")).count();
    }

    @Test
    void led1PulsesWithActiveEnergy() {
        // Reset DSP_CR1 = 0x040000A0: LPW1 = 4, LPS1 = 0 (active), LCS1 = 0 (channel 1): a pulse each 2^26
        // counts (0.69 Wh at x16 on this board, ~1460 imp/kWh). 230 V, 5 A, pf 1: 1150 W / E_LSB(x16) counts per second.
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.clock.runTo(100 * SECOND);
        double perPulse = Math.pow(2, 26) * DspAccuracyTest.energyLsbWh(16); // Wh
        double expected = 1150.0 * 100 / 3600 / perPulse;
        assertEquals(Math.floor(expected), pulses(r, 1), 1);
        // LED2 (LPS2 = 2, reactive) stays dark at pf 1.
        assertEquals(0, pulses(r, 2));
        // Every pulse ends WIDTH_SAMPLES samples later.
        String first = r.leds.get(0), second = r.leds.get(1);
        long on = Long.parseLong(first.split(":")[0]), off = Long.parseLong(second.split(":")[0]);
        assertTrue(first.endsWith(":1:true") && second.endsWith(":1:false"));
        assertEquals(32 * 128_000L, off - on);
    }

    @Test
    void fasterDividerAndLedOff() {
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, Math.PI / 3));
        // LED2: reactive of channel 1 with LPW2 = 2: a pulse each 2^24 counts of 995.9 var.
        r.write(Stpm34Map.DSP_CR2, 0x220000A0);
        r.clock.runTo(10 * SECOND);
        double expected = 1150 * Math.sin(Math.PI / 3) * 10 / 3600
                / (Math.pow(2, 24) * DspAccuracyTest.energyLsbWh(16));
        assertEquals(Math.floor(expected), pulses(r, 2), 1);
        // LED_OFF1 and LED_OFF2 (DSP_CR3 b24, b25): no more pulses.
        r.write(Stpm34Map.DSP_CR3, Stpm34Map.resetValue(Stpm34Map.DSP_CR3) | 3 << 24);
        int seen = r.leds.size();
        r.clock.runTo(20 * SECOND);
        assertTrue(r.leds.size() <= seen + 2, "at most the pulses in flight end");
    }

    @Test
    void ledFollowsAMainsChange() {
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.clock.runTo(100 * SECOND);
        long before = pulses(r, 1);
        r.mains.set(MainsState.sinusoidal(50, 230, 10, 0), r.clock.now());
        r.clock.runTo(200 * SECOND);
        double perPulse = Math.pow(2, 26) * DspAccuracyTest.energyLsbWh(16);
        double expected = (1150.0 * 100 + 2300.0 * 100) / 3600 / perPulse;
        assertEquals(expected, pulses(r, 1), 1.5);
        assertTrue(pulses(r, 1) - before > 2 * before - 2);
    }

    @Test
    void cumulativeChannelSelection() {
        // LCS1 = 2: both channels. Channel 2 is x2, so its energy counts per Wh are 8 times fewer.
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.write(Stpm34Map.DSP_CR1, 0x840000A0);
        r.clock.runTo(200 * SECOND);
        double counts = 1150.0 * 200 / 3600 * (1 / DspAccuracyTest.energyLsbWh(16) + 1 / DspAccuracyTest.energyLsbWh(2));
        assertEquals(Math.floor(counts / Math.pow(2, 26)), pulses(r, 1), 1);
    }
}
