package org.metertwin.peripherals.meter.pulse;

/**
 * What a meter test bench does with the meter's pulse output (the method of IEC 62053-21 accuracy tests with a
 * pulse counter): it counts the pulses whose leading edge falls within a gate {@code [open, close)} and turns
 * the count into energy with the meter constant, {@code energy = pulses / constant} (constant in imp/kWh).
 * The gate is set in virtual time, before or after the pulses happen, as long as the pulses are still to
 * come when it is set: the bench listens to the output from the moment it is built.
 */
public final class ReferenceMeter {
    private final double impulsesPerKwh;
    private long open = Long.MAX_VALUE, close = Long.MAX_VALUE;
    private long pulses;

    public ReferenceMeter(PulseOutput output, double impulsesPerKwh) {
        if (!(impulsesPerKwh > 0)) {
            throw new IllegalArgumentException("meter constant must be > 0 imp/kWh, got " + impulsesPerKwh);
        }
        this.impulsesPerKwh = impulsesPerKwh;
        output.listen((start, width) -> {
            if (start >= open && start < close) {
                pulses++;
            }
        });
    }

    /** Sets the gate to {@code [openNanos, closeNanos)} and clears the count. */
    public void gate(long openNanos, long closeNanos) {
        if (closeNanos < openNanos) {
            throw new IllegalArgumentException("gate closes (" + closeNanos + " ns) before it opens (" + openNanos
                    + " ns)");
        }
        open = openNanos;
        close = closeNanos;
        pulses = 0;
    }

    /** Pulses counted in the gate. */
    public long pulses() {
        return pulses;
    }

    /** The energy the counted pulses stand for, in kWh. */
    public double energyKwh() {
        return pulses / impulsesPerKwh;
    }

    /** The mean power over the gate in W: energy in Wh over the gate's length in hours. */
    public double averagePowerW() {
        double hours = (close - open) / 3.6e12;
        return energyKwh() * 1000 / hours;
    }

    /** The meter's error against the energy the bench's own standard measured: (meter - true) / true in %. */
    public double errorPercent(double trueKwh) {
        return (energyKwh() - trueKwh) / trueKwh * 100;
    }
}
