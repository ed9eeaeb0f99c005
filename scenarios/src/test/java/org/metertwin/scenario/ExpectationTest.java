package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationTest {
    private static final Energies TRUE = new Energies(2875, 0, 995.929, 0, 3450);
    private static final List<MeterEvent> EVENTS = List.of(MeterEvent.of(0x01, 2, 1, 1_800_000),
            MeterEvent.of(0x02, 2, 2, 0), MeterEvent.of(0x12, 1, 2, 10), MeterEvent.of(0x12, 0, 2, 20));

    private static RunOutcome run(double activeImport, long pulses) {
        return new RunOutcome(new Energies(activeImport, 0, 995.0, 0, 3449), TRUE, pulses, EVENTS);
    }

    @Test
    void percentToleranceIsOfTheExpectedValueAndInclusive() {
        var e = new Expectation.Register("activeImportWh", 2875.0, 0.1, true);
        assertThat(e.evaluate(run(2877.875, 0))).isEqualTo(
                new ExpectationResult("activeImportWh", 2875.0, 2877.875, 2.875, true));
        assertThat(e.evaluate(run(2877.9, 0)).pass()).isFalse();
        assertThat(e.evaluate(run(2872.2, 0)).pass()).isTrue();
    }

    @Test
    void withoutAValueTheExactIntegralIsExpected() {
        var e = new Expectation.Register("reactiveImportVarh", null, 1.0, false);
        assertThat(e.evaluate(run(0, 0))).isEqualTo(new ExpectationResult("reactiveImportVarh", 995.929, 995.0, 1.0,
                true));
    }

    @Test
    void pulsesWithinWholePulses() {
        var e = new Expectation.Pulses(2875, 1);
        assertThat(e.evaluate(run(0, 2874)).pass()).isTrue();
        assertThat(e.evaluate(run(0, 2876)).pass()).isTrue();
        assertThat(e.evaluate(run(0, 2873))).isEqualTo(new ExpectationResult("pulses", 2875, 2873, 1, false));
    }

    @Test
    void eventsCountStartsAndInstantsNotEnds() {
        assertThat(new Expectation.Event(EventCode.POWER_DOWN, 1).evaluate(run(0, 0)).pass()).isTrue();
        assertThat(new Expectation.Event(EventCode.LOSS_OF_VOLTAGE, 1).evaluate(run(0, 0))).isEqualTo(
                new ExpectationResult("event lossOfVoltage", 1, 1, 0, true));
        assertThat(new Expectation.Event(EventCode.REVERSE_POWER, 1).evaluate(run(0, 0)).pass()).isFalse();
    }
}
