package org.metertwin.scenario;

import java.util.List;

/**
 * A scenario file exactly as written (docs/scenarios.md): what Jackson reads, before any checks. Durations
 * are still text and absent fields are null; {@link ScenarioLoader} checks everything and builds the
 * {@link Scenario}.
 */
public record ScenarioFile(String meter, String start, String duration, MainsSpec mains, List<LoadStep> load,
                           List<SupplyChange> supply, List<ExpectSpec> expect) {

    /** The supply at the start: voltage (V RMS) and frequency (Hz). */
    public record MainsSpec(Double voltage, Double frequency) {
    }

    /** From {@code at} on, the load draws this current (or this power) at this power factor. */
    public record LoadStep(String at, Double current, Double power, Double powerFactor, Boolean lagging,
                           Boolean leading, String direction, Double neutralCurrent, List<HarmonicSpec> harmonics) {
    }

    /** A harmonic of the load current: order (2 and up), RMS current in A, phase in degrees. */
    public record HarmonicSpec(Integer order, Double current, Double phase) {
    }

    /** From {@code at} on the supply has a new voltage and/or frequency, or is cut for {@code powerCut}. */
    public record SupplyChange(String at, Double voltage, Double frequency, String powerCut) {
    }

    /** One expectation: a register, the pulse count or an event count. */
    public record ExpectSpec(String register, Double value, Double tolerance, Double tolerancePercent, Long pulses,
                             String event, Long count) {
    }
}
