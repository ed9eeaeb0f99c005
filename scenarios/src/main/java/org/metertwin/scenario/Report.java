package org.metertwin.scenario;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of a run (docs/scenarios.md, "Report"). Everything but {@code wallSeconds} and
 * {@code speedFactor} depends only on the scenario and the firmware, so two runs give the same bytes there.
 */
@JsonPropertyOrder({"scenario", "meter", "start", "durationSeconds", "energy", "trueEnergy", "errorPercent", "pulses",
        "events", "expectations", "pass", "wallSeconds", "speedFactor"})
public record Report(String scenario, String meter, String start, double durationSeconds, Energies energy,
                     Energies trueEnergy, Map<String, Double> errorPercent, long pulses, List<MeterEvent> events,
                     List<ExpectationResult> expectations, boolean pass, double wallSeconds, double speedFactor) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Report of(Scenario scenario, ScenarioRunner.Result result, long wallNanos) {
        RunOutcome o = result.outcome();
        Map<String, Double> error = new LinkedHashMap<>();
        for (String name : Energies.NAMES) {
            error.put(name, errorPercent(o.energy().get(name), o.trueEnergy().get(name)));
        }
        double seconds = scenario.durationNanos() / 1e9;
        double wall = wallNanos / 1e9;
        return new Report(scenario.name(), scenario.meter(), scenario.start(), seconds, o.energy(), o.trueEnergy(),
                error, o.pulses(), o.events(), result.expectations(), result.passed(), wall,
                wall > 0 ? seconds / wall : 0);
    }

    /** (measured − true) / true in percent; null when the true value is zero (no error can be stated). */
    static Double errorPercent(double measured, double truth) {
        return truth == 0 ? null : (measured - truth) / truth * 100;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report cannot be written as JSON", e);
        }
    }
}
