package org.metertwin.scenario;

/**
 * What a scenario expects at its end. {@code tolerance} is absolute, in the quantity's unit.
 */
public sealed interface Expectation {
    /** Checks the expectation against a finished run. */
    ExpectationResult evaluate(RunOutcome run);

    /**
     * An energy register within {@code tolerance} of {@code value}; a null value stands for the exact
     * integral of the scenario, and a tolerance in percent is taken of the expected value.
     */
    record Register(String register, Double value, double tolerance, boolean percent) implements Expectation {
        public ExpectationResult evaluate(RunOutcome run) {
            double expected = value != null ? value : run.trueEnergy().get(register);
            double tol = percent ? Math.abs(expected) * tolerance / 100 : tolerance;
            double actual = run.energy().get(register);
            return new ExpectationResult(register, expected, actual, tol, Math.abs(actual - expected) <= tol);
        }
    }

    /** The number of LED pulses within {@code tolerance} pulses of {@code value}. */
    record Pulses(long value, long tolerance) implements Expectation {
        public ExpectationResult evaluate(RunOutcome run) {
            long actual = run.pulses();
            return new ExpectationResult("pulses", value, actual, tolerance, Math.abs(actual - value) <= tolerance);
        }
    }

    /** Exactly {@code count} occurrences (start or instant records) of an event in the log. */
    record Event(EventCode event, long count) implements Expectation {
        public ExpectationResult evaluate(RunOutcome run) {
            long actual = run.events().stream().filter(e -> e.code() == event.code && e.isOccurrence()).count();
            return new ExpectationResult("event " + event.scenarioName, count, actual, 0, actual == count);
        }
    }
}
