package org.metertwin.peripherals.meter.stpm34;

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

/** An {@code stpm34} entry in a machine description: the netduinoplus2 with the chip on SPI1 or USART2. */
class Stpm34MachineTest {
    @TempDir
    Path dir;

    /** The built-in netduinoplus2 description with {@code extra} appended to its device list (its last section). */
    Board board(String extra) throws Exception {
        String base;
        try (InputStream in = getClass().getResourceAsStream("/machines/netduinoplus2.yaml")) {
            base = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = dir.resolve("meter.yaml");
        Files.writeString(file, base + extra);
        return new Board(file.toString(), MachineDescriptions.load(file.toString()), OutputStream.nullOutputStream());
    }

    @Test
    void anStpm34OnSpi1Builds() throws Exception {
        Board b = board("""
                  - { name: mains, type: mains, properties: { voltage: 230, current: 5 } }
                  - { name: stpm, type: stpm34, pins: { scs: GPIOA.4, en: GPIOC.0, syn: GPIOC.1, int1: GPIOC.2 },
                      properties: { spi: SPI1 } }
                """);
        assertThat(b.deviceObject("stpm")).isInstanceOf(Stpm34.class);
        Stpm34 chip = (Stpm34) b.deviceObject("stpm");
        assertThat(chip.ready()).isFalse(); // EN is wired to a GPIO that has not raised it
        assertThat(b.serialPort("stpm")).isSameAs(chip);
    }

    @Test
    void withEnNotWiredAndOnlyAUartTheChipStartsOnTheUart() throws Exception {
        Board b = board("""
                  - { name: mains, type: mains }
                  - { name: stpm, type: stpm34, properties: { uart: USART2 } }
                """);
        Stpm34 chip = (Stpm34) b.deviceObject("stpm");
        assertThat(chip.selectedInterface()).isEqualTo(Stpm34.Interface.UART);
    }

    @Test
    void aMisspelledPropertyIsAOneLineError() {
        assertThatThrownBy(() -> board("""
                  - { name: mains, type: mains }
                  - { name: stpm, type: stpm34, properties: { spii: SPI1 } }
                """))
                .isInstanceOf(MachineException.class)
                .hasMessageContaining("(stpm): properties.spii: not a setting of type 'stpm34'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theSpiPropertyMustNameAnSpiController() {
        assertThatThrownBy(() -> board("""
                  - { name: mains, type: mains }
                  - { name: stpm, type: stpm34, properties: { spi: USART2 } }
                """))
                .isInstanceOf(MachineException.class)
                .hasMessageContaining("properties.spi: device 'USART2' is not a SpiBus");
    }

    @Test
    void theMainsMustBeListedBefore() {
        assertThatThrownBy(() -> board("""
                  - { name: stpm, type: stpm34, properties: { spi: SPI1 } }
                """))
                .isInstanceOf(MachineException.class)
                .hasMessageContaining("properties.mains: expected the name of a device listed before stpm, got 'mains'");
    }
}
