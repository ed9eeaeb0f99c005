package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: every boolean and word-valued field of a scenario is read as written or rejected; nothing a
 * user can write is silently taken for something else.
 */
class ScenarioValuesTest {
    private static final double PHI = Math.acos(0.8);

    private static Scenario parse(String yaml) throws ScenarioException {
        return ScenarioLoader.parse("s.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String yaml) {
        return error(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(byte[] yaml) {
        try {
            ScenarioLoader.parse("s.yaml", yaml);
        } catch (ScenarioException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("java.");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + new String(yaml, StandardCharsets.UTF_8));
    }

    /** The current's angle to the voltage for a load at pf 0.8 with {@code sense} (such as "lagging: false"). */
    private static double angle(String sense) throws ScenarioException {
        return parse("duration: 1h\nload: [ { at: 0s, current: 1, powerFactor: 0.8" + sense + " } ]\n")
                .segments().get(0).currentAngle();
    }

    @Test
    void laggingAndLeadingAreOneFactSaidTwoWays() throws Exception {
        assertThat(angle("")).as("default").isCloseTo(-PHI, within(1e-12));
        assertThat(angle(", lagging: true")).isCloseTo(-PHI, within(1e-12));
        assertThat(angle(", leading: false")).isCloseTo(-PHI, within(1e-12));
        assertThat(angle(", lagging: true, leading: false")).isCloseTo(-PHI, within(1e-12));
        assertThat(angle(", leading: true")).isCloseTo(PHI, within(1e-12));
        assertThat(angle(", lagging: false")).isCloseTo(PHI, within(1e-12));
        assertThat(angle(", lagging: false, leading: true")).isCloseTo(PHI, within(1e-12));
        assertThat(angle(", lagging: False")).as("YAML's capitalised false").isCloseTo(PHI, within(1e-12));
        assertThat(angle(", leading: TRUE")).isCloseTo(PHI, within(1e-12));
        String head = "duration: 1h\nload:\n";
        assertThat(error(head + "  - { at: 0s, current: 1, lagging: true, leading: true }\n"))
                .isEqualTo("s.yaml:3:51: load[0].leading: expected lagging or leading, not both");
        assertThat(error(head + "  - { at: 0s, current: 1, lagging: false, leading: false }\n"))
                .isEqualTo("s.yaml:3:52: load[0].leading: expected lagging or leading, got both false"
                        + " (lagging: false already means leading)");
        // lagging: false is leading, so a negative power factor (export) needs the sense it no longer has
        assertThat(error(head + "  - { at: 0s, current: 1, powerFactor: -0.5, lagging: false }\n"))
                .isEqualTo("s.yaml:3:40: load[0].powerFactor: expected 0 to 1, got -0.5");
    }

    /** Words YAML 1.1 took for booleans, numbers, quoted text, nothing: none is a boolean here. */
    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "off", "y", "n", "1", "0", "1.5", "'true'", "\"false\"", "[true]"})
    void aBooleanIsTrueOrFalseAndNothingElse(String value) {
        for (String field : new String[] {"lagging", "leading"}) {
            String got = value.startsWith("[") ? "a list" : "'" + value.replaceAll("^['\"]|['\"]$", "") + "'";
            assertThat(error("duration: 1h\nload: [ { at: 0s, current: 1, " + field + ": " + value + " } ]\n"))
                    .isEqualTo("s.yaml:2:" + (33 + field.length()) + ": load[0]." + field + ": expected true or false, got "
                            + got);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "null", ""})
    void aFieldWithNoValueIsAnErrorNotItsDefault(String value) {
        assertThat(error("duration: 1h\nload: [ { at: 0s, current: 1, lagging: " + value + " } ]\n"))
                .matches("s\\.yaml:2:(39|40|41): load\\[0]\\.lagging: expected a value, got nothing \\(leave the field out"
                        + " for its default\\)");
        assertThat(error("duration: 1h\nexpect:\n")).isEqualTo(
                "s.yaml:2:8: expect: expected a value, got nothing (leave the field out for its default)");
    }

    /** The word-valued fields match exactly: a different case is another word, and is rejected. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "load: [ { at: 0s, current: 1, direction: Export } ]|s.yaml:2:42: load[0].direction: expected import or export, got 'Export'",
            "load: [ { at: 0s, current: 1, direction: true } ]|s.yaml:2:42: load[0].direction: expected import or export, got 'true'",
            "meter: Metrology|s.yaml:1:8: meter: expected metrology (the legal core alone), got 'Metrology'",
            "expect: [ { register: ActiveImportWh, tolerance: 1 } ]|s.yaml:2:23: expect[0].register: expected one of"
                    + " activeImportWh, activeExportWh, reactiveImportVarh, reactiveExportVarh, apparentVAh, got 'ActiveImportWh'",
            "expect: [ { event: PowerDown, count: 1 } ]|s.yaml:2:20: expect[0].event: expected one of powerDown, powerUp,"
                    + " voltageSag, voltageSwell, lossOfVoltage, reversePower, currentMismatch, calibrationDefaults,"
                    + " calibrationWritten, imageCrcFailed, got 'PowerDown'",
            "load: [ { at: 0s, current: 1, Lagging: false } ]|s.yaml:2:31: load[0].Lagging: unknown field; expected one of"
                    + " at, current, direction, harmonics, lagging, leading, neutralCurrent, power, powerFactor"})
    void wordsAreMatchedExactly(String body, String message) {
        String yaml = body.startsWith("meter") ? body + "\nduration: 1h\n" : "duration: 1h\n" + body + "\n";
        assertThat(error(yaml)).isEqualTo(message);
    }

    @Test
    void bothDirectionsAreRead() throws Exception {
        double imp = parse("duration: 1h\nload: [ { at: 0s, current: 1, direction: import } ]\n").segments().get(0)
                .currentAngle();
        double exp = parse("duration: 1h\nload: [ { at: 0s, current: 1, direction: export } ]\n").segments().get(0)
                .currentAngle();
        assertThat(Math.cos(imp)).isCloseTo(1, within(1e-12));
        assertThat(Math.cos(exp)).isCloseTo(-1, within(1e-12));
    }

    @Test
    void textThatIsNotYamlIsNamedInTheUsersTerms() {
        byte[] latin1 = "duration: 1h\n# caf\u00e9 \u00b4\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(error(latin1)).isEqualTo("s.yaml: not UTF-8 text: byte 0xe9 at offset 18 (line 2)");
        assertThat(error(new byte[] {(byte) 0xb4})).isEqualTo("s.yaml: not UTF-8 text: byte 0xb4 at offset 0 (line 1)");
        byte[] cut = {'d', ':', ' ', (byte) 0xe2, (byte) 0x82}; // a multi-byte sequence cut short at the end
        assertThat(error(cut)).isEqualTo("s.yaml: not UTF-8 text: byte 0xe2 at offset 3 (line 1)");
        assertThat(error(new byte[] {0x7f, 'E', 'L', 'F', 1, 1}))
                .isEqualTo("s.yaml: not a text file: control character 0x7f at offset 0 (line 1)");
        assertThat(error("duration: 1h\n\u00e9: \u0000\n"))
                .isEqualTo("s.yaml: not a text file: control character 0x00 at offset 17 (line 2)");
        assertThat(error("duration:\t1h\n"))
                .isEqualTo("s.yaml:1:10: not valid YAML: a tab character; YAML indents and separates with spaces");
        assertThat(error("duration: 1h\nload:\n\t- { at: 0s, current: 1 }\n"))
                .isEqualTo("s.yaml:3:1: not valid YAML: a tab character; YAML indents and separates with spaces");
        assertThat(error("duration: 1h\nload: [ { at: 0s\n")).startsWith("s.yaml:3:1: not valid YAML: ");
        assertThat(error("duration: 1h\n---\nduration: 2h\n"))
                .isEqualTo("s.yaml:3:1: a second document (---); expected one per file");
        assertThat(error("- duration: 1h\n")).isEqualTo("s.yaml:1:1: expected a map of fields, got a list");
        assertThat(error("duration: 1h\nduration: 2h\n")).isEqualTo("s.yaml:2:1: duration: appears twice, expected once");
        assertThat(error("duration: 1h\nload: [ { at: 0s, at: 1s, current: 1 } ]\n"))
                .isEqualTo("s.yaml:2:19: load[0].at: appears twice, expected once");
        assertThat(error("duration: 1h\nload: [ { at: 0s, current: .inf } ]\n"))
                .isEqualTo("s.yaml:2:28: load[0].current: expected a finite number, got '.inf'");
        assertThat(error("duration: 1h\nload: [ { at: 0s, current: \"1\" } ]\n"))
                .isEqualTo("s.yaml:2:28: load[0].current: expected a number, got '1'");
        assertThat(error("")).isEqualTo("s.yaml: empty scenario, expected at least meter and duration");
        assertThatThrownBy(() -> parse("# only a comment\n")).hasMessage(
                "s.yaml: empty scenario, expected at least meter and duration");
    }
}
