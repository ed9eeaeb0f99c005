package org.metertwin.peripherals.meter.mains;

/**
 * What a single-phase supply point looks like while nothing changes: the frequency, the line-to-neutral
 * voltage, the current in the phase conductor and the current returning in the neutral conductor. In a
 * healthy installation the two currents are equal; they differ when part of the load returns through earth
 * or the meter is bypassed (the tamper cases an anti-tamper meter measures both for).
 */
public record MainsState(double frequencyHz, AcQuantity voltage, AcQuantity phaseCurrent,
        AcQuantity neutralCurrent) {
    /** No supply at all. The frequency is nominal so that angles stay defined. */
    public static final MainsState OFF = new MainsState(50, AcQuantity.ZERO, AcQuantity.ZERO, AcQuantity.ZERO);

    public MainsState {
        if (!(frequencyHz > 0) || !Double.isFinite(frequencyHz)) {
            throw new IllegalArgumentException("frequency must be > 0 Hz, got " + frequencyHz);
        }
    }

    /**
     * A sinusoidal supply with a linear load: voltage {@code vRms} at phase 0, the current {@code iRms}
     * lagging it by {@code phi} radians (positive phi: inductive, importing reactive energy), the same in
     * phase and neutral.
     */
    public static MainsState sinusoidal(double frequencyHz, double vRms, double iRms, double phi) {
        AcQuantity i = AcQuantity.sine(iRms, -phi);
        return new MainsState(frequencyHz, AcQuantity.sine(vRms, 0), i, i);
    }

    public MainsState withCurrents(AcQuantity phase, AcQuantity neutral) {
        return new MainsState(frequencyHz, voltage, phase, neutral);
    }
}
