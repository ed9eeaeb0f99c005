package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.metertwin.peripherals.meter.stpm34.DspAccuracyTest.signed29;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.MainsState;

/** Gain, calibration, clipping, phase compensation, filters and the 32-bit energy wrap. */
class DspFrontEndTest {
    static final long SECOND = 1_000_000_000L;

    private static int[] run(MainsState s, int reg, int value) {
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(s);
        if (reg >= 0) {
            r.write(reg, value);
        }
        r.clock.runTo(SECOND);
        return r.latch();
    }

    private static int c1Rms(int[] d) {
        return d[Stpm34Map.DSP_REG14] >>> 15;
    }

    private static int v1Rms(int[] d) {
        return d[Stpm34Map.DSP_REG14] & 0x7FFF;
    }

    private static long p1(int[] d) {
        return signed29(d[Stpm34Map.PH1_REG1 + Stpm34Map.ACTIVE_POWER]);
    }

    @Test
    void currentGainScalesCurrentAndPowerReadings() {
        // DFE_CR1 GAIN[27:26]: 11 = x16 (reset), 10 = x8, 01 = x4, 00 = x2. The RMS LSB is inversely
        // proportional to Ai (DS10272 LSB table), so the counts halve with each step down.
        MainsState s = MainsState.sinusoidal(50, 230, 5, 0);
        int[] x16 = run(s, -1, 0);
        int[] x8 = run(s, Stpm34Map.DFE_CR1, 0x0B270327);
        int[] x2 = run(s, Stpm34Map.DFE_CR1, 0x03270327);
        assertEquals(c1Rms(x16) / 2.0, c1Rms(x8), 1);
        assertEquals(c1Rms(x16) / 8.0, c1Rms(x2), 1);
        assertEquals(p1(x16) / 8.0, p1(x2), p1(x16) * 1e-6 + 1);
        assertEquals(v1Rms(x16), v1Rms(x2)); // the voltage channel's gain is fixed
    }

    @Test
    void calibrationRegistersScaleTheReadings() {
        // cal = 0.75 + 0.25·CH/4096: 0x800 -> 0.875, 0xFFF -> 0.99994, 0x000 -> 0.75.
        MainsState s = MainsState.sinusoidal(50, 230, 5, 0);
        int[] mid = run(s, -1, 0);
        int[] vHigh = run(s, Stpm34Map.DSP_CR5, 0x003FFFFF);
        int[] cLow = run(s, Stpm34Map.DSP_CR6, 0x003FF000);
        double high = (0.75 + 0.25 * 0xFFF / 4096.0) / 0.875, low = 0.75 / 0.875;
        assertEquals(v1Rms(mid) * high, v1Rms(vHigh), 1);
        assertEquals(c1Rms(mid), c1Rms(vHigh));
        assertEquals(p1(mid) * high, p1(vHigh), p1(mid) * 1e-6 + 1);
        assertEquals(c1Rms(mid) * low, c1Rms(cLow), 1);
        assertEquals(p1(mid) * low, p1(cLow), p1(mid) * 1e-6 + 1);
    }

    @Test
    void currentClipsAtTheInputRange() {
        // x16, 2.6 mΩ: |u·Ai| reaches VREF = 1.18 V at 1.18/16/0.0026 = 28.37 A peak. At 60 A RMS (84.85 A
        // peak) the input is a sine clipped at c/P = 28.37/84.85; its RMS over a cycle, relative to the clip
        // level, is sqrt((2/π)(α/2 − sin 2α/4)/(c/P)² + 1 − 2α/π) with α = asin(c/P). Full scale reads
        // cal·2^17 counts.
        double peak = 60 * Math.sqrt(2), clip = 1.18 / 16 / 0.0026, k = clip / peak, a = Math.asin(k);
        double rel = Math.sqrt((2 / Math.PI) * (a / 2 - Math.sin(2 * a) / 4) / (k * k) + 1 - 2 * a / Math.PI);
        int[] d = run(MainsState.sinusoidal(50, 230, 60, 0), -1, 0);
        assertEquals(0.875 * rel * Math.pow(2, 17), c1Rms(d), 0.875 * Math.pow(2, 17) * 1e-3);
        // At x2 the same current is within range: 60 A reads as 60 A.
        int[] x2 = run(MainsState.sinusoidal(50, 230, 60, 0), Stpm34Map.DFE_CR1, 0x03270327);
        assertEquals(60, c1Rms(x2) * DspAccuracyTest.iRmsLsb(2), 60 * 1e-4);
        // The instantaneous register never exceeds the clip level cal·2^23.
        int inst = Math.abs((d[Stpm34Map.DSP_REG3] << 8) >> 8);
        assertTrue(inst <= Math.round(0.875 * Math.pow(2, 23)), "inst " + inst);
    }

    @Test
    void voltageClipsAtTheInputRange() {
        // Av = 2: u reaches VREF/2 = 0.59 V, i.e. 0.59·(R1+R2)/R2 = 1017.4 V peak on the line.
        double clip = 1.18 / 2 * (810e3 + 470) / 470;
        int[] d = run(MainsState.sinusoidal(50, 2000, 1, 0), -1, 0);
        double peak = 2000 * Math.sqrt(2), k = clip / peak, a = Math.asin(k);
        double rel = Math.sqrt((2 / Math.PI) * (a / 2 - Math.sin(2 * a) / 4) / (k * k) + 1 - 2 * a / Math.PI);
        assertEquals(0.875 * rel * Math.pow(2, 15), v1Rms(d), 2);
    }

    @Test
    void phaseCompensationDelaysTheCurrent() {
        // DSP_CR4 PHC1[21:12] = 100: the current delayed by 100 µs (1 µs steps, unverified), 1.8° at 50 Hz:
        // at pf 1 the active power becomes V·I·cos(1.8°) and the reactive power V·I·sin(1.8°).
        int[] d = run(MainsState.sinusoidal(50, 230, 5, 0), Stpm34Map.DSP_CR4, 100 << 12);
        double lsb = DspAccuracyTest.powerLsb(16);
        double phi = 2 * Math.PI * 50 * 100e-6;
        assertEquals(1150 * Math.cos(phi), p1(d) * lsb, 0.1);
        assertEquals(1150 * Math.sin(phi),
                signed29(d[Stpm34Map.PH1_REG1 + Stpm34Map.REACTIVE_POWER]) * lsb, 0.1);
    }

    @Test
    void highPassFilterRemovesDcUnlessBypassed() {
        AcQuantity v = new AcQuantity(0, List.of(new Harmonic(1, 230, 0)));
        AcQuantity i = new AcQuantity(2, List.of(new Harmonic(1, 5, 0)));
        MainsState s = new MainsState(50, v, i, i);
        double lsb = DspAccuracyTest.iRmsLsb(16);
        int[] on = run(s, -1, 0);
        assertEquals(5, c1Rms(on) * lsb, 5e-4);
        int[] off = run(s, Stpm34Map.DSP_CR1, Stpm34Map.resetValue(Stpm34Map.DSP_CR1) | 1 << 20);
        assertEquals(Math.sqrt(4 + 25), c1Rms(off) * lsb, 5e-4);
    }

    @Test
    void exportedEnergyCountsDown() {
        // pf −1: the active energy register decrements; after 1 s it holds −E mod 2^32.
        int[] d = run(MainsState.sinusoidal(50, 230, 5, Math.PI), -1, 0);
        double counts = 1150.0 / 3600 / DspAccuracyTest.energyLsbWh(16);
        assertEquals(-counts, d[Stpm34Map.PH1_REG1], counts * 1e-4);
        assertTrue(d[Stpm34Map.PH1_REG1 + Stpm34Map.APPARENT_ENERGY] > 0);
    }

    @Test
    void energyRegisterWrapsAt32Bits() {
        // 230 V, 10 A: 2300 W / E_LSB = 6.25e7 counts per second, so the register wraps after ~68.7 s.
        DspClosedFormTest.Rig r = new DspClosedFormTest.Rig(MainsState.sinusoidal(50, 230, 10, 0));
        double perSecond = 2300.0 / 3600 / DspAccuracyTest.energyLsbWh(16);
        r.clock.runTo(60 * SECOND);
        long before = Integer.toUnsignedLong(r.latch()[Stpm34Map.PH1_REG1]);
        r.clock.runTo(80 * SECOND);
        long after = Integer.toUnsignedLong(r.latch()[Stpm34Map.PH1_REG1]);
        assertEquals(60 * perSecond, before, 60 * perSecond * 1e-4);
        assertTrue(after < before, "wrapped");
        assertEquals(80 * perSecond - Math.pow(2, 32), after, 80 * perSecond * 1e-4);
    }

    @Test
    void disabledAdcReadsZero() {
        // DFE_CR1 ENC (b16) = 0: the current ADC is off.
        int[] d = run(MainsState.sinusoidal(50, 230, 5, 0), Stpm34Map.DFE_CR1, 0x0F260327);
        assertEquals(0, c1Rms(d));
        assertEquals(0, d[Stpm34Map.PH1_REG1]);
        assertTrue(v1Rms(d) > 6000);
    }
}
