package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The model alone against the truth: reset configuration, EVALSTPM34 scaling (R1 = 810 kΩ, R2 = 470 Ω,
 * ks = 2.6 mΩ), readings converted with the LSB formulas of DS10272 (as quoted by ST's metrology firmware
 * and the open drivers; docs/meter-devices.md ("STPM34 analog front end")), written out here rather than taken from the model.
 */
class DspAccuracyTest {
    // Reset configuration: VREF = 1.18 V (DSP_CR1 TC = 2), Av = 2, CHV = CHC = 0x800 -> cal = 0.875,
    // channel 1 current gain x16 (DFE_CR1 = 0x0F270327), channel 2 x2 (DFE_CR2 = 0x03270327).
    static final double VREF = 1.18, AV = 2, CAL = 0.875, R1 = 810e3, R2 = 470, KS = 0.0026;

    static double vRmsLsb() {
        return VREF * (1 + R1 / R2) / (CAL * AV * Math.pow(2, 15));
    }

    static double iRmsLsb(double ai) {
        return VREF / (CAL * ai * Math.pow(2, 17) * KS);
    }

    static double powerLsb(double ai) {
        return VREF * VREF * (1 + R1 / R2) / (AV * ai * KS * CAL * CAL * Math.pow(2, 28));
    }

    static double energyLsbWh(double ai) {
        return VREF * VREF * (1 + R1 / R2) / (3600 * Math.pow(2, 17) * 7812.5 * AV * ai * KS * CAL * CAL);
    }

    static long signed29(int raw) {
        return (raw << 3) >> 3;
    }

    private static void assertWithin(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.abs(expected) * relative, what);
    }

    private static void readings(double v, double i, double phi) {
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, v, i, phi));
        r.clock.runTo(1_000_000_000L);
        int[] d = r.latch();
        double p = v * i * Math.cos(phi), q = v * i * Math.sin(phi), s = v * i;
        int rms = d[Stpm34Map.DSP_REG14];
        assertWithin(v, (rms & 0x7FFF) * vRmsLsb(), 1e-4, "V1 RMS");
        assertWithin(i, (rms >>> 15) * iRmsLsb(16), 1e-4, "C1 RMS");
        int ph = Stpm34Map.PH1_REG1;
        assertWithin(p, signed29(d[ph + Stpm34Map.ACTIVE_POWER]) * powerLsb(16), 1e-4, "active power");
        assertWithin(p, signed29(d[ph + Stpm34Map.FUNDAMENTAL_POWER]) * powerLsb(16), 1e-4, "fundamental power");
        if (q != 0) {
            assertWithin(q, signed29(d[ph + Stpm34Map.REACTIVE_POWER]) * powerLsb(16), 1e-4, "reactive power");
        }
        assertWithin(s, signed29(d[ph + Stpm34Map.APPARENT_RMS_POWER]) * powerLsb(16), 1e-4, "apparent RMS");
        assertWithin(s, signed29(d[ph + Stpm34Map.APPARENT_VECTORIAL_POWER]) * powerLsb(16), 1e-4, "apparent vect");
        // Channel 2 (neutral, x2): RMS LSB is 1.98 mA, so allow half an LSB on top of 0.01 %.
        int rms2 = d[Stpm34Map.DSP_REG15];
        assertEquals(i, (rms2 >>> 15) * iRmsLsb(2), i * 1e-4 + iRmsLsb(2) / 2, "C2 RMS");
        assertWithin(p, signed29(d[Stpm34Map.PH2_REG1 + Stpm34Map.ACTIVE_POWER]) * powerLsb(2), 1e-4, "P2");
    }

    @Test
    void readings230V5APf1() {
        readings(230, 5, 0);
    }

    @Test
    void readings230V5APfHalfLagging() {
        readings(230, 5, Math.acos(0.5));
    }

    @Test
    void readings230V10A() {
        readings(230, 10, 0);
        readings(230, 10, -Math.acos(0.8));
    }

    @Test
    void energyOverOneHourIsTheIntegralOfVTimesI() {
        // 230 V, 5 A, pf 0.5 lagging: ∫v·i dt over a whole number of cycles = V·I·cos φ·t exactly.
        double v = 230, i = 5, phi = Math.acos(0.5);
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, v, i, phi));
        // The 32-bit registers wrap every few minutes: read each minute and unwrap, as ST's firmware does.
        long[] total = new long[4];
        int[] last = new int[4];
        for (int m = 1; m <= 60; m++) {
            r.clock.runTo(m * 60_000_000_000L);
            int[] d = r.latch();
            for (int t = 0; t < 4; t++) {
                int now = d[Stpm34Map.PH1_REG1 + t];
                total[t] += now - last[t];
                last[t] = now;
            }
        }
        double wh = v * i * Math.cos(phi), varh = v * i * Math.sin(phi), vah = v * i; // over 1 h
        assertWithin(wh, total[0] * energyLsbWh(16), 1e-4, "active energy");
        assertWithin(wh, total[1] * energyLsbWh(16), 1e-4, "fundamental energy");
        assertWithin(varh, total[2] * energyLsbWh(16), 1e-4, "reactive energy");
        assertWithin(vah, total[3] * energyLsbWh(16), 1e-4, "apparent energy");
    }

    @Test
    void periodAndPhase() {
        // DSP_REG1 period in 8 µs units: 20 ms -> 2500, 1/60 s -> 2083. C1_PHA: 60° lag at 50 Hz = 3.333 ms
        // -> 417 (ST firmware: deg = raw·360·f / 125 kHz).
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, Math.PI / 3));
        r.clock.runTo(100_000_000L);
        int[] d = r.latch();
        assertEquals(2500, d[Stpm34Map.DSP_REG1] & 0xFFF);
        assertEquals(2500, (d[Stpm34Map.DSP_REG1] >>> 16) & 0xFFF);
        assertEquals(417, (d[Stpm34Map.DSP_REG17] >>> 16) & 0xFFF);
        r.mains.set(MainsState.sinusoidal(60, 230, 5, 0), r.clock.now());
        r.clock.runFor(100_000_000L);
        d = r.latch();
        assertEquals(2083, d[Stpm34Map.DSP_REG1] & 0xFFF);
        assertEquals(0, (d[Stpm34Map.DSP_REG17] >>> 16) & 0xFFF);
    }

    @Test
    void instantaneousValuesAtTheLatchedSample() {
        // Sample k = 390 is at 49.92 ms, where θ = 2π·50·0.04992 = 2π·2.496: v = 230·√2·sin(2π·0.496).
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.clock.runTo(49_950_000L);
        int[] d = r.latch();
        double v = 230 * Math.sqrt(2) * Math.sin(2 * Math.PI * 0.496);
        double lsb = VREF * (1 + R1 / R2) / (CAL * AV * Math.pow(2, 23));
        int raw = (d[Stpm34Map.DSP_REG2] << 8) >> 8;
        assertEquals(v, raw * lsb, lsb);
        double iLsb = VREF / (CAL * 16 * Math.pow(2, 23) * KS);
        int rawI = (d[Stpm34Map.DSP_REG3] << 8) >> 8;
        assertEquals(5 * Math.sqrt(2) * Math.sin(2 * Math.PI * 0.496), rawI * iLsb, iLsb);
    }

    @Test
    void instantaneousValuesWithHarmonics() {
        // v = 230·√2·sin θ + 9·√2·sin(3θ + 0.4), i = 5·√2·sin(θ − 0.5) + 1·√2·sin(5θ + 1); fundamentals alone
        // in DSP_REG6/7. Sample 390 (49.92 ms): θ = 2π·2.496.
        AcQuantity v = new AcQuantity(0, List.of(new Harmonic(1, 230, 0), new Harmonic(3, 9, 0.4)));
        AcQuantity i = new AcQuantity(0, List.of(new Harmonic(1, 5, -0.5), new Harmonic(5, 1, 1)));
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(new MainsState(50, v, i, i));
        r.clock.runTo(49_950_000L);
        int[] d = r.latch();
        double th = 2 * Math.PI * 2.496, s2 = Math.sqrt(2);
        double lsb = VREF * (1 + R1 / R2) / (CAL * AV * Math.pow(2, 23));
        double iLsb = VREF / (CAL * 16 * Math.pow(2, 23) * KS);
        assertEquals(230 * s2 * Math.sin(th) + 9 * s2 * Math.sin(3 * th + 0.4),
                ((d[Stpm34Map.DSP_REG2] << 8) >> 8) * lsb, lsb);
        assertEquals(230 * s2 * Math.sin(th), ((d[Stpm34Map.DSP_REG6] << 8) >> 8) * lsb, lsb);
        assertEquals(5 * s2 * Math.sin(th - 0.5) + s2 * Math.sin(5 * th + 1),
                ((d[Stpm34Map.DSP_REG3] << 8) >> 8) * iLsb, iLsb);
        assertEquals(5 * s2 * Math.sin(th - 0.5), ((d[Stpm34Map.DSP_REG7] << 8) >> 8) * iLsb, iLsb);
    }

    @Test
    void energyAcrossALoadChange() {
        // 20 s at 1150 W, then the load doubles for 20 s: (1150·20 + 2300·20) / 3600 Wh, exact to the sample
        // (the change falls between samples; each side holds whole mains cycles give or take one sample).
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.clock.runTo(20_000_000_000L);
        r.mains.set(MainsState.sinusoidal(50, 230, 10, 0), r.clock.now());
        r.clock.runTo(40_000_000_000L);
        int[] d = r.latch();
        double wh = (1150.0 * 20 + 2300.0 * 20) / 3600;
        assertWithin(wh, Integer.toUnsignedLong(d[Stpm34Map.PH1_REG1]) * energyLsbWh(16), 1e-5, "active energy");
        assertWithin(wh, Integer.toUnsignedLong(d[Stpm34Map.PH1_REG1 + Stpm34Map.APPARENT_ENERGY])
                * energyLsbWh(16), 1e-5, "apparent energy");
    }
}
