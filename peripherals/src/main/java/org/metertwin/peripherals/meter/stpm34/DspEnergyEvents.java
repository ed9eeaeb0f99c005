package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * Power sign and energy overflow events of the ten energy accumulators (PH1 and PH2 active, fundamental,
 * reactive, apparent; total active and reactive).
 *
 * <p>Bit layout, from ST's metrology firmware comments that quote DS10272's register tables (jeesang7/stm32
 * {@code Metrology/src/metrology.c}, "STPM3X STATUS REGISTER DSP_SR1" and "LIVE EVENT REGISTER DSP_EV1"),
 * which Carton32/stpm3x {@code stpm3x_internals.h} repeats mask for mask:
 * <ul>
 * <li>DSP_SR1 and DSP_SR2 (the same layout in both): total sign change A b0, R b1; total overflow A b2,
 * R b3; PH2 sign change A/F/R/S b4-7, PH2 overflow A/F/R/S b8-11; PH1 sign change b12-15, PH1 overflow
 * b16-19. The PH1 and PH2 groups are in opposite order to DSP_EV1/2; both sources agree.
 * <li>DSP_EV1 (EV2 likewise for PH2): total sign A b0, R b1; total overflow A b2, R b3; PHx sign A/F/R/S
 * b4-7; PHx overflow b8-11.
 * </ul>
 * "Concerning negative sign bits, interrupt raises every sign change (0 to 1 and 1 to 0 transitions)"
 * (same source). These bits are set in both DSP_SR1 and DSP_SR2, so either IRQ mask can route them.
 *
 * <p><b>Sign</b> is the sign of the power register the firmware would read (the period-average power
 * rounded to the register's LSB, so the rounding noise of a zero power, e.g. reactive at pf 1, has no sign):
 * it can only change when the mains state or the configuration does.
 *
 * <p><b>Overflow</b> [model: which wrap the datasheet means is unverified] is the signed 32-bit overflow of
 * the energy register: it passes from 0x7FFFFFFF to 0x80000000 (counting up) or back (counting down). Every
 * sum the DSP takes is checked, so no wrap is missed; the bit is raised when the DSP is next brought up to
 * date (any latch, configuration write, mains change, or a read of DSP_SR1/2). At a typical load the
 * registers wrap every minute or two, so exact timing costs events: only while an overflow bit is unmasked
 * in DSP_IRQ1 or DSP_IRQ2 (so the INT pin shows it) is the watch {@link Event} scheduled, without
 * per-sample work: from the steady rate it goes off a margin before the crossing could happen (the ripple
 * within a mains cycle moves it by less than that), then once per sample until the crossing, so the bit is
 * raised in the sample in which the register wraps.
 */
final class DspEnergyEvents {
    /** Accumulator indices: PH1 A/F/R/S 0-3, PH2 A/F/R/S 4-7, total A 8, total R 9. */
    static final int COUNT = 10, TOTAL_A = 8, TOTAL_R = 9;
    /** DSP_SR1/2 bits per accumulator index. */
    private static final int[] SR_SIGN = {1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 4, 1 << 5, 1 << 6, 1 << 7,
        1 << 0, 1 << 1};
    private static final int[] SR_OVERFLOW = {1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 8, 1 << 9, 1 << 10, 1 << 11,
        1 << 2, 1 << 3};
    /** Counts per sample of a power in x² units: 2^28 power counts / 2^11. */
    private static final double COUNTS_PER_X2 = 0x1p17;

    private final EventQueue events;
    private final Stpm34Dsp dsp;
    private final Event watch;
    private final boolean[] negative = new boolean[COUNT];
    /** The registers at the last check; the rates (counts per sample) of the present state. */
    private final int[] lastRegister = new int[COUNT];
    private final double[] rate = new double[COUNT];
    /** Overflows not yet shown in DSP_EV1 ([0]) and DSP_EV2 ([1]), as DSP_EV bits 0-11. */
    private final int[] pendingEv = new int[2];
    private final double[] marginSamples = new double[COUNT];
    private DspChannel c1, c2;
    /** DSP_IRQ1 | DSP_IRQ2: the overflow bits unmasked there are watched for exact timing. */
    private int irqMask;

    DspEnergyEvents(String name, EventQueue events, Stpm34Dsp dsp) {
        this.events = events;
        this.dsp = dsp;
        this.watch = events.event(name + ".energy-watch", when -> {
            dsp.advance();
            schedule();
        });
    }

    /** Takes the powers of the state and settings in force from now on (the sums are up to date). */
    void sync(DspChannel ch1, DspChannel ch2, double frequencyHz, int irqMask) {
        this.irqMask = irqMask;
        this.c1 = ch1;
        this.c2 = ch2;
        int sr = 0;
        for (int i = 0; i < COUNT; i++) {
            double p = power(i);
            rate[i] = p * COUNTS_PER_X2;
            boolean neg = Math.round(p * 0x1p28) < 0;
            if (neg != negative[i]) {
                negative[i] = neg;
                sr |= SR_SIGN[i];
            }
        }
        if (sr != 0) {
            dsp.outputs().status(1, sr);
            dsp.outputs().status(2, sr);
        }
        // How far the ripple within a mains cycle can move a crossing: the closed form's bound on the
        // oscillating part of the sum, or (clipping, aliasing) a cycle's samples times the largest |v·i|.
        double perCycle = frequencyHz > 0 ? 1 / (frequencyHz * Stpm34Dsp.SAMPLE_SECONDS) : 0;
        for (int i = 0; i < COUNT; i++) {
            double bound;
            if (i >= TOTAL_A) {
                int t = i == TOTAL_A ? DspChannel.ACTIVE : DspChannel.REACTIVE;
                bound = ch1.rippleBound(t) + ch2.rippleBound(t);
            } else {
                bound = (i < 4 ? ch1 : ch2).rippleBound(i & 3);
            }
            if (Double.isInfinite(bound)) {
                bound = 2 * perCycle * (ch1.voltagePeak * ch1.currentPeak + ch2.voltagePeak * ch2.currentPeak);
            }
            marginSamples[i] = rate[i] != 0 ? 2 + 2 * bound * COUNTS_PER_X2 / Math.abs(rate[i]) : 0;
        }
        schedule();
    }

    private double power(int i) {
        if (i >= TOTAL_A) {
            int t = i == TOTAL_A ? DspChannel.ACTIVE : DspChannel.REACTIVE;
            return power(c1, t) + power(c2, t);
        }
        return power(i < 4 ? c1 : c2, i & 3);
    }

    private static double power(DspChannel c, int type) {
        return switch (type) {
            case DspChannel.ACTIVE -> c.activePower;
            case DspChannel.FUNDAMENTAL -> c.fundamentalPower;
            case DspChannel.REACTIVE -> c.reactivePower;
            default -> c.apparentPerSample();
        };
    }

    /** The interrupt masks changed (the sums are up to date). */
    void masksChanged(int irqMask) {
        this.irqMask = irqMask;
        schedule();
    }

    /** The watch goes off at the first sample that could see a wrap (every sample once that is close). */
    private void schedule() {
        events.cancel(watch);
        if (c1 == null) {
            return;
        }
        double ahead = Double.MAX_VALUE;
        for (int i = 0; i < COUNT; i++) {
            double r = rate[i];
            if ((irqMask & SR_OVERFLOW[i]) == 0 || Math.abs(r) < 1e-9) {
                continue;
            }
            double counts = counts(i);
            double distance = r > 0 ? 0x1p31 - counts : counts + 0x1p31;
            ahead = Math.min(ahead, distance / Math.abs(r) - marginSamples[i]);
        }
        if (ahead > 1e15) {
            return;
        }
        long k = dsp.nextSample() + Math.max(0, (long) Math.floor(ahead));
        events.schedule(watch, Math.max(dsp.sampleTime(k), events.now() + 1));
    }

    /** The signed register value with its fraction, in counts. */
    private double counts(int i) {
        long e;
        if (i >= TOTAL_A) {
            int t = i == TOTAL_A ? DspChannel.ACTIVE : DspChannel.REACTIVE;
            e = c1.energy[t] + c2.energy[t];
        } else {
            e = (i < 4 ? c1 : c2).energy[i & 3];
        }
        // Bits 62..31 are the register: shift the register's sign bit into the long's sign bit.
        return (e << 1) * 0x1p-32;
    }

    private double moved(int i) {
        if (i >= TOTAL_A) {
            int t = i == TOTAL_A ? DspChannel.ACTIVE : DspChannel.REACTIVE;
            return c1.moved[t] + c2.moved[t];
        }
        return (i < 4 ? c1 : c2).moved[i & 3];
    }

    private int register(int i) {
        if (i >= TOTAL_A) {
            int t = i == TOTAL_A ? DspChannel.ACTIVE : DspChannel.REACTIVE;
            return (int) ((c1.energy[t] + c2.energy[t]) >> DspChannel.FRACTION_BITS);
        }
        return (i < 4 ? c1 : c2).register(i & 3);
    }

    /**
     * After the DSP summed up to sample {@code lastK} (inclusive, unused: the time is now): raises the overflow bit of every register
     * that wrapped since the previous check.
     */
    void checkOverflow(long lastK) {
        if (c1 == null) {
            return;
        }
        int sr = 0;
        for (int i = 0; i < COUNT; i++) {
            int now = register(i);
            int before = lastRegister[i];
            lastRegister[i] = now;
            // The exact change is the register difference plus whole turns of 2^32, which the unreduced sum
            // of what was added tells (its rounding is far below 2^31).
            int step = now - before;
            long turns = Math.round((moved(i) - step) * 0x1p-32);
            long unwrapped = (long) before + step + (turns << 32);
            if (unwrapped > Integer.MAX_VALUE || unwrapped < Integer.MIN_VALUE) {
                sr |= SR_OVERFLOW[i];
                if (i >= TOTAL_A) {
                    int b = i == TOTAL_A ? 1 << 2 : 1 << 3;
                    pendingEv[0] |= b;
                    pendingEv[1] |= b;
                } else {
                    pendingEv[i >> 2] |= 1 << (8 + (i & 3));
                }
            }
        }
        java.util.Arrays.fill(c1.moved, 0);
        java.util.Arrays.fill(c2.moved, 0);
        if (sr != 0) {
            dsp.outputs().status(1, sr);
            dsp.outputs().status(2, sr);
        }
    }

    /**
     * The power sign and overflow bits of DSP_EV1 (channel 1) or DSP_EV2 (channel 2), bits 0-11, at a latch.
     * Signs are live. An overflow bit [model: the datasheet's "live" overflow would last one sample, which a
     * latch almost never catches] shows that the register wrapped since the channel's previous latch.
     */
    int latchBits(int channel) {
        int base = channel == 1 ? 0 : 4;
        int bits = pendingEv[channel - 1];
        pendingEv[channel - 1] = 0;
        for (int t = 0; t < 4; t++) {
            if (negative[base + t]) {
                bits |= 1 << (4 + t);
            }
        }
        bits |= (negative[TOTAL_A] ? 1 : 0) | (negative[TOTAL_R] ? 2 : 0);
        return bits;
    }

    void reset() {
        events.cancel(watch);
        java.util.Arrays.fill(negative, false);
        java.util.Arrays.fill(lastRegister, 0);
        pendingEv[0] = 0;
        pendingEv[1] = 0;
    }
}
