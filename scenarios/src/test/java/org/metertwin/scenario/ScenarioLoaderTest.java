package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.peripherals.meter.mains.MainsState;

/** The loader: a good file, then every error with its exact one-line message. */
class ScenarioLoaderTest {
    private static final long MINUTE = 60_000_000_000L;

    private static Scenario parse(String yaml) throws ScenarioException {
        return ScenarioLoader.parse("s.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String yaml) {
        try {
            parse(yaml);
        } catch (ScenarioException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void theIssueExampleBecomesTwoSegments() throws Exception {
        Scenario s = parse("""
                meter: metrology        # the legal core alone
                start: 2026-01-01T00:00:00Z
                duration: 2h
                mains: { voltage: 230.0, frequency: 50.0 }
                load:
                  - { at: 0s, current: 10.0, powerFactor: 1.0 }
                  - { at: 1h, current: 5.0, powerFactor: 0.5, lagging: true }
                expect:
                  - { register: activeImportWh, value: 2875.0, tolerancePercent: 0.1 }
                """);
        assertThat(s.name()).isEqualTo("s.yaml");
        assertThat(s.meter()).isEqualTo("metrology");
        assertThat(s.start()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(s.durationNanos()).isEqualTo(120 * MINUTE);
        assertThat(s.segments()).hasSize(2);
        Segment second = s.segments().get(1);
        assertThat(second.startNanos()).isEqualTo(60 * MINUTE);
        assertThat(second.endNanos()).isEqualTo(120 * MINUTE);
        // lagging 60°: the current's phase is −60° (MainsState.sinusoidal's convention for a positive phi)
        MainsState state = second.mainsState();
        assertThat(state.voltage()).isEqualTo(MainsState.sinusoidal(50, 230, 5, Math.PI / 3).voltage());
        assertThat(state.phaseCurrent().harmonics()).singleElement().satisfies(h -> {
            assertThat(h.rms()).isEqualTo(5.0);
            assertThat(h.phase()).isCloseTo(-Math.PI / 3, within(1e-12));
        });
        assertThat(state.neutralCurrent()).isEqualTo(state.phaseCurrent());
        assertThat(s.expectations()).containsExactly(new Expectation.Register("activeImportWh", 2875.0, 0.1, true));
    }

    @Test
    void defaultsAreTheMetrologyMeterAt230VoltsAnd50HertzWithNoLoad() throws Exception {
        Scenario s = parse("duration: 15m\n");
        assertThat(s.meter()).isEqualTo("metrology");
        assertThat(s.segments()).singleElement().satisfies(seg -> {
            assertThat(seg.voltage()).isEqualTo(230.0);
            assertThat(seg.frequency()).isEqualTo(50.0);
            assertThat(seg.current()).isZero();
            assertThat(seg.powered()).isTrue();
        });
    }

    @Test
    void powerCutSplitsTheTimelineAndRestoresTheSupply() throws Exception {
        Scenario s = parse("""
                duration: 1h
                load: [ { at: 0s, current: 10 }, { at: 30m5s, current: 2 } ]
                supply: [ { at: 30m, powerCut: 10s }, { at: 40m, frequency: 60 } ]
                """);
        assertThat(s.segments()).extracting(Segment::startNanos).containsExactly(0L, 30 * MINUTE,
                30 * MINUTE + 5_000_000_000L, 30 * MINUTE + 10_000_000_000L, 40 * MINUTE);
        assertThat(s.segments()).extracting(Segment::powered).containsExactly(true, false, false, true, true);
        assertThat(s.segments().get(1).mainsState().voltage().rms()).isZero();
        assertThat(s.segments().get(3).current()).isEqualTo(2.0); // the load changed during the cut
        assertThat(s.segments().get(4).frequency()).isEqualTo(60.0);
    }

    @Test
    void tamperNeutralCurrentAndPowerLoads() throws Exception {
        Scenario s = parse("""
                duration: 1h
                mains: { voltage: 200 }
                load: [ { at: 0s, power: 1000, powerFactor: 0.5, neutralCurrent: 1.5 } ]
                """);
        Segment seg = s.segments().get(0);
        assertThat(seg.current()).isCloseTo(10.0, within(1e-12)); // 1000 W / (200 V · 0.5)
        assertThat(seg.mainsState().neutralCurrent().rms()).isCloseTo(1.5, within(1e-12));
        assertThat(seg.mainsState().phaseCurrent().rms()).isCloseTo(10.0, within(1e-12));
    }

    @Test
    void loadsFromAFileAndNamesTheScenarioAfterIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("day.yaml");
        Files.writeString(f, "duration: 1d\n");
        assertThat(ScenarioLoader.load(f).name()).isEqualTo("day.yaml");
        assertThatThrownBy(() -> ScenarioLoader.load(dir.resolve("none.yaml")))
                .hasMessage(dir.resolve("none.yaml") + ": no such file");
    }

    @Test
    void jacksonErrorsNameLineColumnFieldAndWhatWasExpected() {
        assertThat(error("duration: 2h\nload:\n  - { at: 0s, curent: 10.0 }\n")).isEqualTo(
                "s.yaml:3:15: load[0].curent: unknown field; expected one of at, current, direction, harmonics,"
                        + " lagging, leading, neutralCurrent, power, powerFactor");
        assertThat(error("duration: 2h\nload:\n  - { at: 0s, current: abc }\n"))
                .isEqualTo("s.yaml:3:24: load[0].current: expected a number, got 'abc'");
        assertThat(error("duration: 2h\nload:\n  - { at: 0s, current: 1, lagging: 3 }\n"))
                .isEqualTo("s.yaml:3:36: load[0].lagging: expected true or false, got '3'");
        assertThat(error("duration: 2h\nload: { at: 0s }\n")).isEqualTo("s.yaml:2:7: load: expected a list, got a map");
        assertThat(error("duration: 2h\nmains: { voltage: \"230\" }\n"))
                .isEqualTo("s.yaml:2:19: mains.voltage: expected a number, got '230'");
        assertThat(error("duration: 2h\nexpect:\n  - { pulses: 2.5 }\n"))
                .isEqualTo("s.yaml:3:15: expect[0].pulses: expected a whole number, got '2.5'");
        assertThat(error("- 1\n- 2\n")).isEqualTo("s.yaml:1:1: expected a map of fields, got a list");
        assertThat(error("duration: 2h\nduration: 3h\n")).isEqualTo("s.yaml:2:1: duration: appears twice, expected once");
        assertThat(error("duration: 2h\n  bad: [\n")).startsWith("s.yaml:2:6: not valid YAML: ");
        assertThat(error("# nothing\n")).isEqualTo("s.yaml: empty scenario, expected at least meter and duration");
    }

    @Test
    void topLevelChecks() {
        assertThat(error("meter: full\nduration: 2h\n"))
                .isEqualTo("s.yaml:1:8: meter: expected metrology (the legal core alone), got 'full'");
        assertThat(error("meter: metrology\n")).isEqualTo("s.yaml:1:1: duration: required field is missing (such as 2h)");
        assertThat(error("duration: -2h\n")).isEqualTo(
                "s.yaml:1:11: duration: expected a duration such as 500ms, 30s, 15m, 2h, 1d or 1h30m, got '-2h'");
        assertThat(error("duration: 0s\n")).isEqualTo("s.yaml:1:11: duration: expected more than zero, got '0s'");
        assertThat(error("start: yesterday\nduration: 2h\n")).isEqualTo(
                "s.yaml:1:8: start: expected a date and time such as 2026-01-01T00:00:00Z, got 'yesterday'");
        assertThat(error("duration: 2h\nmains: { voltage: -1 }\n"))
                .isEqualTo("s.yaml:2:19: mains.voltage: expected 0 to 1000 V, got -1.0");
        assertThat(error("duration: 2h\nmains: { frequency: 0 }\n"))
                .isEqualTo("s.yaml:2:21: mains.frequency: expected 1 to 1000 Hz, got 0.0");
    }

    @Test
    void loadChecks() {
        String head = "duration: 2h\nload:\n";
        assertThat(error(head + "  - { at: 0s, current: 10 }\n  - { at: 3h, current: 5 }\n"))
                .isEqualTo("s.yaml:4:11: load[1].at: expected a time before the end of the scenario (2h), got '3h'");
        assertThat(error(head + "  - { at: 1h, current: 10 }\n  - { at: 30m, current: 5 }\n"))
                .isEqualTo("s.yaml:4:11: load[1].at: expected a time after load[0].at (1h), got '30m'");
        assertThat(error(head + "  - { at: 1h, current: 10 }\n  - { at: 1h, current: 5 }\n"))
                .isEqualTo("s.yaml:4:11: load[1].at: expected a time after load[0].at (1h), got '1h'");
        assertThat(error(head + "  - { current: 10 }\n"))
                .isEqualTo("s.yaml:3:5: load[0]: expected a field 'at' (when the load starts)");
        assertThat(error(head + "  - { at: 0s }\n")).isEqualTo("s.yaml:3:5: load[0]: expected current (A) or power (W)");
        assertThat(error(head + "  - { at: 0s, current: 1, power: 230 }\n"))
                .isEqualTo("s.yaml:3:5: load[0]: expected current or power, not both");
        assertThat(error(head + "  - { at: 0s, current: -1 }\n"))
                .isEqualTo("s.yaml:3:24: load[0].current: expected a current of 0 A or more, got -1.0");
        assertThat(error(head + "  - { at: 0s, current: 1, powerFactor: 1.5 }\n"))
                .isEqualTo("s.yaml:3:40: load[0].powerFactor: expected -1 to 1, got 1.5");
        assertThat(error(head + "  - { at: 0s, current: 1, powerFactor: -0.5, lagging: true }\n"))
                .isEqualTo("s.yaml:3:40: load[0].powerFactor: expected 0 to 1, got -0.5");
        assertThat(error(head + "  - { at: 0s, current: 1, lagging: true, leading: true }\n"))
                .isEqualTo("s.yaml:3:51: load[0].leading: expected lagging or leading, not both");
        assertThat(error(head + "  - { at: 0s, current: 1, direction: out }\n"))
                .isEqualTo("s.yaml:3:38: load[0].direction: expected import or export, got 'out'");
        assertThat(error(head + "  - { at: 0s, power: -100, direction: export }\n")).isEqualTo(
                "s.yaml:3:39: load[0].direction: a negative power already means export; expected no direction, got 'export'");
        assertThat(error(head + "  - { at: 0s, current: 1, powerFactor: -1, direction: export }\n")).isEqualTo(
                "s.yaml:3:55: load[0].direction: a negative power factor already means export; expected no direction,"
                        + " got 'export'");
        assertThat(error(head + "  - { at: 0s, power: 100, powerFactor: 0 }\n")).isEqualTo(
                "s.yaml:3:40: load[0].powerFactor: expected more than 0 with power (the current would be infinite), got 0");
        assertThat(error("duration: 2h\nmains: { voltage: 0 }\nload:\n  - { at: 0s, power: 100 }\n"))
                .isEqualTo("s.yaml:4:22: load[0].power: expected a current instead: the supply is 0 V at this time");
        assertThat(error(head + "  - { at: 0s, current: 1, neutralCurrent: -2 }\n"))
                .isEqualTo("s.yaml:3:43: load[0].neutralCurrent: expected a current of 0 A or more, got -2.0");
        assertThat(error(head + "  - { at: 0s, current: 1, harmonics: [ { order: 1, current: 1 } ] }\n"))
                .isEqualTo("s.yaml:3:49: load[0].harmonics[0].order: expected 2 to 50, got 1");
        assertThat(error(head + "  - { at: 0s, current: 1, harmonics: [ { order: 3 } ] }\n")).isEqualTo(
                "s.yaml:3:40: load[0].harmonics[0]: expected order and current (and optionally phase, in degrees)");
        assertThat(error(head + "  - { at: 0s, current: 1, harmonics: [ { order: 3, current: 1 }, { order: 3, current: 2 } ] }\n"))
                .isEqualTo("s.yaml:3:75: load[0].harmonics[1].order: expected each order once, got 3 again");
    }

    @Test
    void supplyChecks() {
        String head = "duration: 1h\nsupply:\n";
        assertThat(error(head + "  - { at: 10m }\n"))
                .isEqualTo("s.yaml:3:5: supply[0]: expected voltage, frequency or powerCut");
        assertThat(error(head + "  - { voltage: 200 }\n"))
                .isEqualTo("s.yaml:3:5: supply[0]: expected a field 'at' (when the change happens)");
        assertThat(error(head + "  - { at: 10m, powerCut: 0s }\n"))
                .isEqualTo("s.yaml:3:26: supply[0].powerCut: expected more than zero, got '0s'");
        assertThat(error(head + "  - { at: 59m, powerCut: 2m }\n")).isEqualTo(
                "s.yaml:3:26: supply[0].powerCut: expected the cut to end by the scenario's duration (1h), got '2m' from 59m");
        assertThat(error(head + "  - { at: 10m, powerCut: 1m, voltage: 0 }\n")).isEqualTo(
                "s.yaml:3:26: supply[0].powerCut: expected a power cut alone; put voltage or frequency changes in their"
                        + " own entry");
        assertThat(error(head + "  - { at: 10m, powerCut: 1m }\n  - { at: 10m30s, voltage: 200 }\n")).isEqualTo(
                "s.yaml:4:11: supply[1].at: expected at least 11m (the end of the power cut of supply[0]), got '10m30s'");
        assertThat(error(head + "  - { at: 10m, voltage: 200 }\n  - { at: 10m, voltage: 210 }\n")).isEqualTo(
                "s.yaml:4:11: supply[1].at: expected at least 10m (after supply[0].at), got '10m'");
        assertThat(error(head + "  - { at: 1h, voltage: 200 }\n")).isEqualTo(
                "s.yaml:3:11: supply[0].at: expected a time before the end of the scenario (1h), got '1h'");
    }

    @Test
    void expectationChecks() {
        String head = "duration: 1h\nexpect:\n";
        assertThat(error(head + "  - { register: energy, value: 3, tolerance: 1 }\n")).isEqualTo(
                "s.yaml:3:17: expect[0].register: expected one of activeImportWh, activeExportWh, reactiveImportVarh,"
                        + " reactiveExportVarh, apparentVAh, got 'energy'");
        assertThat(error(head + "  - { value: 3 }\n"))
                .isEqualTo("s.yaml:3:5: expect[0]: expected exactly one of register, pulses or event");
        assertThat(error(head + "  - { register: activeImportWh, pulses: 3 }\n"))
                .isEqualTo("s.yaml:3:5: expect[0]: expected exactly one of register, pulses or event");
        assertThat(error(head + "  - { register: activeImportWh, value: 3 }\n"))
                .isEqualTo("s.yaml:3:5: expect[0]: expected tolerance (absolute) or tolerancePercent, exactly one");
        assertThat(error(head + "  - { register: activeImportWh, tolerance: -1 }\n"))
                .isEqualTo("s.yaml:3:44: expect[0].tolerance: expected 0 or more, got -1.0");
        assertThat(error(head + "  - { register: activeImportWh, tolerance: 1, count: 2 }\n"))
                .isEqualTo("s.yaml:3:54: expect[0].count: does not go with register; expected no count");
        assertThat(error(head + "  - { pulses: 10, tolerance: 0.5 }\n"))
                .isEqualTo("s.yaml:3:30: expect[0].tolerance: expected a whole number of pulses, 0 or more, got 0.5");
        assertThat(error(head + "  - { pulses: -1 }\n")).isEqualTo("s.yaml:3:15: expect[0].pulses: expected 0 or more, got -1");
        assertThat(error(head + "  - { event: blackout, count: 1 }\n")).isEqualTo(
                "s.yaml:3:14: expect[0].event: expected one of powerDown, powerUp, voltageSag, voltageSwell,"
                        + " lossOfVoltage, reversePower, currentMismatch, calibrationDefaults, calibrationWritten,"
                        + " imageCrcFailed, got 'blackout'");
        assertThat(error(head + "  - { event: powerDown }\n"))
                .isEqualTo("s.yaml:3:5: expect[0]: expected count (how many times the event happens)");
        assertThat(error(head + "  - { event: powerDown, count: 1, tolerance: 1 }\n"))
                .isEqualTo("s.yaml:3:46: expect[0].tolerance: does not go with event; expected no tolerance");
    }
}
