package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/** Zero crossings, sag, swell and tamper: outputs at the virtual times they occur. */
class DspEventsTest {
    static final long MS = 1_000_000L;

    /** A DSP whose outputs are recorded as "time:what". */
    private static final class Recorder implements Stpm34Dsp.Outputs {
        final MeterClock clock;
        final List<String> log = new ArrayList<>();
        final List<Long> zcr = new ArrayList<>();

        Recorder(MeterClock clock) {
            this.clock = clock;
        }

        public void status(int sr, int bits) {
            log.add(clock.now() + ":SR" + sr + ":" + Integer.toHexString(bits));
        }

        public void led(int led, boolean active) {
        }

        public void zeroCrossing(boolean level) {
            zcr.add(level ? clock.now() : -clock.now());
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

    @Test
    void zeroCrossingsOfV1() {
        // V1 = 230·√2·sin(θ), 50 Hz: crossings every 10 ms, rising at 0, 20, 40 ms; the edge at the first
        // 128 µs sample at or after the crossing (10 ms -> sample 79 at 10.112 ms).
        start(MainsState.sinusoidal(50, 230, 5, 0));
        clock.runTo(1 * MS);
        write(Stpm34Map.DSP_CR3, Stpm34Map.resetValue(Stpm34Map.DSP_CR3) | 1 << 16);
        clock.runTo(45 * MS);
        assertEquals(1 * MS, out.zcr.get(0)); // already positive when enabled
        assertEquals(-79 * 128_000L, out.zcr.get(1));
        assertEquals(157 * 128_000L, out.zcr.get(2)); // 20 ms -> sample 157 at 20.096 ms
        assertEquals(-235 * 128_000L, out.zcr.get(3)); // 30 ms -> 30.08 ms
        assertEquals(5, out.zcr.size());
    }

    @Test
    void zeroCrossingsOfC1FollowTheCurrentsLag() {
        // ZCR_SEL = 1 (C1); the current lags 90°: its rising crossing is at 5 ms (sample 40 at 5.12 ms).
        start(MainsState.sinusoidal(50, 230, 5, Math.PI / 2));
        write(Stpm34Map.DSP_CR3, Stpm34Map.resetValue(Stpm34Map.DSP_CR3) | 1 << 16 | 1 << 14);
        clock.runTo(16 * MS);
        assertEquals(List.of(40 * 128_000L, -118 * 128_000L), out.zcr); // 15 ms -> 15.104 ms
    }

    @Test
    void sagStartsAfterTheTimeThresholdAndEnds() {
        // SAG_THR1 = 600: peak·2^10 in x units; 230 V gives 230·√2·(470/810470)·2·0.875/1.18·1024 = 286,
        // 100 V gives 124. Threshold 200 (≈ 160 V RMS). SAG_TIME_THR = 0x4E0 = 1248·8 µs = 9.984 ms.
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DSP_CR5, 200 << 22 | 0x3FF << 12 | 0x800);
        clock.runTo(100 * MS);
        assertTrue(out.log.isEmpty(), out.log.toString());
        mains.set(MainsState.sinusoidal(50, 100, 5, 0), clock.now());
        clock.runTo(200 * MS);
        assertEquals(List.of((100 * MS + 9_984_000L) + ":SR1:4000000"), out.log);
        mains.set(MainsState.sinusoidal(50, 230, 5, 0), clock.now());
        clock.runTo(300 * MS);
        assertEquals((200 * MS) + ":SR1:8000000", out.log.get(1));
    }

    @Test
    void shortDipIsNoSag() {
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DSP_CR5, 200 << 22 | 0x3FF << 12 | 0x800);
        clock.runTo(10 * MS);
        mains.set(MainsState.sinusoidal(50, 100, 5, 0), clock.now());
        clock.runTo(15 * MS); // 5 ms below the threshold, shorter than SAG_TIME_THR
        mains.set(MainsState.sinusoidal(50, 230, 5, 0), clock.now());
        clock.runTo(100 * MS);
        assertTrue(out.log.isEmpty(), out.log.toString());
    }

    @Test
    void voltageAndCurrentSwell() {
        // SWV_THR1 = 300 (peak·2^10; 230 V is 286, 253 V is 315); SWC_THR1 = 500: 5 A at x16 is
        // 5·√2·0.0026·16·0.875/1.18·1024 = 224, 12 A is 538.
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DSP_CR5, 300 << 12 | 0x800);
        write(Stpm34Map.DSP_CR6, 500 << 12 | 0x800);
        clock.runTo(10 * MS);
        assertTrue(out.log.isEmpty(), out.log.toString());
        mains.set(MainsState.sinusoidal(50, 253, 12, 0), clock.now());
        clock.runTo(20 * MS);
        mains.set(MainsState.sinusoidal(50, 230, 5, 0), clock.now());
        clock.runTo(30 * MS);
        assertEquals(List.of("10000000:SR1:10000000", "10000000:SR1:400000", "20000000:SR1:20000000",
                "20000000:SR1:800000"), out.log);
    }

    @Test
    void tamperWhenNeutralCurrentDiffers() {
        // TMP_EN with TMP_TOL = 3 (3.125 %); equal gains (x2 on both) so the readings compare like for like.
        start(MainsState.sinusoidal(50, 230, 5, 0));
        write(Stpm34Map.DFE_CR1, 0x03270327);
        write(Stpm34Map.DSP_CR3, Stpm34Map.resetValue(Stpm34Map.DSP_CR3) | 1 << 19 | 3 << 17);
        clock.runTo(10 * MS);
        MainsState s = mains.state();
        // 3 % less in the neutral: within tolerance; 4 % less: tamper.
        mains.set(s.withCurrents(AcQuantity.sine(5, 0), AcQuantity.sine(4.85, 0)), clock.now());
        clock.runTo(20 * MS);
        assertTrue(out.log.isEmpty(), out.log.toString());
        mains.set(s.withCurrents(AcQuantity.sine(5, 0), AcQuantity.sine(4.8, 0)), clock.now());
        clock.runTo(30 * MS);
        assertEquals(List.of("20000000:SR1:40000000"), out.log);
    }
}
