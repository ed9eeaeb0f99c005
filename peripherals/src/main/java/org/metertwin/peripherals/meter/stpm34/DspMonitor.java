package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * Sag, swell, tamper, stuck-input and period-error detection, evaluated per stationary mains state (so a
 * state change is the only time a condition can start or end), and the sag/swell time counters. Status bit
 * positions: DS10272's tables as quoted in ST's metrology firmware comments (jeesang7/stm32
 * {@code Metrology/src/metrology.c}) and Carton32/stpm3x {@code stpm3x_internals.h}, which agree:
 * <ul>
 * <li>voltage sag: the voltage's peak stays below SAG_THRx (DSP_CR5/7 [31:22]) for SAG_TIME_THR (DSP_CR3
 * [13:0], 8 µs units): "sag start" (SR bit 26) then, and "sag end" (bit 27) when it rises above again;
 * <li>voltage swell: the peak exceeds SWV_THRx (DSP_CR5/7 [21:12]): bits 28 (start) and 29 (end);
 * <li>current swell: the current's peak exceeds SWC_THRx (DSP_CR6/8 [21:12]): bits 22 and 23;
 * <li>tamper (DSP_CR3 TMP_EN b19): the two current RMS readings differ by more than TMP_TOL[18:17] (12.5,
 * 8.33, 6.25, 3.125 %) of the larger: DSP_SR1 bit 30 when the mismatch starts.
 * </ul>
 * <li>stuck sigma-delta bitstream, voltage (SR bit 24) or current (bit 20) [model: taken to be an input
 * driven past the ADC's range, i.e. clipping; the datasheet's detection rule was not found];
 * <li>voltage period error (bit 25) [model: no fundamental voltage above one threshold LSB, or a frequency
 * outside {@link #PERIOD_MIN_HZ}..{@link #PERIOD_MAX_HZ}].
 * </ul>
 * Thresholds compare {@code peak·2^10} in the channel's x units, the scale of the threshold formula
 * {@code (V/VREF)·Av·√2·cal·R2/(R1+R2)·2^10}. Status goes to DSP_SR1 for channel 1, DSP_SR2 for channel 2.
 *
 * <p><b>Time counters</b> (ST's metrology.c "SAG and SWELL" notes): SagTime, SwellTime (voltage) and the
 * current's SwellTime are 15-bit counters at FClk = 125 kHz (8 µs), counting while the condition's live bit
 * SAG[0]/SWELL[0] is set, accumulating over events; "after overflow in SagTime the event is noted in SAG"
 * [model: each wrap of the counter sets the next bit of SAG[3:1], a thermometer code]. A 0 to 1 edge of
 * ClearSS (DSP_CR1/DSP_CR2 bit 4) clears the counters and histories [the CLRSS_TO timeout is not modelled:
 * the clear is immediate]. They read in DSP_REG16/18 (SWV_TIME [14:0], SAG_TIME [30:16]) and DSP_REG17/19
 * (SWC_TIME [14:0]), with the live histories in DSP_EV1/2 (SWC [18:15], SWV [25:22], SAG [29:26]).
 */
final class DspMonitor {
    static final int C_SWELL_START = 1 << 22, C_SWELL_END = 1 << 23, SAG_START = 1 << 26, SAG_END = 1 << 27,
            V_SWELL_START = 1 << 28, V_SWELL_END = 1 << 29, TAMPER = 1 << 30, C_STUCK = 1 << 20,
            V_STUCK = 1 << 24, V_PERIOD_ERROR = 1 << 25;
    /** DSP_EV1/2 live bits (besides the energy ones): zero crossing, stuck, period error, histories. */
    static final int EV_C_ZCR = 1 << 12, EV_C_STUCK = 1 << 13, EV_V_ZCR = 1 << 19, EV_V_STUCK = 1 << 20,
            EV_V_PERIOD_ERROR = 1 << 21, EV_C_SWELL_SHIFT = 15, EV_V_SWELL_SHIFT = 22, EV_SAG_SHIFT = 26;
    /** The frequency range outside which the period is "out of range" [model]. */
    static final double PERIOD_MIN_HZ = 40, PERIOD_MAX_HZ = 70;
    /** The time counters' clock: 125 kHz. */
    static final long TICK_NANOS = 8_000;
    /** Condition indices for the time counters: voltage sag, voltage swell, current swell. */
    private static final int SAG = 0, V_SWELL = 1, C_SWELL = 2;
    private static final double[] TAMPER_TOLERANCE = {0.125, 1 / 12.0, 0.0625, 0.03125};

    private final EventQueue events;
    private final Stpm34Dsp dsp;
    private final Event[] sagEvent = new Event[2];
    private final boolean[] sagging = new boolean[2], vSwell = new boolean[2], cSwell = new boolean[2];
    private boolean tamper;
    private final boolean[] vStuck = new boolean[2], cStuck = new boolean[2], periodError = new boolean[2];
    private final boolean[] clearSs = new boolean[2];
    /** Per channel and condition (index ch·3 + condition): since when it is live (if so), and time summed. */
    private final long[] since = new long[6], summed = new long[6];

    DspMonitor(String name, EventQueue events, Stpm34Dsp dsp) {
        this.events = events;
        this.dsp = dsp;
        for (int c = 0; c < 2; c++) {
            int sr = c + 1;
            sagEvent[c] = events.event(name + ".sag" + sr, when -> {
                sagging[sr - 1] = true;
                since[(sr - 1) * 3 + SAG] = when;
                dsp.outputs().status(sr, SAG_START);
            });
        }
    }

    /** Re-evaluates every condition for the state and settings in force from now on. */
    void check(int[] r, DspChannel c1, DspChannel c2) {
        channel(r, c1, 0);
        channel(r, c2, 1);
        int cr3 = r[Stpm34Map.DSP_CR3];
        boolean on = (cr3 & (1 << 19)) != 0;
        double a = c1.iRms, b = c2.iRms;
        boolean mismatch = on && Math.abs(a - b) > TAMPER_TOLERANCE[(cr3 >>> 17) & 3] * Math.max(a, b);
        if (mismatch && !tamper) {
            dsp.outputs().status(1, TAMPER);
        }
        tamper = mismatch;
    }

    private void channel(int[] r, DspChannel c, int i) {
        int sr = i + 1;
        int crV = r[i == 0 ? Stpm34Map.DSP_CR5 : Stpm34Map.DSP_CR7];
        int crC = r[i == 0 ? Stpm34Map.DSP_CR6 : Stpm34Map.DSP_CR8];
        double vPeak = c.voltagePeak * 1024, iPeak = c.currentPeak * 1024;
        boolean below = vPeak < (crV >>> 22);
        if (below) {
            if (!sagging[i] && !sagEvent[i].isScheduled()) {
                long window = (r[Stpm34Map.DSP_CR3] & 0x3FFF) * 8_000L;
                events.schedule(sagEvent[i], events.now() + window);
            }
        } else {
            events.cancel(sagEvent[i]);
            if (sagging[i]) {
                sagging[i] = false;
                stop(i, SAG);
                dsp.outputs().status(sr, SAG_END);
            }
        }
        boolean vs = vPeak > ((crV >>> 12) & 0x3FF);
        if (vs != vSwell[i]) {
            dsp.outputs().status(sr, vs ? V_SWELL_START : V_SWELL_END);
            vSwell[i] = vs;
            startOrStop(i, V_SWELL, vs);
        }
        boolean cs = iPeak > ((crC >>> 12) & 0x3FF);
        if (cs != cSwell[i]) {
            dsp.outputs().status(sr, cs ? C_SWELL_START : C_SWELL_END);
            cSwell[i] = cs;
            startOrStop(i, C_SWELL, cs);
        }
        // ClearSS: a 0 -> 1 edge clears the time counters and histories.
        boolean clear = (r[i == 0 ? Stpm34Map.DSP_CR1 : Stpm34Map.DSP_CR2] & (1 << 4)) != 0;
        if (clear && !clearSs[i]) {
            long now = events.now();
            for (int k = 0; k < 3; k++) {
                summed[i * 3 + k] = 0;
                since[i * 3 + k] = now;
            }
        }
        clearSs[i] = clear;
        int bits = 0;
        boolean vs2 = c.voltagePeak >= c.config.calV * (1 - 1e-12) && c.voltagePeak > 0;
        boolean cs2 = c.currentPeak >= c.config.calI * (1 - 1e-12) && c.currentPeak > 0;
        if (vs2 && !vStuck[i]) {
            bits |= V_STUCK;
        }
        if (cs2 && !cStuck[i]) {
            bits |= C_STUCK;
        }
        double f = dsp.frequencyHz();
        boolean pe = c.v1Peak() * 1024 < 1 || f < PERIOD_MIN_HZ || f > PERIOD_MAX_HZ;
        if (pe && !periodError[i]) {
            bits |= V_PERIOD_ERROR;
        }
        vStuck[i] = vs2;
        cStuck[i] = cs2;
        periodError[i] = pe;
        if (bits != 0) {
            dsp.outputs().status(sr, bits);
        }
    }

    private void startOrStop(int ch, int condition, boolean live) {
        if (live) {
            since[ch * 3 + condition] = events.now();
        } else {
            stop(ch, condition);
        }
    }

    private void stop(int ch, int condition) {
        summed[ch * 3 + condition] += events.now() - since[ch * 3 + condition];
    }

    private boolean live(int ch, int condition) {
        return switch (condition) {
            case SAG -> sagging[ch];
            case V_SWELL -> vSwell[ch];
            default -> cSwell[ch];
        };
    }

    /** The condition's time in 8 µs ticks, up to {@code now}. */
    private long ticks(int ch, int condition, long now) {
        int j = ch * 3 + condition;
        long t = summed[j] + (live(ch, condition) ? now - since[j] : 0);
        return t / TICK_NANOS;
    }

    /** SAG[3:0] / SWELL[3:0]: bit 0 live, bits 1-3 one per counter wrap (thermometer) [model]. */
    private int history(int ch, int condition, long now) {
        long wraps = Math.min(3, ticks(ch, condition, now) >>> 15);
        return (live(ch, condition) ? 1 : 0) | (int) ((1 << (wraps + 1)) - 2);
    }

    /** DSP_REG16/18: SWV_TIME [14:0], SAG_TIME [30:16] of channel {@code ch} (1 or 2) at {@code now}. */
    int voltageTimes(int ch, long now) {
        int i = ch - 1;
        return (int) (ticks(i, V_SWELL, now) & 0x7FFF) | (int) (ticks(i, SAG, now) & 0x7FFF) << 16;
    }

    /** DSP_REG17/19 SWC_TIME [14:0] of channel {@code ch} at {@code now}. */
    int currentSwellTime(int ch, long now) {
        return (int) (ticks(ch - 1, C_SWELL, now) & 0x7FFF);
    }

    /** DSP_EV1/2 bits 13-29 of channel {@code ch} (the zero-crossing bits are the caller's). */
    int liveBits(int ch, long now) {
        int i = ch - 1;
        int bits = (cStuck[i] ? EV_C_STUCK : 0) | (vStuck[i] ? EV_V_STUCK : 0)
                | (periodError[i] ? EV_V_PERIOD_ERROR : 0);
        bits |= history(i, C_SWELL, now) << EV_C_SWELL_SHIFT;
        bits |= history(i, V_SWELL, now) << EV_V_SWELL_SHIFT;
        bits |= history(i, SAG, now) << EV_SAG_SHIFT;
        return bits;
    }

    void reset() {
        for (int i = 0; i < 2; i++) {
            events.cancel(sagEvent[i]);
            sagging[i] = false;
            vSwell[i] = false;
            cSwell[i] = false;
            vStuck[i] = false;
            cStuck[i] = false;
            periodError[i] = false;
        }
        java.util.Arrays.fill(summed, 0);
        tamper = false;
    }
}
