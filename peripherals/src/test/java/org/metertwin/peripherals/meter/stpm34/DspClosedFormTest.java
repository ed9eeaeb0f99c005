package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The closed form against the per-sample model it sums: two DSPs on the same mains, one summing sample by
 * sample, must hold the same energy registers (within 1 LSB) after long steady intervals and after changes.
 */
class DspClosedFormTest {
    static final long SECOND = 1_000_000_000L;

    /** An STPM34's DSP on a test clock, with its registers at their reset values. */
    static final class Rig {
        final MeterClock clock;
        final Mains mains;
        final int[] regs = new int[Stpm34Map.COUNT];
        final Stpm34Dsp dsp;
        final List<String> leds = new ArrayList<>();

        Rig(MeterClock clock, Mains mains, SensorNetwork net) {
            this.clock = clock;
            this.mains = mains;
            Stpm34Map.resetAll(regs);
            dsp = new Stpm34Dsp("stpm", clock.events, mains, net, regs, new Stpm34Dsp.Outputs() {
                public void status(int sr, int bits) {
                }

                public void led(int led, boolean active) {
                    leds.add(clock.now() + ":" + led + ":" + active);
                }

                public void zeroCrossing(boolean level) {
                }
            });
        }

        Rig(MainsState s) {
            this(new MeterClock(), new Mains("mains", s), SensorNetwork.referenceBoard());
        }

        void write(int reg, int value) {
            dsp.advance();
            regs[reg] = value;
            dsp.configChanged(reg);
        }

        int[] latch() {
            int[] data = regs.clone();
            dsp.latch(data, true, true);
            return data;
        }
    }

    private static void assertSameEnergies(int[] a, int[] b, String what) {
        for (int base : new int[] {Stpm34Map.PH1_REG1, Stpm34Map.PH2_REG1, Stpm34Map.TOT_REG1}) {
            for (int t = 0; t < 4; t++) {
                int d = a[base + t] - b[base + t]; // wraps like the registers
                assertTrue(Math.abs(d) <= 1, what + ": " + Stpm34Map.name(base + t) + " closed form "
                        + Integer.toUnsignedString(a[base + t]) + " vs per sample "
                        + Integer.toUnsignedString(b[base + t]));
            }
        }
    }

    /** Runs both models for {@code seconds} (latching every 0.7 s as firmware would) and compares. */
    private static void agree(MainsState s, long nanos, int dfe1, int chv1, int chc1, int cr4) {
        MeterClock clock = new MeterClock();
        Mains mains = new Mains("mains", s);
        Rig closed = new Rig(clock, mains, SensorNetwork.referenceBoard());
        Rig ref = new Rig(clock, mains, SensorNetwork.referenceBoard());
        ref.dsp.sampleBySample(true);
        for (Rig r : new Rig[] {closed, ref}) {
            r.write(Stpm34Map.DFE_CR1, dfe1);
            r.write(Stpm34Map.DSP_CR5, (r.regs[Stpm34Map.DSP_CR5] & ~0xFFF) | chv1);
            r.write(Stpm34Map.DSP_CR6, (r.regs[Stpm34Map.DSP_CR6] & ~0xFFF) | chc1);
            r.write(Stpm34Map.DSP_CR4, cr4);
        }
        long step = 700_000_000L;
        for (long t = step; t < nanos; t += step) {
            clock.runTo(t);
            closed.latch();
        }
        clock.runTo(nanos);
        int[] a = closed.latch(), b = ref.latch();
        assertSameEnergies(a, b, s.toString());
        assertTrue(a[Stpm34Map.PH1_REG1] != 0 || s.phaseCurrent().rms() == 0);
    }

    private static final int DFE_X16 = 0x0F270327, DFE_X4 = 0x07270327;

    @Test
    void pfOneTenSeconds() {
        agree(MainsState.sinusoidal(50, 230, 5, 0), 10 * SECOND, DFE_X16, 0x800, 0x800, 0);
    }

    @Test
    void lagAndLeadTenSeconds() {
        agree(MainsState.sinusoidal(50, 230, 5, Math.PI / 3), 10 * SECOND, DFE_X16, 0x800, 0x800, 0);
        agree(MainsState.sinusoidal(50, 230, 5, -Math.PI / 3), 10 * SECOND, DFE_X16, 0x800, 0x800, 0);
    }

    @Test
    void exportSixtyHertzOtherGainAndCalibration() {
        agree(MainsState.sinusoidal(60, 120, 20, Math.PI), 10 * SECOND, DFE_X4, 0x9A0, 0x5F3, 0x00C0_0000 | 77 << 12);
    }

    @Test
    void harmonicsTenSeconds() {
        AcQuantity v = new AcQuantity(0.5, List.of(new Harmonic(1, 230, 0), new Harmonic(3, 9, 0.4),
                new Harmonic(5, 5, -1.1)));
        AcQuantity i = new AcQuantity(0.02, List.of(new Harmonic(1, 6, -0.5), new Harmonic(3, 1.5, 2.0),
                new Harmonic(7, 0.4, 0.3)));
        AcQuantity n = AcQuantity.sine(5.5, -0.45);
        agree(new MainsState(49.9, v, i, n), 10 * SECOND, DFE_X16, 0x800, 0x800, 0);
    }

    @Test
    void harmonicsWithHighPassFiltersBypassed() {
        AcQuantity v = new AcQuantity(1.5, List.of(new Harmonic(1, 230, 0), new Harmonic(3, 9, 0.4)));
        AcQuantity i = new AcQuantity(0.05, List.of(new Harmonic(1, 6, -0.5), new Harmonic(2, 0.8, 1.0)));
        MeterClock clock = new MeterClock();
        Mains mains = new Mains("mains", new MainsState(50, v, i, i));
        Rig closed = new Rig(clock, mains, SensorNetwork.referenceBoard());
        Rig ref = new Rig(clock, mains, SensorNetwork.referenceBoard());
        ref.dsp.sampleBySample(true);
        for (Rig r : new Rig[] {closed, ref}) {
            r.write(Stpm34Map.DSP_CR1, r.regs[Stpm34Map.DSP_CR1] | 1 << 19 | 1 << 20); // BHPFV1, BHPFC1
        }
        clock.runTo(10 * SECOND);
        assertSameEnergies(closed.latch(), ref.latch(), "dc");
    }

    @Test
    void tenMinutes() {
        agree(MainsState.sinusoidal(50, 230, 5, Math.PI / 3), 600 * SECOND, DFE_X16, 0x800, 0x800, 0);
        agree(MainsState.sinusoidal(50.03, 241, 13, 0.2), 600 * SECOND, DFE_X16, 0x7FF, 0x812, 0);
    }

    @Test
    void changesMidInterval() {
        MeterClock clock = new MeterClock();
        Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 5, 0));
        Rig closed = new Rig(clock, mains, SensorNetwork.referenceBoard());
        Rig ref = new Rig(clock, mains, SensorNetwork.referenceBoard());
        ref.dsp.sampleBySample(true);
        clock.runTo(3 * SECOND + 12_345);
        mains.set(MainsState.sinusoidal(50.5, 225, 8, 0.7), clock.now());
        clock.runTo(7 * SECOND + 99_999);
        mains.set(MainsState.sinusoidal(49.5, 235, 2, -0.3).withCurrents(AcQuantity.sine(2, 0.3),
                AcQuantity.sine(1.2, 0.2)), clock.now());
        clock.runTo(12 * SECOND);
        assertSameEnergies(closed.latch(), ref.latch(), "changes");
    }

    @Test
    void clippedInputIsSummedSampleBySampleAndStillAgrees() {
        // 60 A on the x16 channel: far beyond the current input's range.
        MeterClock clock = new MeterClock();
        Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 60, 0.3));
        Rig closed = new Rig(clock, mains, SensorNetwork.referenceBoard());
        Rig ref = new Rig(clock, mains, SensorNetwork.referenceBoard());
        ref.dsp.sampleBySample(true);
        clock.runTo(2 * SECOND);
        assertSameEnergies(closed.latch(), ref.latch(), "clipped");
    }

    @Test
    void energyLsbMatchesTheDatasheetRelation() {
        // DS10272 LSB table: E_LSB = P_LSB·2^11 / (3600·7812.5) Wh, so after N samples of constant power P
        // counts the register holds N·P/2^11 (here P read back from the power register, N = 7812.5·t).
        Rig r = new Rig(MainsState.sinusoidal(50, 230, 5, 0));
        r.clock.runTo(4 * SECOND);
        int[] d = r.latch();
        long p = (d[Stpm34Map.PH1_REG1 + Stpm34Map.ACTIVE_POWER] << 3) >> 3;
        // Samples 0..31250 lie within 4 s; the 100 Hz ripple of v·i sums to at most one sample's peak power
        // (2·P), so the register is within 2·P/2^11 counts of the mean.
        double expected = 31251.0 * p / 2048;
        assertEquals(expected, Integer.toUnsignedLong(d[Stpm34Map.PH1_REG1]), 2.0 * p / 2048 + 1);
    }
}
