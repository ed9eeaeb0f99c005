package org.metertwin.peripherals.meter.stpm34;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/** The steady-state path (advance, closed form, latch, LED pulse events) allocates nothing. */
class DspAllocationTest {
    private int edges;

    @Test
    void steadyReadsAndLedPulsesAllocateNothing() {
        AcQuantity v = new AcQuantity(0, List.of(new Harmonic(1, 230, 0), new Harmonic(3, 5, 0.2)));
        AcQuantity i = new AcQuantity(0, List.of(new Harmonic(1, 5, -0.4), new Harmonic(5, 0.5, 1)));
        MeterClock clock = new MeterClock();
        int[] regs = new int[Stpm34Map.COUNT];
        Stpm34Map.resetAll(regs);
        regs[Stpm34Map.DSP_CR1] = 0x000000A0; // LPW1 = 0: LED1 pulses often
        Stpm34Dsp dsp = new Stpm34Dsp("stpm", clock.events, new Mains("mains", new MainsState(50, v, i, i)),
                SensorNetwork.referenceBoard(), regs, new Stpm34Dsp.Outputs() {
                    public void status(int sr, int bits) {
                    }

                    public void led(int led, boolean active) {
                        edges++;
                    }

                    public void zeroCrossing(boolean level) {
                    }
                });
        int[] data = regs.clone();
        Runnable reads = () -> {
            for (int k = 0; k < 2000; k++) {
                clock.runFor(1_000_000_000L / 7);
                dsp.latch(data, true, true);
            }
        };
        reads.run(); // warm up
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        long tid = Thread.currentThread().getId();
        int edgesBefore = edges;
        long before = mx.getThreadAllocatedBytes(tid);
        reads.run();
        long used = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(edges - edgesBefore > 100, "LED pulses happened: " + (edges - edgesBefore));
        assertTrue(used < 4096, "allocated " + used + " bytes in 2000 reads");
    }
}
