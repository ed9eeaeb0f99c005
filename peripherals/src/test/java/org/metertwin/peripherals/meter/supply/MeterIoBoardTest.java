package org.metertwin.peripherals.meter.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.peripherals.meter.inputs.Button;
import org.metertwin.peripherals.meter.inputs.TamperSwitch;
import org.metertwin.peripherals.meter.lcd.Ht1621;
import org.metertwin.peripherals.meter.pulse.PulseOutput;
import org.metertwin.peripherals.meter.relay.LatchingRelay;

/** The meter I/O device types built from a machine description (ServiceLoader, pins, properties, errors). */
class MeterIoBoardTest {
    @TempDir
    Path dir;

    static final String HEAD = """
            name: io-board
            processor: { type: cortex-m4, clock: 16MHz }
            memory:
              - { name: sram, base: 0x20000000, size: 64KiB }
            devices:
            """;

    Board board(String devices) throws IOException, MachineException {
        Path f = dir.resolve("board.yaml");
        Files.writeString(f, HEAD + devices);
        return new Board("board.yaml", MachineDescriptions.load(f.toString()), OutputStream.nullOutputStream());
    }

    @Test
    void allTypesBuildAndShareNets() throws Exception {
        Board b = board("""
                  - { name: mains, type: mains }
                  - { name: psu, type: power-supply, pins: { vdd: VDD, mains-ok: PB0 }, properties: { hold-up-ms: 80 } }
                  - { name: bat, type: battery, pins: { vbat: VBAT } }
                  - { name: relay, type: latching-relay, pins: { set: PC0, reset: PC1, feedback: PC2 },
                      properties: { min-pulse-ms: 50, closed: false } }
                  - { name: lcd, type: ht1621, pins: { cs: PD0, wr: PD1, data: PD2 } }
                  - { name: led, type: pulse-output, pins: { pin: PA8 }, properties: { history: 16 } }
                  - { name: scroll, type: button, pins: { pin: PA0 }, properties: { bounce-ms: 2, seed: 9 } }
                  - { name: cover, type: tamper-switch, pins: { pin: PA1 }, properties: { kind: cover } }
                """);
        assertEquals(3.3, b.nets().analog("VDD", 0).value());
        assertTrue(b.nets().pin("PB0").level());
        assertEquals(3.0, b.nets().analog("VBAT", 0).value());
        LatchingRelay relay = assertInstanceOf(LatchingRelay.class, b.deviceObject("relay"));
        assertFalse(relay.isClosed());
        assertFalse(b.nets().pin("PC2").level());
        assertInstanceOf(Ht1621.class, b.deviceObject("lcd"));
        assertInstanceOf(PulseOutput.class, b.deviceObject("led"));
        assertTrue(b.nets().pin("PA0").level(), "button idles high (pressed-level low)");
        assertInstanceOf(Button.class, b.deviceObject("scroll"));
        assertInstanceOf(TamperSwitch.class, b.deviceObject("cover"));
    }

    void expectError(String device, String message) {
        MachineException e = assertThrows(MachineException.class, () -> board(device));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void badPropertiesGiveOneLineErrorsNamingTheField() {
        expectError("  - { name: t, type: tamper-switch }\n", "properties.kind: expected cover or magnet, got nothing");
        expectError("  - { name: r, type: latching-relay, properties: { min-pulse-ms: 0 } }\n",
                "properties.min-pulse-ms: must be within (0, 10000] ms, got 0.0");
        expectError("  - { name: p, type: pulse-output, properties: { active-level: up } }\n",
                "properties.active-level: expected high or low, got 'up'");
        expectError("  - { name: psu, type: power-supply }\n", "expected the name of a device listed before psu");
        expectError("  - { name: mains, type: mains }\n  - { name: psu, type: power-supply,"
                + " properties: { drop-out: 200, pick-up: 100 } }\n", "properties.pick-up: must be >= drop-out");
        expectError("  - { name: lcd, type: ht1621, properties: { segment-map: /nonexistent/glass.yaml } }\n",
                "properties.segment-map: /nonexistent/glass.yaml: no such file");
        expectError("  - { name: b, type: button, properties: { bounce: 3 } }\n", "properties.bounce: not a setting");
    }

    @Test
    void segmentMapFromAFile() throws Exception {
        Path glass = dir.resolve("glass.yaml");
        Files.writeString(glass, "digits:\n  - {a: [0, 0], b: [0, 1], c: [0, 2], d: [0, 3], e: [1, 0], f: [1, 1],"
                + " g: [1, 2]}\n");
        Board b = board("  - { name: lcd, type: ht1621, properties: { segment-map: " + glass + " } }\n");
        assertInstanceOf(Ht1621.class, b.deviceObject("lcd"));
        Files.writeString(glass, "digits: 3\n");
        expectError("  - { name: lcd, type: ht1621, properties: { segment-map: " + glass + " } }\n",
                "glass.yaml: digits: expected a list of digits");
    }
}
