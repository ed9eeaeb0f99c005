package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;

/**
 * The ZCR output: with DSP_CR3 ZCR_EN (b16) set, the pin follows the sign of the selected signal's
 * fundamental (ZCR_SEL[15:14]: 0 = V1, 1 = C1, 2 = V2, 3 = C2; research notes, unverified), high while it is
 * positive, each edge at the first DSP sample after the crossing. One reusable Event: two per mains cycle
 * (8.64 million a day at 50 Hz), so it costs while enabled. With ZCR_EN clear the pin is the CLK output,
 * which is not modelled (left as it is).
 */
final class DspZeroCrossing {
    private final EventQueue events;
    private final Stpm34Dsp dsp;
    private final Mains mains;
    private final Event event;
    private boolean enabled;
    private boolean level;
    private double amplitude, phase, frequency;

    DspZeroCrossing(String name, EventQueue events, Stpm34Dsp dsp, Mains mains) {
        this.events = events;
        this.dsp = dsp;
        this.mains = mains;
        this.event = events.event(name + ".zcr", this::fire);
    }

    void sync(int[] r, DspChannel c1, DspChannel c2) {
        int cr3 = r[Stpm34Map.DSP_CR3];
        enabled = (cr3 & (1 << 16)) != 0;
        int sel = (cr3 >>> 14) & 3;
        DspChannel c = sel < 2 ? c1 : c2;
        boolean current = (sel & 1) != 0;
        amplitude = current ? c.i1Peak() : c.v1Peak();
        phase = current ? c.i1Phase() : c.v1Phase();
        frequency = mains.state().frequencyHz();
        events.cancel(event);
        if (!enabled) {
            return;
        }
        long now = events.now();
        boolean positive = amplitude > 0 && Math.sin(mains.angleAt(Math.max(now, mains.since())) + phase) > 0;
        if (positive != level) {
            level = positive;
            dsp.outputs().zeroCrossing(level);
        }
        scheduleNext(now);
    }

    private void scheduleNext(long from) {
        if (!(amplitude > 0)) {
            return;
        }
        // The next angle where θ + phase is a multiple of π, then the first sample at or after it.
        double a = mains.angleAt(Math.max(from, mains.since())) + phase;
        double toGo = Math.PI - (a - Math.PI * Math.floor(a / Math.PI));
        if (toGo < 1e-9) {
            toGo += Math.PI;
        }
        long at = from + (long) Math.ceil(toGo / (2 * Math.PI * frequency) * 1e9);
        long k = dsp.sampleIndexAt(at - 1) + 1;
        events.schedule(event, Math.max(dsp.sampleTime(k), from + 1));
    }

    private void fire(long when) {
        level = Math.sin(mains.angleAt(when) + phase) > 0;
        dsp.outputs().zeroCrossing(level);
        scheduleNext(when);
    }

    void reset() {
        events.cancel(event);
    }
}
