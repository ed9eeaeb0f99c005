package org.metertwin.peripherals.meter.stpm34.bench;

import java.util.concurrent.TimeUnit;
import org.metertwin.core.time.Event;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;
import org.metertwin.peripherals.meter.stpm34.SensorNetwork;
import org.metertwin.peripherals.meter.stpm34.Stpm34Dsp;
import org.metertwin.peripherals.meter.stpm34.Stpm34Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One STPM34 DSP over a simulated day of steady load (230 V, 5 A, pf 0.9 on both channels): wall time per
 * simulated day. {@code leds}: LED pulses on (reset settings: LED1 active, LED2 reactive) or off (LED_OFF1/2);
 * {@code readsPerSecond}: how often firmware latches and reads the data registers (0 = once at the end).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Stpm34DayBench {
    static final long DAY = 86_400L * 1_000_000_000L;

    @Param({"true", "false"})
    public boolean leds;

    @Param({"0", "1"})
    public int readsPerSecond;

    @Benchmark
    public int day() {
        return runDay(leds, readsPerSecond)[Stpm34Map.PH1_REG1];
    }

    /** Runs one simulated day and returns the final latched registers. */
    public static int[] runDay(boolean leds, int readsPerSecond) {
        MeterClock clock = new MeterClock();
        Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 5, Math.acos(0.9)));
        int[] regs = new int[Stpm34Map.COUNT];
        Stpm34Map.resetAll(regs);
        if (!leds) {
            regs[Stpm34Map.DSP_CR3] |= 3 << 24;
        }
        int[] pulses = new int[1];
        Stpm34Dsp dsp = new Stpm34Dsp("stpm", clock.events, mains, SensorNetwork.referenceBoard(), regs,
                new Stpm34Dsp.Outputs() {
                    public void status(int sr, int bits) {
                    }

                    public void led(int led, boolean active) {
                        pulses[0]++;
                    }

                    public void zeroCrossing(boolean level) {
                    }
                });
        int[] data = regs.clone();
        if (readsPerSecond > 0) {
            long period = 1_000_000_000L / readsPerSecond;
            Event[] read = new Event[1];
            read[0] = clock.events.event("read", when -> {
                dsp.latch(data, true, true);
                clock.events.schedule(read[0], when + period);
            });
            clock.events.schedule(read[0], period);
        }
        clock.runTo(DAY);
        dsp.latch(data, true, true);
        return data;
    }

    /** Without JMH: a quick figure (ms per simulated day) for each setting. */
    public static void main(String[] args) {
        for (boolean l : new boolean[] {true, false}) {
            for (int r : new int[] {0, 1}) {
                for (int warm = 0; warm < 5; warm++) {
                    runDay(l, r);
                }
                long t = System.nanoTime();
                int n = 10;
                for (int i = 0; i < n; i++) {
                    runDay(l, r);
                }
                System.out.printf("leds=%s readsPerSecond=%d: %.2f ms per simulated day%n", l, r,
                        (System.nanoTime() - t) / 1e6 / n);
            }
        }
    }
}
