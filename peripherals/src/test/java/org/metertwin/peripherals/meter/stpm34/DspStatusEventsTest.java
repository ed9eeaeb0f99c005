package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * DSP_SR1/2 sign-change, energy-overflow, stuck and period-error bits, the sag/swell time counters and the
 * DSP_EV1/2 live event bits. Bit positions: DS10272's tables as quoted by ST's metrology.c and Carton32's
 * stpm3x_internals.h; expected values are worked out here from the per-sample model's definition
 * (docs/meter-devices.md), not read back from the DSP.
 */
class DspStatusEventsTest {
    static final long MS = 1_000_000L;
    static final long SAMPLE = 128_000L;

    /** Every status call, as (time, sr, bits). */
    private static final class Recorder implements Stpm34Dsp.Outputs {
        final MeterClock clock;
        final List<long[]> log = new ArrayList<>();

        Recorder(MeterClock clock) {
            this.clock = clock;
        }

        public void status(int sr, int bits) {
            log.add(new long[] {clock.now(), sr, bits});
        }

        public void led(int led, boolean active) {
        }

        public void zeroCrossing(boolean level) {
        }

        /** The first time SR{@code sr} got {@code bit}, or -1. */
        long first(int sr, int bit) {
            for (long[] e : log) {
                if (e[1] == sr && (e[2] & bit) != 0) {
                    return e[0];
                }
            }
            return -1;
        }

        int count(int sr, int bit) {
            int n = 0;
            for (long[] e : log) {
                if (e[1] == sr && (e[2] & bit) != 0) {
                    n++;
                }
            }
            return n;
        }
    }

    private final MeterClock clock = new MeterClock();
    private final Recorder out = new Recorder(clock);
    private final int[] regs = new int[Stpm34Map.COUNT];
    private Mains mains;
    private Stpm34Dsp dsp;

    private void start(MainsState s) {
        Stpm34Map.resetAll(regs);
        mains = new Mains("mains", s);
        dsp = new Stpm34Dsp("stpm", clock.events, mains, SensorNetwork.referenceBoard(), regs, out);
    }

    private void write(int reg, int value) {
        dsp.advance();
        regs[reg] = value;
        dsp.configChanged(reg);
    }

    private void set(MainsState s) {
        mains.set(s, clock.now());
    }

    private int latch(int reg) {
        dsp.latch(regs, true, true);
        return regs[reg];
    }

    @Test
    void exportFlipsTheActiveSignsBothWays() {
        // Channel 1 senses the phase current, channel 2 the neutral (the same current, single phase). Turning
        // the current by 180° makes active and fundamental power negative on both channels and in total;
        // reactive stays 0 (sin 180° = 0) and apparent positive, so their bits do not move.
        start(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(10 * MS);
        assertTrue(out.log.isEmpty());
        set(MainsState.sinusoidal(50, 230, 5, Math.PI));
        clock.runTo(20 * MS);
        int expected = 1 << 12 | 1 << 13 | 1 << 4 | 1 << 5 | 1;
        assertEquals(2, out.log.size());
        for (long[] e : out.log) {
            assertEquals(10 * MS, e[0]);
            assertEquals(expected, (int) e[2]); // the same bits in DSP_SR1 and DSP_SR2
        }
        // DSP_EV1: total active sign b0, PH1 active b4 and fundamental b5 signs.
        assertEquals(1 | 1 << 4 | 1 << 5, latch(Stpm34Map.DSP_EV1) & 0xFFF);
        assertEquals(1 | 1 << 4 | 1 << 5, regs[Stpm34Map.DSP_EV2] & 0xFFF);
        set(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(30 * MS);
        assertEquals(4, out.log.size()); // 1 -> 0 also raises the bits
        assertEquals(20 * MS, out.log.get(2)[0]);
        assertEquals(expected, (int) out.log.get(3)[2]);
        assertEquals(0, latch(Stpm34Map.DSP_EV1) & 0xFFF);
    }

    @Test
    void laggingLoadMakesReactiveSignsOnlyWhenLeading() {
        // pf 0.5 lagging (current 60° behind): Q > 0. Leading: Q < 0 -> PH1 R b14, PH2 R b6, total R b1.
        start(MainsState.sinusoidal(50, 230, 5, Math.PI / 3));
        clock.runTo(10 * MS);
        assertTrue(out.log.isEmpty());
        set(MainsState.sinusoidal(50, 230, 5, -Math.PI / 3));
        clock.runTo(20 * MS);
        assertEquals(1 << 14 | 1 << 6 | 1 << 1, (int) out.log.get(0)[2]);
    }

    /**
     * The reference crossing: the first sample k at which Σ_{j≤k} v_j·i_j·2^17 (energy counts, the doc's
     * per-sample model) reaches 2^31, with v and i in x units from the reference board's scaling.
     */
    private static long referenceOverflowSample(double volts, double amps, int gain) {
        double kv = 470.0 / 810470.0 * 2 * 0.875 / 1.18;
        double ki = 0.0026 * gain * 0.875 / 1.18;
        double vp = volts * Math.sqrt(2) * kv, ip = amps * Math.sqrt(2) * ki;
        double sum = 0;
        for (long k = 0; ; k++) {
            double s = Math.sin(2 * Math.PI * 50 * k * 128e-6);
            sum += vp * s * ip * s * 0x1p17;
            if (sum >= 0x1p31) {
                return k;
            }
        }
    }

    @Test
    void activeEnergyOverflowIsRaisedAtTheWrappingSample() {
        // Channel 2's current ADC off (DFE_CR2 ENC = 0): the total is channel 1 alone. 19 A at x16 stays in
        // range (peak x 0.83 < 0.875) and wraps PH1 active energy at 2^31 counts after about 18 s.
        // With the overflow bits unmasked in DSP_IRQ1 (as for the INT pin) the time is exact.
        start(MainsState.sinusoidal(50, 230, 19, 0));
        write(Stpm34Map.DFE_CR2, Stpm34Map.resetValue(Stpm34Map.DFE_CR2) & ~(1 << 16));
        regs[Stpm34Map.DSP_IRQ1] = 1 << 16 | 1 << 17 | 1 << 2;
        dsp.interruptMasksChanged();
        long k = referenceOverflowSample(230, 19, 16);
        assertTrue(k > 100_000, "k = " + k);
        clock.runTo(k * SAMPLE + 100 * MS);
        long ph1 = out.first(1, 1 << 16);
        long fund = out.first(1, 1 << 17);
        long total = out.first(1, 1 << 2);
        assertTrue(Math.abs(ph1 - k * SAMPLE) <= SAMPLE, ph1 + " vs " + k * SAMPLE);
        assertTrue(Math.abs(fund - k * SAMPLE) <= SAMPLE, fund + " vs " + k * SAMPLE);
        assertEquals(ph1, total);
        assertEquals(ph1, out.first(2, 1 << 16)); // also in DSP_SR2
        assertEquals(1, out.count(1, 1 << 16));
        assertEquals(-1, out.first(1, 1 << 8)); // PH2 has no power
        assertTrue(latch(Stpm34Map.PH1_REG1) < 0); // the register did wrap to negative
    }

    @Test
    void maskedOverflowIsRaisedAtTheNextUpdateAndShownOnceInTheLiveBits() {
        // Masked: no events; the wrap is found when the DSP is next brought up to date (here a latch), and
        // DSP_EV1 shows it (b8 PH1 active, b9 fundamental, b2 total active) at that latch only.
        start(MainsState.sinusoidal(50, 230, 19, 0));
        write(Stpm34Map.DFE_CR2, Stpm34Map.resetValue(Stpm34Map.DFE_CR2) & ~(1 << 16));
        long k = referenceOverflowSample(230, 19, 16);
        clock.runTo(k * SAMPLE + 1000 * MS);
        assertEquals(-1, out.first(1, 1 << 16));
        int ev = latch(Stpm34Map.DSP_EV1);
        assertEquals(k * SAMPLE + 1000 * MS, out.first(1, 1 << 16));
        assertEquals(1 << 8 | 1 << 9 | 1 << 2, ev & (1 << 8 | 1 << 9 | 1 << 2));
        clock.runTo(k * SAMPLE + 1010 * MS);
        assertEquals(0, latch(Stpm34Map.DSP_EV1) & 0xF0C);
    }

    @Test
    void overflowIsSeenThroughFrequentReadsToo() {
        // Latching every 10 ms (each latch sums up to now) must neither hide nor repeat the wrap; masked,
        // it is raised at the first latch after it.
        start(MainsState.sinusoidal(50, 230, 19, 0));
        write(Stpm34Map.DFE_CR2, Stpm34Map.resetValue(Stpm34Map.DFE_CR2) & ~(1 << 16));
        long k = referenceOverflowSample(230, 19, 16);
        for (long t = 10 * MS; t < k * SAMPLE + 100 * MS; t += 10 * MS) {
            clock.runTo(t);
            latch(Stpm34Map.PH1_REG1);
        }
        long ph1 = out.first(1, 1 << 16);
        assertTrue(ph1 >= (k - 1) * SAMPLE && ph1 <= k * SAMPLE + 10 * MS, ph1 + " vs " + k * SAMPLE);
        assertEquals(1, out.count(1, 1 << 16));
    }

    @Test
    void sagAndSwellTimesCountAt125kHzAndClearWithClearSs() {
        // SWV_THR1 = 300 (230 V is 286, 253 V is 315 in peak·2^10 units); SAG_THR1 = 200 (100 V is 124).
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DSP_CR5, 200 << 22 | 300 << 12 | 0x800);
        clock.runTo(10 * MS);
        set(MainsState.sinusoidal(50, 253, 5, 0));
        clock.runTo(50 * MS);
        int reg16 = latch(Stpm34Map.DSP_REG16);
        assertEquals(40 * MS / 8000, reg16 & 0x7FFF); // 40 ms of swell in 8 µs ticks
        assertEquals(0, reg16 >>> 16);
        assertEquals(1 << 22, regs[Stpm34Map.DSP_EV1] & 0x3FFC0000 & ~(1 << 19)); // SWV[0] live
        clock.runTo(110 * MS);
        set(MainsState.sinusoidal(50, 100, 5, 0)); // swell ends, sag begins (detected 9.984 ms later)
        clock.runTo(150 * MS);
        reg16 = latch(Stpm34Map.DSP_REG16);
        assertEquals(100 * MS / 8000, reg16 & 0x7FFF);
        assertEquals((150 * MS - (110 * MS + 9_984_000L)) / 8000, reg16 >>> 16);
        assertEquals(1 << 26, regs[Stpm34Map.DSP_EV1] & 0x3FFC0000 & ~(1 << 19)); // SAG[0] live
        // ClearSS1 (DSP_CR1 b4) 0 -> 1 at 160 ms: both counters restart from 0.
        clock.runTo(160 * MS);
        write(Stpm34Map.DSP_CR1, Stpm34Map.resetValue(Stpm34Map.DSP_CR1) | 1 << 4);
        clock.runTo(200 * MS);
        reg16 = latch(Stpm34Map.DSP_REG16);
        assertEquals(0, reg16 & 0x7FFF);
        assertEquals(40 * MS / 8000, reg16 >>> 16);
    }

    @Test
    void aLongSwellWrapsTheCounterIntoTheHistory() {
        // 300 ms of current swell: 37500 ticks = one wrap of the 15-bit counter (262.144 ms) + 4732.
        // SWC_THR1 = 500 (5 A is 224, 12 A is 538). SWC_TIME is DSP_REG17 [14:0], SWC[3:0] is EV1 [18:15].
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DSP_CR6, 500 << 12 | 0x800);
        set(MainsState.sinusoidal(50, 230, 12, 0));
        clock.runTo(300 * MS);
        assertEquals(37500 - 32768, latch(Stpm34Map.DSP_REG17) & 0x7FFF);
        assertEquals(0b0011, (regs[Stpm34Map.DSP_EV1] >>> 15) & 0xF);
        set(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(400 * MS);
        assertEquals(37500 - 32768, latch(Stpm34Map.DSP_REG17) & 0x7FFF);
        assertEquals(0b0010, (regs[Stpm34Map.DSP_EV1] >>> 15) & 0xF); // ended: only the history bit
    }

    @Test
    void lostVoltageAndOffFrequencyAreAPeriodError() {
        start(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(10 * MS);
        set(MainsState.sinusoidal(50, 0, 5, 0));
        clock.runTo(20 * MS);
        assertEquals(10 * MS, out.first(1, 1 << 25));
        assertEquals(10 * MS, out.first(2, 1 << 25));
        assertEquals(1 << 21, latch(Stpm34Map.DSP_EV1) & (1 << 21));
        set(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(30 * MS);
        assertEquals(0, latch(Stpm34Map.DSP_EV1) & (1 << 21));
        set(MainsState.sinusoidal(35, 230, 5, 0));
        clock.runTo(40 * MS);
        assertEquals(2, out.count(1, 1 << 25));
    }

    @Test
    void overloadedCurrentIsAStuckBitstream() {
        // 40 A at x16 is a peak of 1.76 x, past the 0.875 range: C1 stuck (SR b20, EV b13); V stays fine.
        start(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(10 * MS);
        set(MainsState.sinusoidal(50, 230, 40, 0));
        clock.runTo(20 * MS);
        assertEquals(10 * MS, out.first(1, 1 << 20));
        assertEquals(-1, out.first(1, 1 << 24));
        assertEquals(1 << 13, latch(Stpm34Map.DSP_EV1) & (1 << 13 | 1 << 20));
    }

    @Test
    void zeroCrossingBitsFollowThePolarityOfTheFundamentals() {
        // V1 = sin θ and, 90° lagging, C1 = sin(θ − 90°): at 4 ms V1 > 0, C1 < 0; at 14 ms V1 < 0, C1 > 0.
        start(MainsState.sinusoidal(50, 230, 5, Math.PI / 2));
        clock.runTo(4 * MS);
        assertEquals(1 << 19, latch(Stpm34Map.DSP_EV1) & (1 << 19 | 1 << 12));
        clock.runTo(14 * MS);
        assertEquals(1 << 12, latch(Stpm34Map.DSP_EV1) & (1 << 19 | 1 << 12));
    }
}
