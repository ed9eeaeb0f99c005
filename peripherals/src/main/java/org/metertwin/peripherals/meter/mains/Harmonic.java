package org.metertwin.peripherals.meter.mains;

/**
 * One sinusoidal component of a mains quantity: {@code rms·√2·sin(order·θ + phase)}, where θ is the
 * fundamental's angle ({@link Mains#angleAt}). Order 1 is the fundamental; the phase is in radians.
 */
public record Harmonic(int order, double rms, double phase) {
    public Harmonic {
        if (order < 1) {
            throw new IllegalArgumentException("harmonic order must be 1 or more, got " + order);
        }
        if (!(rms >= 0) || !Double.isFinite(rms) || !Double.isFinite(phase)) {
            throw new IllegalArgumentException("harmonic " + order + ": rms must be finite and >= 0, phase finite");
        }
    }
}
