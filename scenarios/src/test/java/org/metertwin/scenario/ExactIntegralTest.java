package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exact integral against numbers worked out by hand (the working is in the comments). */
class ExactIntegralTest {
    private static Energies of(String yaml) throws ScenarioException {
        return ExactIntegral.of(ScenarioLoader.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)).segments());
    }

    @Test
    void theIssueExample() throws Exception {
        Energies e = of("""
                duration: 2h
                mains: { voltage: 230.0, frequency: 50.0 }
                load:
                  - { at: 0s, current: 10.0, powerFactor: 1.0 }
                  - { at: 1h, current: 5.0, powerFactor: 0.5, lagging: true }
                """);
        assertThat(e.activeImportWh()).isCloseTo(2875.0, within(1e-9)); // 2300 + 230·5·0.5
        assertThat(e.activeExportWh()).isZero();
        // 230·5·sin(60°) = 1150·0.8660254037844386 for one hour, inductive: import
        assertThat(e.reactiveImportVarh()).isCloseTo(995.9292143521045, within(1e-9));
        assertThat(e.reactiveExportVarh()).isZero();
        assertThat(e.apparentVAh()).isCloseTo(3450.0, within(1e-9)); // 2300 + 1150
    }

    @Test
    void leadingIsCapacitiveAndPowerGivesTheCurrent() throws Exception {
        Energies e = of("""
                duration: 30m
                load:
                  - { at: 0s, power: 2000, powerFactor: 0.8, leading: true }
                """);
        assertThat(e.activeImportWh()).isCloseTo(1000.0, within(1e-9)); // 2000 W for half an hour
        // Q = −P·tan(acos 0.8) = −2000·0.75 = −1500 var, half an hour; S = P/0.8 = 2500 VA
        assertThat(e.reactiveExportVarh()).isCloseTo(750.0, within(1e-9));
        assertThat(e.reactiveImportVarh()).isZero();
        assertThat(e.apparentVAh()).isCloseTo(1250.0, within(1e-9));
    }

    @Test
    void exportInQuadrantsTwoAndThree() throws Exception {
        Energies e = of("""
                duration: 2h
                load:
                  - { at: 0s, power: -1150, powerFactor: 0.5, leading: true }
                  - { at: 1h, current: 5.0, powerFactor: 0.5, lagging: true, direction: export }
                """);
        // both hours export 1150·... : first hour P = −1150 W; second 230·5·0.5 = 575 W exported
        assertThat(e.activeExportWh()).isCloseTo(1725.0, within(1e-9));
        assertThat(e.activeImportWh()).isZero();
        // first hour: I = 1150/(230·0.5) = 10 A, |Q| = 2300·sin 60° = 1991.858..., export leading: quadrant II
        assertThat(e.reactiveImportVarh()).isCloseTo(1991.858428704209, within(1e-9));
        // second hour: 1150·sin 60°, export lagging: quadrant III
        assertThat(e.reactiveExportVarh()).isCloseTo(995.9292143521045, within(1e-9));
    }

    @Test
    void nothingCountsDuringAPowerCutAndVoltageStepsScaleCurrentLoads() throws Exception {
        Energies e = of("""
                duration: 1h
                load:
                  - { at: 0s, current: 10.0 }
                supply:
                  - { at: 30m, powerCut: 10s }
                  - { at: 45m, voltage: 200 }
                """);
        // 2300 W for 1800 s + 1790 s... : 0–30m 2300 W, 30m10s–45m 2300 W, 45m–60m 2000 W
        double wh = (2300.0 * 1800 + 2300.0 * 890 + 2000.0 * 900) / 3600;
        assertThat(e.activeImportWh()).isCloseTo(wh, within(1e-9));
        assertThat(e.apparentVAh()).isCloseTo(wh, within(1e-9));
    }

    @Test
    void harmonicCurrentsAddApparentButNoActiveEnergy() throws Exception {
        Energies e = of("""
                duration: 1h
                load:
                  - { at: 0s, current: 4.0, harmonics: [ { order: 3, current: 3.0 } ] }
                """);
        assertThat(e.activeImportWh()).isCloseTo(920.0, within(1e-9)); // 230·4
        assertThat(e.apparentVAh()).isCloseTo(1150.0, within(1e-9)); // 230·√(4²+3²) = 230·5
        assertThat(e.reactiveImportVarh() + e.reactiveExportVarh()).isCloseTo(0, within(1e-9));
    }

    @Test
    void negativePowerFactorAloneMeansExport() throws Exception {
        Energies e = of("""
                duration: 1h
                load:
                  - { at: 0s, current: 10.0, powerFactor: -1.0 }
                """);
        assertThat(e.activeExportWh()).isCloseTo(2300.0, within(1e-9));
        assertThat(e.activeImportWh()).isZero();
    }
}
