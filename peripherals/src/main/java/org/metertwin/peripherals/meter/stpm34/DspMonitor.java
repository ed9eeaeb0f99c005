package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * Sag, swell and tamper detection, evaluated per stationary mains state (so a state change is the only
 * time a condition can start or end). Thresholds and bits as the register map gives them
 * (docs/meter-devices.md ("STPM34 analog front end"); the status bit positions are from the research notes, not checked against the
 * datasheet):
 * <ul>
 * <li>voltage sag: the voltage's peak stays below SAG_THRx (DSP_CR5/7 [31:22]) for SAG_TIME_THR (DSP_CR3
 * [13:0], 8 µs units): "sag start" (SR bit 26) then, and "sag end" (bit 27) when it rises above again;
 * <li>voltage swell: the peak exceeds SWV_THRx (DSP_CR5/7 [21:12]): bits 28 (start) and 29 (end);
 * <li>current swell: the current's peak exceeds SWC_THRx (DSP_CR6/8 [21:12]): bits 22 and 23;
 * <li>tamper (DSP_CR3 TMP_EN b19): the two current RMS readings differ by more than TMP_TOL[18:17] (12.5,
 * 8.33, 6.25, 3.125 %) of the larger: DSP_SR1 bit 30 when the mismatch starts.
 * </ul>
 * Thresholds compare {@code peak·2^10} in the channel's x units, the scale of the threshold formula
 * {@code (V/VREF)·Av·√2·cal·R2/(R1+R2)·2^10}. Status goes to DSP_SR1 for channel 1, DSP_SR2 for channel 2.
 */
final class DspMonitor {
    static final int C_SWELL_START = 1 << 22, C_SWELL_END = 1 << 23, SAG_START = 1 << 26, SAG_END = 1 << 27,
            V_SWELL_START = 1 << 28, V_SWELL_END = 1 << 29, TAMPER = 1 << 30;
    private static final double[] TAMPER_TOLERANCE = {0.125, 1 / 12.0, 0.0625, 0.03125};

    private final EventQueue events;
    private final Stpm34Dsp dsp;
    private final Event[] sagEvent = new Event[2];
    private final boolean[] sagging = new boolean[2], vSwell = new boolean[2], cSwell = new boolean[2];
    private boolean tamper;

    DspMonitor(String name, EventQueue events, Stpm34Dsp dsp) {
        this.events = events;
        this.dsp = dsp;
        for (int c = 0; c < 2; c++) {
            int sr = c + 1;
            sagEvent[c] = events.event(name + ".sag" + sr, when -> {
                sagging[sr - 1] = true;
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
                dsp.outputs().status(sr, SAG_END);
            }
        }
        boolean vs = vPeak > ((crV >>> 12) & 0x3FF);
        if (vs != vSwell[i]) {
            dsp.outputs().status(sr, vs ? V_SWELL_START : V_SWELL_END);
            vSwell[i] = vs;
        }
        boolean cs = iPeak > ((crC >>> 12) & 0x3FF);
        if (cs != cSwell[i]) {
            dsp.outputs().status(sr, cs ? C_SWELL_START : C_SWELL_END);
            cSwell[i] = cs;
        }
    }

    void reset() {
        for (int i = 0; i < 2; i++) {
            events.cancel(sagEvent[i]);
            sagging[i] = false;
            vSwell[i] = false;
            cSwell[i] = false;
        }
        tamper = false;
    }
}
