package org.metertwin.peripherals.meter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;

/** The m95-eeprom and w25q-flash types in a machine description: properties, pins and one-line errors. */
class MemoryDeviceTypesTest {
    @TempDir
    Path dir;

    /** The Netduino Plus 2 with {@code extra} device entries appended (SPI1 is listed before them). */
    Board board(String... extra) throws Exception {
        String base;
        try (InputStream in = getClass().getResourceAsStream("/machines/netduinoplus2.yaml")) {
            base = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder yaml = new StringBuilder(base.stripTrailing()).append('\n');
        for (String e : extra) {
            yaml.append("  - ").append(e).append('\n');
        }
        Path file = dir.resolve("board.yaml");
        Files.writeString(file, yaml);
        return new Board("board.yaml", MachineDescriptions.load(file.toString()), OutputStream.nullOutputStream());
    }

    @Test
    void bothTypesBuildWithTheirDefaults() throws Exception {
        Board b = board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1 }, pins: { cs: PA4 } }",
                "{ name: NOR, type: w25q-flash, properties: { spi: SPI1, part: w25q64jv, seed: 3 } }");
        M95Eeprom ee = (M95Eeprom) b.deviceObject("EE");
        assertThat(ee.part()).isEqualTo(M95Eeprom.Part.M95256);
        assertThat(ee.size()).isEqualTo(32 * 1024);
        assertThat(ee.powered()).isTrue(); // vcc net defaults to 3.3 V
        W25qFlash nor = (W25qFlash) b.deviceObject("NOR");
        assertThat(nor.part()).isEqualTo(W25qFlash.Part.W25Q64JV);
        assertThat(nor.size()).isEqualTo(8 << 20);
    }

    @Test
    void fileIsCreatedErasedAndLoaded() throws Exception {
        Path image = dir.resolve("eeprom.bin");
        board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, part: M95512, file: '" + image + "' } }");
        assertThat(Files.size(image)).isEqualTo(64 * 1024);
        byte[] content = Files.readAllBytes(image);
        content[5] = 0x42;
        Files.write(image, content);
        Board again = board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, part: M95512, file: '" + image
                + "' } }");
        assertThat(((M95Eeprom) again.deviceObject("EE")).read(5, 1)).containsExactly(0x42);
    }

    @Test
    void userErrorsAreOneLineAndNameTheField() throws Exception {
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[10]);
        assertThatThrownBy(() -> board("{ name: NOR, type: w25q-flash, properties: { spi: SPI1, file: '" + small
                + "' } }"))
                .isInstanceOf(MachineException.class)
                .hasMessage("board.yaml: devices[" + deviceCount() + "] (NOR): properties.file: file " + small
                        + " has 10 bytes, expected 4194304 (the size of W25Q32JV)");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, part: M95999 } }"))
                .isInstanceOf(MachineException.class)
                .hasMessageContaining("(EE): properties.part: expected one of [M95128, M95256, M95512, M95M01, M95M02]"
                        + ", got 'M95999'")
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom, properties: { spi: GPIOA } }"))
                .hasMessageContaining("(EE): properties.spi: device 'GPIOA' is not a SpiBus");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom }"))
                .hasMessageContaining("(EE): properties.spi: expected the name of a device listed before EE");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, vcc-min: -1 } }"))
                .hasMessageContaining(
                        "(EE): properties.vcc-min: expected a supply voltage in volts (0 to 10), got -1.0");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, sede: 4 } }"))
                .hasMessageContaining("(EE): properties.sede: not a setting of type 'm95-eeprom'");
        assertThatThrownBy(() -> board("{ name: EE, type: m95-eeprom, properties: { spi: SPI1, file: '"
                + dir.resolve("no/such/dir/x.bin") + "' } }"))
                .hasMessageContaining("(EE): properties.file: cannot use file ");
    }

    /** The index the first appended device gets. */
    int deviceCount() throws Exception {
        return MachineDescriptions.load("netduinoplus2").devices().size();
    }
}
