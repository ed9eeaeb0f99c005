package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.metertwin.cli.MeterTwin;
import org.metertwin.metering.MetrologyMeter;

/**
 * Real scenarios on the real metrology firmware (issue 6, "Proven by"). The truth is the exact integral of
 * the scenario's power, worked out independently of the meter. These need the metrology board and its ELF
 * (branch meterfw); without {@code /firmware/metrology.elf} on the class path they are skipped.
 */
@Tag("firmware")
class ScenarioEndToEndTest {
    private static final double METERING_PERIOD_S = 1.0; // the longest metering period the firmware may use

    @BeforeEach
    void needsTheFirmware() {
        assumeTrue(ScenarioEndToEndTest.class.getResource("/firmware/metrology.elf") != null,
                "the metrology firmware is not on the class path (branch meterfw not merged)");
    }

    private static ScenarioRunner.Result run(String yaml) throws Exception {
        Scenario s = ScenarioLoader.parse("e2e.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        return ScenarioRunner.run(s, new MetrologyMeterUnderTest(MetrologyMeter.create()), Progress.none());
    }

    @Test
    void theIssueExampleThroughTheCommandLine(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = MeterTwin.commandLine().execute("run", "--quiet", "--report", report.toString());
        } finally {
            System.setOut(saved);
        }
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("PASS: 1 of 1 expectations hold");
        String json = Files.readString(report);
        assertThat(json).contains("\"scenario\" : \"example.yaml\"", "\"trueEnergy\"", "\"pass\" : true");
    }

    /** Steady loads from 1 % to 100 % of a 60 A Imax at pf 1, 0.5 lagging and 0.8 leading: error ≤ 0.02 %. */
    @ParameterizedTest
    @CsvSource({"0.6, 1.0, lagging", "6, 1.0, lagging", "60, 1.0, lagging", "0.6, 0.5, lagging",
            "6, 0.5, lagging", "60, 0.5, lagging", "0.6, 0.8, leading", "6, 0.8, leading", "60, 0.8, leading"})
    void steadyLoadWithinTwoHundredthsOfAPercent(double current, double pf, String sense) throws Exception {
        ScenarioRunner.Result r = run(String.format(Locale.ROOT, """
                duration: 15m
                load: [ { at: 0s, current: %s, powerFactor: %s, %s: true } ]
                """, current, pf, sense));
        Energies meter = r.outcome().energy(), truth = r.outcome().trueEnergy();
        assertThat(meter.activeImportWh()).isCloseTo(truth.activeImportWh(), within(truth.activeImportWh() * 2e-4));
        assertThat(meter.activeExportWh()).isZero();
        // one pulse per Wh at 1000 imp/kWh: within one pulse of the register
        double pulsesFromRegister = meter.activeImportWh() * MetrologyMeter.METER_CONSTANT / 1000;
        assertThat((double) r.outcome().pulses()).isCloseTo(pulsesFromRegister, within(1.0));
    }

    /**
     * A leading (capacitive) import load, written each of the ways the format allows: the firmware books its
     * reactive energy as export, as the exact integral does (issue 13: {@code lagging: false} was played as
     * lagging and booked as import).
     */
    @ParameterizedTest
    @CsvSource({"lagging: false", "leading: true", "'lagging: false, leading: true'"})
    void aLeadingLoadBooksReactiveEnergyAsExport(String sense) throws Exception {
        ScenarioRunner.Result r = run("duration: 15m\nload: [ { at: 0s, current: 10, powerFactor: 0.8, " + sense
                + " } ]\n");
        Energies meter = r.outcome().energy(), truth = r.outcome().trueEnergy();
        assertThat(truth.reactiveImportVarh()).isZero();
        assertThat(truth.reactiveExportVarh()).isCloseTo(230 * 10 * 0.6 / 4, within(1e-9)); // Q = V I sin φ, 1/4 h
        assertThat(meter.reactiveExportVarh()).isCloseTo(truth.reactiveExportVarh(),
                within(truth.reactiveExportVarh() * 2e-4));
        assertThat(meter.reactiveImportVarh()).isZero();
        assertThat(meter.activeImportWh()).isCloseTo(truth.activeImportWh(), within(truth.activeImportWh() * 2e-4));
    }

    @Test
    void noCreepAtNoLoadOverAnHour() throws Exception {
        ScenarioRunner.Result r = run("duration: 1h\nload: [ { at: 0s, current: 0 } ]\n");
        assertThat(r.outcome().pulses()).isZero();
        assertThat(r.outcome().energy().activeImportWh()).isLessThan(0.01);
    }

    @Test
    void aPowerCutLosesAtMostOneMeteringPeriod() throws Exception {
        ScenarioRunner.Result r = run("""
                duration: 1h
                load: [ { at: 0s, current: 10 } ]
                supply: [ { at: 30m, powerCut: 10s } ]
                expect:
                  - { event: powerDown, count: 1 }
                  - { event: powerUp, count: 2 }
                  - { event: lossOfVoltage, count: 1 }
                """);
        double truth = r.outcome().trueEnergy().activeImportWh(); // 2300 W for 3590 s
        assertThat(truth).isCloseTo(2300.0 * 3590 / 3600, within(1e-9));
        double onePeriodWh = 2300 * METERING_PERIOD_S / 3600;
        assertThat(r.outcome().energy().activeImportWh()).isBetween(truth * (1 - 2e-4) - onePeriodWh,
                truth * (1 + 2e-4));
        assertThat(r.expectations()).allMatch(ExpectationResult::pass); // the first boot is a power-up too
    }

    @Test
    void theBundledScenariosPass() throws Exception {
        for (String name : new String[] {"power-cut.yaml", "mixed.yaml"}) {
            Scenario s = ScenarioLoader.bundled(name);
            ScenarioRunner.Result r = ScenarioRunner.run(s, new MetrologyMeterUnderTest(MetrologyMeter.create()),
                    Progress.none());
            assertThat(r.expectations()).as(name).allMatch(ExpectationResult::pass);
        }
    }

    /** The day's energy; its wall time is a benchmark's business (docs/bench/metrology-day.sh), not a test's. */
    @Test
    void aDayAtConstantLoad() throws Exception {
        ScenarioRunner.Result r = run("duration: 1d\nload: [ { at: 0s, current: 10 } ]\n");
        assertThat(r.outcome().energy().activeImportWh()).isCloseTo(55_200, within(55_200 * 2e-4));
    }

    @Test
    void theSameScenarioGivesTheSameReport() throws Exception {
        Scenario s = ScenarioLoader.bundled("mixed.yaml");
        String a = Report.of(s, ScenarioRunner.run(s, new MetrologyMeterUnderTest(MetrologyMeter.create()),
                Progress.none()), 1).toJson();
        String b = Report.of(s, ScenarioRunner.run(s, new MetrologyMeterUnderTest(MetrologyMeter.create()),
                Progress.none()), 2).toJson();
        assertThat(ReportTest.withoutWall(a)).isEqualTo(ReportTest.withoutWall(b));
    }
}
