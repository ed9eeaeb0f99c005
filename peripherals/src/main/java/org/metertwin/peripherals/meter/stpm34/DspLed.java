package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * One LED pulse output (LED1 from DSP_CR1, LED2 from DSP_CR2): a pulse each time the selected energy
 * (LPSx: active, fundamental, reactive, apparent; LCSx: channel 1, channel 2 or both) grows by
 * 2^(LPWx + 22) energy counts, counted from the period-average power (so the ripple within a mains cycle
 * does not move the pulses). The pulse lasts {@link #WIDTH_SAMPLES} samples, or half the pulse period
 * when pulses come faster. One reusable Event, rescheduled: the cost is two events per pulse.
 * The divider law and the width are not verified against the datasheet (see the doc).
 */
final class DspLed {
    static final int WIDTH_SAMPLES = 32;
    /** Energy counts per pulse = 2^(LPW + this). */
    static final int LPW_SHIFT = 22;

    private final int led;
    private final EventQueue events;
    private final Stpm34Dsp dsp;
    private final Event event;
    private boolean active;
    private boolean enabled;
    /** Energy counts per pulse; counts per sample now; counts gathered since the last pulse at {@link #atK}. */
    private double threshold;
    private double rate;
    private double gathered;
    private long atK;
    private int channels;
    private int power;

    DspLed(int led, EventQueue events, Stpm34Dsp dsp, String name) {
        this.led = led;
        this.events = events;
        this.dsp = dsp;
        this.event = events.event(name + ".led" + led, this::fire);
    }

    /**
     * Takes new settings and rates from sample {@code k} on: the counts gathered so far are kept at the old
     * rate, and the next pulse is rescheduled.
     */
    void sync(long k, int[] r, DspChannel c1, DspChannel c2) {
        gathered += rate * (k - atK);
        atK = k;
        int cr = r[led == 1 ? Stpm34Map.DSP_CR1 : Stpm34Map.DSP_CR2];
        enabled = (r[Stpm34Map.DSP_CR3] & (1 << (23 + led))) == 0; // LED_OFF1 b24, LED_OFF2 b25
        threshold = Math.scalb(1.0, ((cr >>> 24) & 0xF) + LPW_SHIFT);
        power = (cr >>> 28) & 3;
        channels = (cr >>> 30) & 3;
        double p = 0;
        if (channels != 1) {
            p += perSample(c1);
        }
        if (channels != 0) {
            p += perSample(c2);
        }
        rate = Math.abs(p) * 0x1p17; // energy counts per sample: power in x² units · 2^28 / 2^11
        if (gathered >= threshold) {
            gathered = threshold;
        }
        if (!active) {
            scheduleNext();
        }
        if (!enabled && active) {
            events.cancel(event);
            off();
        }
    }

    private double perSample(DspChannel c) {
        return switch (power) {
            case 0 -> c.activePower;
            case 1 -> c.fundamentalPower;
            case 2 -> c.reactivePower;
            default -> c.apparentPerSample();
        };
    }

    /** The sample in which the gathered counts reach the threshold, and the pulse's start then. */
    private void scheduleNext() {
        events.cancel(event);
        if (!enabled || !(rate > 0)) {
            return;
        }
        double ahead = Math.ceil((threshold - gathered) / rate) - 1;
        if (ahead > 1e15) {
            return; // rounding noise of a zero power (e.g. reactive at pf 1): never, in practice
        }
        long k = atK + Math.max(0, (long) ahead);
        events.schedule(event, Math.max(dsp.sampleTime(k), events.now()));
    }

    private void fire(long when) {
        if (active) {
            off();
            scheduleNext();
            return;
        }
        long k = dsp.sampleIndexAt(when);
        gathered += rate * (k + 1 - atK) - threshold;
        atK = k + 1;
        if (gathered < 0) {
            gathered = 0;
        }
        active = true;
        dsp.outputs().led(led, true);
        long periodSamples = (long) Math.ceil(threshold / rate);
        long width = Math.max(1, Math.min(WIDTH_SAMPLES, periodSamples / 2));
        events.schedule(event, when + width * Stpm34Dsp.SAMPLE_NANOS);
    }

    private void off() {
        active = false;
        dsp.outputs().led(led, false);
    }

    void reset(long k) {
        events.cancel(event);
        if (active) {
            off();
        }
        gathered = 0;
        atK = k;
        rate = 0;
    }

    boolean active() {
        return active;
    }
}
