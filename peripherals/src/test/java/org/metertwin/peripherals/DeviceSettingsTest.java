package org.metertwin.peripherals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.peripherals.meter.inputs.TamperSwitch;
import org.metertwin.peripherals.meter.memory.M95Eeprom;
import org.metertwin.peripherals.meter.relay.LatchingRelay;

/**
 * Issue 13: the devices' boolean and word-valued settings (DeviceContext.flag, choice, string) are read as
 * written both ways, and anything else is rejected with the device and the setting named.
 */
class DeviceSettingsTest {
    @TempDir
    Path dir;

    private Board board(String device) throws Exception {
        Path p = dir.resolve("m.yaml");
        Files.writeString(p, "name: x\nprocessor: { type: cortex-m4, clock: 8MHz, irqs: 64 }\n"
                + "memory: [ {name: a, base: 0, size: 1MiB} ]\ndevices:\n"
                + "  - { name: SPI1, type: stm32f4-spi, base: 0x40013000, irq: 35 }\n  - " + device + "\n");
        return new Board(p.toString(), MachineDescriptions.load(p.toString()), OutputStream.nullOutputStream());
    }

    private String error(String device) {
        try {
            board(device);
        } catch (MachineException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception");
            return e.getMessage().substring(e.getMessage().indexOf(".yaml") + 5);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + device);
    }

    @Test
    void flagsAreReadBothWays() throws Exception {
        assertThat(((LatchingRelay) board("{ name: r, type: latching-relay, properties: { closed: true } }")
                .deviceObject("r")).isClosed()).isTrue();
        assertThat(((LatchingRelay) board("{ name: r, type: latching-relay, properties: { closed: false } }")
                .deviceObject("r")).isClosed()).isFalse();
        assertThat(((LatchingRelay) board("{ name: r, type: latching-relay }").deviceObject("r")).isClosed())
                .as("default").isTrue();
        board("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { console: true } }");
        board("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { console: false } }");
        board("{ name: S, type: stm32f4-spi, base: 0x40003800, irq: 36, properties: { loopback: true } }");
        board("{ name: S, type: stm32f4-spi, base: 0x40003800, irq: 36, properties: { loopback: false } }");
    }

    /** YAML 1.1's yes/no/on/off, numbers and quoted text are not booleans. */
    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "off", "1", "0", "'true'", "\"false\""})
    void aFlagIsTrueOrFalseOnly(String value) {
        String text = value.replaceAll("^['\"]|['\"]$", "");
        assertThat(error("{ name: r, type: latching-relay, properties: { closed: " + value + " } }"))
                .isEqualTo(": devices[1] (r): properties.closed: expected true or false, got '" + text + "'");
        assertThat(error("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { console: " + value
                + " } }")).isEqualTo(": devices[1] (U): properties.console: expected true or false, got '" + text + "'");
        assertThat(error("{ name: S, type: stm32f4-spi, base: 0x40003800, irq: 36, properties: { loopback: " + value
                + " } }")).isEqualTo(": devices[1] (S): properties.loopback: expected true or false, got '" + text + "'");
    }

    @Test
    void aSettingWithNoValueIsAnError() {
        assertThat(error("{ name: r, type: latching-relay, properties: { closed: ~ } }")).isEqualTo(
                ":6:60: devices[1].properties.closed: expected a value, got nothing (leave the field out for its default)");
    }

    @Test
    void wordsAreReadAsWrittenAndOthersRejected() throws Exception {
        assertThat(((TamperSwitch) board("{ name: t, type: tamper-switch, properties: { kind: cover } }")
                .deviceObject("t")).kind()).isEqualTo(TamperSwitch.Kind.COVER);
        assertThat(((TamperSwitch) board("{ name: t, type: tamper-switch, properties: { kind: magnet } }")
                .deviceObject("t")).kind()).isEqualTo(TamperSwitch.Kind.MAGNET);
        assertThat(error("{ name: t, type: tamper-switch, properties: { kind: Cover } }"))
                .isEqualTo(": devices[1] (t): properties.kind: expected cover or magnet, got 'Cover'");
        board("{ name: t, type: tamper-switch, properties: { kind: cover, active-level: high } }");
        board("{ name: t, type: tamper-switch, properties: { kind: cover, active-level: low } }");
        assertThat(error("{ name: t, type: tamper-switch, properties: { kind: cover, active-level: true } }"))
                .isEqualTo(": devices[1] (t): properties.active-level: expected text, got 'true'");
        assertThat(error("{ name: t, type: tamper-switch, properties: { kind: cover, active-level: HIGH } }"))
                .isEqualTo(": devices[1] (t): properties.active-level: expected high or low, got 'HIGH'");
        board("{ name: p, type: pulse-output, properties: { active-level: low } }");
        assertThat(error("{ name: p, type: pulse-output, properties: { active-level: on } }"))
                .isEqualTo(": devices[1] (p): properties.active-level: expected high or low, got 'on'");
        board("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { clock: APB2 } }");
        assertThat(error("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { clock: apb2 } }"))
                .isEqualTo(": devices[1] (U): properties.clock: expected APB1 or APB2, got 'apb2'");
        assertThat(error("{ name: U, type: stm32f4-usart, base: 0x40011000, irq: 37, properties: { clock: [APB2] } }"))
                .isEqualTo(": devices[1] (U): properties.clock: expected text, got a list");
        // a part number is the chip's marking: the case it is written in does not change the part
        for (String part : new String[] {"M95512", "m95512"}) {
            assertThat(((M95Eeprom) board("{ name: e, type: m95-eeprom, properties: { spi: SPI1, part: " + part + " } }")
                    .deviceObject("e")).part()).isEqualTo(M95Eeprom.Part.M95512);
        }
        assertThat(error("{ name: e, type: m95-eeprom, properties: { spi: SPI1, part: M95999 } }"))
                .startsWith(": devices[1] (e): properties.part: expected one of [M95128, M95256, M95512");
        assertThat(error("{ name: r, type: latching-relay, properties: { Closed: false } }"))
                .startsWith(": devices[1] (r): properties.Closed: not a setting of type 'latching-relay'");
    }

    /** Java's extras of Double.parseDouble and a boolean are not decimals; YAML's .nan is caught as it is read. */
    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "1d", "0x1p3", "true"})
    void aDecimalIsADecimal(String value) {
        assertThat(error("{ name: r, type: latching-relay, properties: { operate-ms: " + value + " } }"))
                .isEqualTo(": devices[1] (r): properties.operate-ms: expected a decimal number, got '" + value + "'");
        assertThat(error("{ name: r, type: latching-relay, properties: { operate-ms: .nan } }"))
                .isEqualTo(":6:64: devices[1].properties.operate-ms: expected a finite number, got '.nan'");
    }

    @Test
    void decimalsAreRead() throws Exception {
        board("{ name: r, type: latching-relay, properties: { operate-ms: 12.5, min-pulse-ms: 40 } }");
        assertThatThrownBy(() -> board("{ name: r, type: latching-relay, properties: { operate-ms: -1 } }"))
                .hasMessageContaining("properties.operate-ms: must be within [0, 10000] ms, got -1.0");
    }
}
