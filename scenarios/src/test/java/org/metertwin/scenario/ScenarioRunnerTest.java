package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.meter.mains.MainsState;

class ScenarioRunnerTest {
    private static final long MINUTE = 60_000_000_000L;

    private static Scenario parse(String yaml) throws ScenarioException {
        return ScenarioLoader.parse("r.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void setsTheTerminalsAtEachChangeAfterRunningUpToIt() throws Exception {
        Scenario s = parse("""
                duration: 1h
                load: [ { at: 0s, current: 10 }, { at: 20m, current: 5, powerFactor: 0.5, lagging: true } ]
                supply: [ { at: 30m, powerCut: 1m } ]
                """);
        FakeMeter m = new FakeMeter();
        m.now = 7; // the meter need not start at zero: the scenario is relative to its start
        ScenarioRunner.run(s, m, Progress.none());
        assertThat(m.changes).extracting(FakeMeter.Change::atNanos)
                .containsExactly(7L, 7 + 20 * MINUTE, 7 + 30 * MINUTE, 7 + 31 * MINUTE, 7 + 60 * MINUTE);
        assertThat(m.changes.get(0).state()).isEqualTo(MainsState.sinusoidal(50, 230, 10, 0));
        assertThat(m.changes.get(2).state().voltage().rms()).isZero();
        assertThat(m.changes.get(2).state().phaseCurrent().rms()).isZero();
        assertThat(m.changes.get(3).state().phaseCurrent().rms()).isEqualTo(5.0); // the load is back after the cut
        // at the end the load goes and the meter settles, under voltage, before it is read
        assertThat(m.changes.get(4).state()).isEqualTo(MainsState.sinusoidal(50, 230, 0, 0));
        // fixed virtual-time steps of 18 s, plus the change times that do not fall on one (20m and 31m)
        assertThat(m.runs).hasSize(ScenarioRunner.STEPS + 3).contains(7 + 20 * MINUTE, 7 + 31 * MINUTE, 7 + 60 * MINUTE)
                .last().isEqualTo(7 + 60 * MINUTE + ScenarioRunner.SETTLE_NANOS);
        assertThat(m.runs).isSorted();
    }

    @Test
    void readsTheMeterAndEvaluatesExpectationsAgainstTheExactIntegral() throws Exception {
        Scenario s = parse("""
                duration: 1h
                load: [ { at: 0s, current: 10 } ]
                expect:
                  - { register: activeImportWh, tolerancePercent: 0.02 }
                  - { register: apparentVAh, value: 2300, tolerance: 0.1 }
                  - { pulses: 2300, tolerance: 1 }
                  - { event: powerDown, count: 0 }
                """);
        FakeMeter m = new FakeMeter();
        m.registers = new long[] {2_300_400, 0, 0, 0, 0, 0, 2_299_850};
        m.pulses = 2298;
        ScenarioRunner.Result r = ScenarioRunner.run(s, m, Progress.none());
        assertThat(r.outcome().energy().activeImportWh()).isEqualTo(2300.4);
        assertThat(r.outcome().trueEnergy().activeImportWh()).isEqualTo(2300.0);
        assertThat(r.expectations()).extracting(ExpectationResult::pass).containsExactly(true, false, false, true);
        assertThat(r.expectations().get(0).tolerance()).isCloseTo(0.46, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.passed()).isFalse();
    }

    @Test
    void noExpectationsPass() throws Exception {
        FakeMeter m = new FakeMeter();
        m.events = List.of(MeterEvent.of(0x20, 2, 1, 12));
        ScenarioRunner.Result r = ScenarioRunner.run(parse("duration: 10s\n"), m, Progress.none());
        assertThat(r.passed()).isTrue();
        assertThat(r.outcome().events()).containsExactly(new MeterEvent(0x20, "calibrationDefaults", "instant", 1, 12));
    }
}
