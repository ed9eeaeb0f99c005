package org.metertwin.peripherals.meter.mains;

import java.util.List;

/**
 * A stationary periodic quantity (a voltage in volts or a current in amperes): a DC part plus harmonics of
 * the mains fundamental. Immutable.
 */
public record AcQuantity(double dc, List<Harmonic> harmonics) {
    public static final AcQuantity ZERO = new AcQuantity(0, List.of());

    public AcQuantity {
        harmonics = List.copyOf(harmonics);
        if (!Double.isFinite(dc)) {
            throw new IllegalArgumentException("dc must be finite");
        }
    }

    /** A pure sine at the fundamental: {@code rms·√2·sin(θ + phase)}. */
    public static AcQuantity sine(double rms, double phase) {
        return rms == 0 ? ZERO : new AcQuantity(0, List.of(new Harmonic(1, rms, phase)));
    }

    /** True RMS: the root of the sum of squares of the DC part and every harmonic's RMS. */
    public double rms() {
        double s = dc * dc;
        for (Harmonic h : harmonics) {
            s += h.rms() * h.rms();
        }
        return Math.sqrt(s);
    }
}
