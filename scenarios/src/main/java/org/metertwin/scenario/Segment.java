package org.metertwin.scenario;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * A stretch of the scenario during which nothing changes: the supply (voltage, frequency, or cut) and the
 * load (fundamental current and its angle, neutral current, harmonic currents). The voltage is a pure
 * sine at angle 0; the load current's fundamental is at {@code currentAngle} radians from it (negative:
 * lagging), so active power is V·I·cos(angle) and reactive power −V·I·sin(angle), positive when inductive.
 */
public record Segment(long startNanos, long endNanos, boolean powered, double voltage, double frequency,
                      double current, double currentAngle, double neutralCurrent, List<Harmonic> harmonics) {
    public Segment {
        harmonics = List.copyOf(harmonics);
    }

    public long nanos() {
        return endNanos - startNanos;
    }

    /** Watts drawn from the supply (negative: exported); zero while the supply is cut. */
    public double activePower() {
        return powered ? voltage * current * Math.cos(currentAngle) : 0;
    }

    /** Vars of the fundamental (positive: inductive, quadrants I and II). */
    public double reactivePower() {
        return powered ? -voltage * current * Math.sin(currentAngle) : 0;
    }

    /** RMS apparent power V·I, with I the true RMS of the current including its harmonics. */
    public double apparentPower() {
        return powered ? voltage * phaseCurrent().rms() : 0;
    }

    /** What the meter's terminals see during this segment. */
    public MainsState mainsState() {
        if (!powered) {
            return new MainsState(frequency, AcQuantity.ZERO, AcQuantity.ZERO, AcQuantity.ZERO);
        }
        AcQuantity phase = phaseCurrent();
        double rms = phase.rms();
        AcQuantity neutral;
        if (neutralCurrent == rms) {
            neutral = phase;
        } else if (rms == 0) {
            neutral = AcQuantity.sine(neutralCurrent, currentAngle);
        } else {
            double k = neutralCurrent / rms; // the same waveform, scaled: part of the load bypasses the meter
            List<Harmonic> scaled = new ArrayList<>();
            for (Harmonic h : phase.harmonics()) {
                scaled.add(new Harmonic(h.order(), h.rms() * k, h.phase()));
            }
            neutral = new AcQuantity(0, scaled);
        }
        return new MainsState(frequency, AcQuantity.sine(voltage, 0), phase, neutral);
    }

    private AcQuantity phaseCurrent() {
        List<Harmonic> list = new ArrayList<>();
        if (current > 0) {
            list.add(new Harmonic(1, current, currentAngle));
        }
        for (Harmonic h : harmonics) {
            if (h.rms() > 0) {
                list.add(h);
            }
        }
        return list.isEmpty() ? AcQuantity.ZERO : new AcQuantity(0, list);
    }
}
