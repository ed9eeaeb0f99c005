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

    /** The value at fundamental angle θ (radians). */
    public double valueAt(double theta) {
        double v = dc;
        for (int i = 0; i < harmonics.size(); i++) {
            Harmonic h = harmonics.get(i);
            v += h.rms() * Math.sqrt(2) * Math.sin(h.order() * theta + h.phase());
        }
        return v;
    }

    /** The RMS of the fundamental component (order 1), 0 when there is none. */
    public double fundamentalRms() {
        for (Harmonic h : harmonics) {
            if (h.order() == 1) {
                return h.rms();
            }
        }
        return 0;
    }

    /** This quantity scaled by a factor (a sensor's transfer ratio). */
    public AcQuantity scaled(double k) {
        return new AcQuantity(dc * k, harmonics.stream().map(h -> new Harmonic(h.order(), h.rms() * Math.abs(k),
                k < 0 ? h.phase() + Math.PI : h.phase())).toList());
    }
}
