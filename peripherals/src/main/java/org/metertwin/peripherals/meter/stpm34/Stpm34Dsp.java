package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The STPM34's analog front end and hard-wired DSP.
 *
 * <p>It reads its configuration from the device's register array (DSP_CR1..DFE_CR2, indexed as in
 * {@link Stpm34Map}), senses the {@link Mains} through the board's {@link SensorNetwork}, and keeps the live
 * data lazily: nothing runs per sample while the input is stationary. The DSP produces one sample every
 * 128 µs (16 MHz / 2048 = 7.8125 kHz, DS10272), sample k at {@code reset time + k·128 µs}. Energies are
 * the exact sums of the per-sample model of {@link DspChannel}, taken in closed form over each stationary
 * interval (sample by sample only while an input clips, or when {@link #sampleBySample} is set, which tests
 * use as the reference). Every call happens at the event queue's present time ({@link EventQueue#now()}).
 */
public final class Stpm34Dsp {
    /** What the DSP tells the device, at the event queue's present time. */
    public interface Outputs {
        /** Status bits to set in DSP_SR1 ({@code sr} = 1) or DSP_SR2 ({@code sr} = 2). */
        void status(int sr, int bits);

        /** The LED1 ({@code led} = 1) or LED2 output changes level (true = pulse active). */
        void led(int led, boolean active);

        /** The ZCR/CLK pin, when DSP_CR3 routes zero crossings to it. */
        void zeroCrossing(boolean level);
    }

    /** The DSP sample period: 2048 cycles of the 16 MHz clock. */
    public static final long SAMPLE_NANOS = 128_000;
    static final double SAMPLE_SECONDS = 128e-6;
    /** Period and phase registers count in 8 µs units (125 kHz; ST firmware: f = 1 / (period·8 µs)). */
    static final double PERIOD_UNIT_SECONDS = 8e-6;

    private final EventQueue events;
    private final Mains mains;
    private final SensorNetwork sensors;
    private final int[] registers;
    private final Outputs outputs;
    private final DspChannel ch1 = new DspChannel(1), ch2 = new DspChannel(2);
    private final DspLed led1, led2;
    private final DspMonitor monitor;
    private final DspZeroCrossing zcr;
    private final DspEnergyEvents energyEvents;
    private final Event resync;
    /** The reset time: sample k is at t0 + k·128 µs. */
    private long t0;
    /** The next sample not yet summed. */
    private long nextK;
    /** The mains state the channels were loaded for. */
    private MainsState loaded;
    private boolean sampleBySample;

    public Stpm34Dsp(String name, EventQueue events, Mains mains, SensorNetwork sensors, int[] registers,
            Outputs outputs) {
        this.events = events;
        this.mains = mains;
        this.sensors = sensors;
        this.registers = registers;
        this.outputs = outputs;
        this.led1 = new DspLed(1, events, this, name);
        this.led2 = new DspLed(2, events, this, name);
        this.monitor = new DspMonitor(name, events, this);
        this.zcr = new DspZeroCrossing(name, events, this, mains);
        this.energyEvents = new DspEnergyEvents(name, events, this);
        this.resync = events.event(name + ".dsp-resync", when -> {
            advance();
            syncOutputs();
        });
        this.t0 = events.now();
        reload();
        mains.listen(this::mainsChanging);
    }

    /** Sums every sample from now on one by one (the reference the closed form is tested against). */
    public void sampleBySample(boolean on) {
        advance();
        sampleBySample = on;
    }

    /** Call after the device wrote a configuration register (the DSP was brought up to now before). */
    public void configChanged(int register) {
        advance();
        reload();
    }

    /** Call after a write to DSP_IRQ1/2: the overflow watch follows the unmasked bits. */
    public void interruptMasksChanged() {
        advance();
        energyEvents.masksChanged(interruptMasks());
    }

    private int interruptMasks() {
        return registers[Stpm34Map.DSP_IRQ1] | registers[Stpm34Map.DSP_IRQ2];
    }

    /** Brings the live state up to the present; call before a configuration write. */
    public void advance() {
        long now = events.now();
        if (now >= t0) {
            sumTo((now - t0) / SAMPLE_NANOS + 1);
        }
    }

    /** The mains is about to change at {@code atNanos}: every sample before it sees the old state. */
    private void mainsChanging(Mains m, long atNanos) {
        if (atNanos > t0) {
            sumTo((atNanos - t0 + SAMPLE_NANOS - 1) / SAMPLE_NANOS);
        }
        // The new state is in force once set() returns: reload then (advance() also checks).
        events.schedule(resync, Math.max(atNanos, events.now()));
    }

    private void sumTo(long k) {
        if (mains.state() != loaded) {
            reload();
        }
        if (k <= nextK) {
            return;
        }
        long n = k - nextK;
        long first = sampleTime(nextK);
        if (sampleBySample || ch1.clipping || ch2.clipping) {
            sumEach(ch1, first, n);
            sumEach(ch2, first, n);
        }
        if (!sampleBySample && !(ch1.clipping && ch2.clipping)) {
            double theta0 = mains.angleAt(first);
            double cos = Math.cos(theta0), sin = Math.sin(theta0);
            if (!ch1.clipping) {
                ch1.addClosedForm(cos, sin, n);
            }
            if (!ch2.clipping) {
                ch2.addClosedForm(cos, sin, n);
            }
        }
        nextK = k;
        energyEvents.checkOverflow(k - 1);
    }

    private void sumEach(DspChannel c, long first, long n) {
        if (sampleBySample || c.clipping) {
            for (long j = 0; j < n; j++) {
                c.addSample(mains.angleAt(first + j * SAMPLE_NANOS));
            }
        }
    }

    private void reload() {
        loaded = mains.state();
        ch1.config.read(registers, 1);
        ch2.config.read(registers, 2);
        ch1.load(loaded, sensors);
        ch2.load(loaded, sensors);
        syncOutputs();
    }

    /** The event-driven outputs take the state and settings in force from now on. */
    private void syncOutputs() {
        led1.sync(nextK, registers, ch1, ch2);
        led2.sync(nextK, registers, ch1, ch2);
        monitor.check(registers, ch1, ch2);
        zcr.sync(registers, ch1, ch2);
        energyEvents.sync(ch1, ch2, loaded.frequencyHz(), interruptMasks());
    }

    /**
     * Copies the live data of channel 1 and/or 2 (and the totals, and DSP_EV/DSP_REG fields of that
     * channel) into the data registers of {@code registers}, as a latch does. The instantaneous values are
     * those of the last sample at or before now, and so are the live event bits of DSP_EV1/2.
     */
    public void latch(int[] registers, boolean channel1, boolean channel2) {
        advance();
        long last = nextK > 0 ? sampleTime(nextK - 1) : t0;
        double theta = mains.angleAt(Math.max(last, mains.since()));
        double cos = Math.cos(theta), sin = Math.sin(theta);
        ch1.sampleAt(cos, sin);
        ch2.sampleAt(cos, sin);
        double f = loaded.frequencyHz();
        long now = events.now();
        if (channel1) {
            latchChannel(registers, ch1, f, Stpm34Map.DSP_REG2, Stpm34Map.DSP_REG14, Stpm34Map.DSP_REG16,
                    Stpm34Map.PH1_REG1);
            registers[Stpm34Map.DSP_REG16] = monitor.voltageTimes(1, now);
            registers[Stpm34Map.DSP_REG17] |= monitor.currentSwellTime(1, now);
            registers[Stpm34Map.DSP_EV1] = liveEvents(ch1, 1, now);
        }
        if (channel2) {
            latchChannel(registers, ch2, f, Stpm34Map.DSP_REG4, Stpm34Map.DSP_REG15, Stpm34Map.DSP_REG18,
                    Stpm34Map.PH2_REG1);
            registers[Stpm34Map.DSP_REG18] = monitor.voltageTimes(2, now);
            registers[Stpm34Map.DSP_REG19] |= monitor.currentSwellTime(2, now);
            registers[Stpm34Map.DSP_EV2] = liveEvents(ch2, 2, now);
        }
        // DSP_REG1: PH1 period [11:0], PH2 period [27:16], 8 µs units.
        int r1 = registers[Stpm34Map.DSP_REG1];
        if (channel1) {
            r1 = (r1 & ~0xFFF) | period(ch1, f);
        }
        if (channel2) {
            r1 = (r1 & ~0x0FFF0000) | (period(ch2, f) << 16);
        }
        registers[Stpm34Map.DSP_REG1] = r1;
        if (channel1 || channel2) {
            for (int t = 0; t < 4; t++) {
                registers[Stpm34Map.TOT_REG1 + t] =
                        (int) ((ch1.energy[t] + ch2.energy[t]) >> DspChannel.FRACTION_BITS);
            }
        }
    }

    /**
     * DSP_EV1/2 of a channel at the latched sample: energy signs and overflows (bits 0-11), the zero-crossing
     * bits C b12 and V b19 [model: read as the fundamental's polarity, 1 in the positive half-wave, the level
     * the ZCR pin shows], and the monitor's stuck, period-error and sag/swell history bits.
     */
    private int liveEvents(DspChannel c, int channel, long now) {
        int bits = energyEvents.latchBits(channel) | monitor.liveBits(channel, now);
        if (c.instI1 > 0) {
            bits |= DspMonitor.EV_C_ZCR;
        }
        if (c.instV1 > 0) {
            bits |= DspMonitor.EV_V_ZCR;
        }
        return bits;
    }

    private void latchChannel(int[] r, DspChannel c, double f, int inst, int rms, int times, int ph) {
        // DSP_REG2..5: instantaneous V, C; DSP_REG6..9: their fundamentals; 24 bits, x·2^23.
        double v = c.instV, i = c.instI, v1 = c.instV1, i1 = c.instI1;
        r[inst] = field(v, 0x1p23, 24);
        r[inst + 1] = field(i, 0x1p23, 24);
        r[inst + 4] = field(v1, 0x1p23, 24);
        r[inst + 5] = field(i1, 0x1p23, 24);
        // DSP_REG14/15: V RMS [14:0] (x·2^15), C RMS [31:15] (x·2^17).
        long vr = Math.min(0x7FFF, Math.round(c.vRms * 0x1p15));
        long ir = Math.min(0x1FFFF, Math.round(c.iRms * 0x1p17));
        r[rms] = (int) (vr | ir << 15);
        // DSP_REG17/19 C_PHA [27:16]: the current's lag behind the voltage in 8 µs units. The sag/swell time
        // fields (DSP_REG16/18, DSP_REG17/19 [14:0]) are filled in by the caller from the monitor.
        r[times] = 0;
        int pha = 0;
        if (c.v1Rms > 0 && c.i1Rms > 0) {
            pha = (int) Math.round(c.currentLag / (2 * Math.PI) / f / PERIOD_UNIT_SECONDS) & 0xFFF;
        }
        r[times + 1] = pha << 16;
        for (int t = 0; t < 4; t++) {
            r[ph + t] = c.register(t);
        }
        // PHx_REG5..11: powers, 29 bits signed, x²·2^28.
        r[ph + Stpm34Map.ACTIVE_POWER] = field(c.activePower, 0x1p28, 29);
        r[ph + Stpm34Map.FUNDAMENTAL_POWER] = field(c.fundamentalPower, 0x1p28, 29);
        r[ph + Stpm34Map.REACTIVE_POWER] = field(c.reactivePower, 0x1p28, 29);
        r[ph + Stpm34Map.APPARENT_RMS_POWER] = field(c.apparentRms, 0x1p28, 29);
        r[ph + Stpm34Map.APPARENT_VECTORIAL_POWER] = field(c.apparentVectorial, 0x1p28, 29);
        r[ph + Stpm34Map.MOMENTARY_ACTIVE_POWER] = field(v * i, 0x1p28, 29);
        r[ph + Stpm34Map.MOMENTARY_FUNDAMENTAL_POWER] = field(v1 * i1, 0x1p28, 29);
        r[ph + Stpm34Map.AH_ACC] = 0;
    }

    private static int period(DspChannel c, double f) {
        return c.v1Rms > 0 ? (int) Math.min(0xFFF, Math.round(1 / f / PERIOD_UNIT_SECONDS)) : 0;
    }

    /** A signed value scaled and rounded into the low {@code bits} bits (two's complement, saturating). */
    private static int field(double x, double scale, int bits) {
        long max = (1L << (bits - 1)) - 1;
        long v = Math.max(-max - 1, Math.min(max, Math.round(x * scale)));
        return (int) (v & ((1L << bits) - 1));
    }

    /** Global reset (SYN pulses or SW_Reset): accumulators, filters and timers back to their reset state. */
    public void reset() {
        advance();
        t0 = events.now();
        nextK = 0;
        ch1.reset();
        ch2.reset();
        led1.reset(0);
        led2.reset(0);
        monitor.reset();
        zcr.reset();
        energyEvents.reset();
        reload();
    }

    /** The index of the next sample not yet summed. */
    long nextSample() {
        return nextK;
    }

    /** The mains frequency of the state the DSP has loaded. */
    double frequencyHz() {
        return loaded.frequencyHz();
    }

    long sampleTime(long k) {
        return t0 + k * SAMPLE_NANOS;
    }

    /** The index of the last sample at or before {@code nanos}. */
    long sampleIndexAt(long nanos) {
        return Math.floorDiv(nanos - t0, SAMPLE_NANOS);
    }

    Outputs outputs() {
        return outputs;
    }
}
