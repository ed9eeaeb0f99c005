package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;

/**
 * CONTRACT SKELETON (to be implemented): the STPM34's analog front end and hard-wired DSP.
 *
 * <p>It reads its configuration from the device's register array (DSP_CR1..DFE_CR2, indexed as in
 * {@link Stpm34Map}), senses the {@link Mains} through the board's {@link SensorNetwork}, and keeps the live
 * data registers (DSP_EV1..TOT_REG4) up to date lazily: nothing runs per sample while the input is
 * stationary. Every call happens at the event queue's present time ({@link EventQueue#now()}).
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

    public Stpm34Dsp(String name, EventQueue events, Mains mains, SensorNetwork sensors, int[] registers,
            Outputs outputs) {
    }

    /** Call after the device wrote a configuration register (the DSP was brought up to now before). */
    public void configChanged(int register) {
    }

    /** Brings the live state up to the present; call before a configuration write. */
    public void advance() {
    }

    /**
     * Copies the live data of channel 1 and/or 2 (and the totals, and DSP_EV/DSP_REG fields of that
     * channel) into the data registers of {@code registers}, as a latch does.
     */
    public void latch(int[] registers, boolean channel1, boolean channel2) {
    }

    /** Global reset (SYN pulses or SW_Reset): accumulators, filters and timers back to their reset state. */
    public void reset() {
    }
}
