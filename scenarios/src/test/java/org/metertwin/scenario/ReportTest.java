package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Report report(long wallNanos) throws Exception {
        Scenario s = ScenarioLoader.parse("shape.yaml", """
                start: 2026-01-01T00:00:00Z
                duration: 2h
                load:
                  - { at: 0s, current: 10.0, powerFactor: 1.0 }
                  - { at: 1h, current: 5.0, powerFactor: 0.5, lagging: true }
                expect:
                  - { register: activeImportWh, value: 2875.0, tolerancePercent: 0.1 }
                  - { event: powerDown, count: 0 }
                """.getBytes(StandardCharsets.UTF_8));
        FakeMeter m = new FakeMeter();
        m.registers = new long[] {2_874_500, 0, 995_000, 0, 0, 0, 3_449_000};
        m.pulses = 2874;
        m.events = List.of(MeterEvent.of(0x20, 2, 1, 3));
        return Report.of(s, ScenarioRunner.run(s, m, Progress.none()), wallNanos);
    }

    @Test
    void jsonHasTheDocumentedFieldsInOrder() throws Exception {
        JsonNode n = new ObjectMapper().readTree(report(2_000_000_000L).toJson());
        List<String> fields = new ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("scenario", "meter", "start", "durationSeconds", "energy", "trueEnergy",
                "errorPercent", "pulses", "events", "expectations", "pass", "wallSeconds", "speedFactor");
        assertThat(n.get("scenario").asText()).isEqualTo("shape.yaml");
        assertThat(n.get("durationSeconds").asDouble()).isEqualTo(7200.0);
        List<String> energy = new ArrayList<>();
        n.get("energy").fieldNames().forEachRemaining(energy::add);
        assertThat(energy).containsExactly("activeImportWh", "activeExportWh", "reactiveImportVarh",
                "reactiveExportVarh", "apparentVAh");
        assertThat(n.get("energy").get("activeImportWh").asDouble()).isEqualTo(2874.5);
        assertThat(n.get("trueEnergy").get("activeImportWh").asDouble()).isEqualTo(2875.0);
        assertThat(n.get("errorPercent").get("activeImportWh").asDouble())
                .isCloseTo(-0.5 / 2875 * 100, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(n.get("errorPercent").get("activeExportWh").isNull()).isTrue(); // no true energy: no error
        assertThat(n.get("pulses").asLong()).isEqualTo(2874);
        assertThat(n.get("events").get(0).toString())
                .isEqualTo("{\"code\":32,\"name\":\"calibrationDefaults\",\"kind\":\"instant\",\"boot\":1,\"millis\":3}");
        assertThat(n.get("expectations").get(0).toString()).isEqualTo(
                "{\"what\":\"activeImportWh\",\"expected\":2875.0,\"actual\":2874.5,\"tolerance\":2.875,\"pass\":true}");
        assertThat(n.get("pass").asBoolean()).isTrue();
        assertThat(n.get("wallSeconds").asDouble()).isEqualTo(2.0);
        assertThat(n.get("speedFactor").asDouble()).isEqualTo(3600.0);
    }

    @Test
    void sameRunSameBytesButForWallTime() throws Exception {
        String a = report(1_000_000_000L).toJson();
        String b = report(3_000_000_000L).toJson();
        assertThat(a).isNotEqualTo(b);
        assertThat(withoutWall(a)).isEqualTo(withoutWall(b));
    }

    static String withoutWall(String json) {
        return json.replaceAll("\"(wallSeconds|speedFactor)\" : [0-9.E-]+", "\"$1\" : _");
    }

    @Test
    void summaryListsEnergiesAndExpectations() throws Exception {
        String text = Summary.of(report(1_000_000_000L));
        assertThat(text).contains("activeImportWh             2874.500       2875.000    -0.0174")
                .contains("PASS activeImportWh: expected 2875 ± 2.875, got 2874.500")
                .contains("calibrationDefaults(instant, boot 1, 3 ms)")
                .endsWith("PASS: 2 of 2 expectations hold" + System.lineSeparator());
    }
}
