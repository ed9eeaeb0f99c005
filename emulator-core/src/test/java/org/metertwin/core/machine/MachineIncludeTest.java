package org.metertwin.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Machine files that include another: what is kept, changed and added, roles, and every mistake in one line. */
class MachineIncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private static final String SOC = """
            name: soc
            processor: { type: cortex-m4, clock: 16MHz, irqs: 32, priorityBits: 4 }
            memory:
              - { name: flash, base: 0x08000000, size: 1MiB, writable: false }
              - { name: sram, base: 0x20000000, size: 128KiB }
            devices:
              - { name: uart0, type: cmsdk-uart, base: 0x40004000, size: 4KiB, irq: 3 }
              - { name: uart1, type: cmsdk-uart, base: 0x40005000, size: 4KiB, irq: 4 }
            """;

    @Test
    void aBoardKeepsChangesAndAddsToWhatItIncludes() throws Exception {
        write("soc.yaml", SOC);
        Path board = write("board.yaml", """
                include: soc.yaml
                name: board
                memory:
                  - { name: sram, base: 0x20000000, size: 256KiB }
                  - { name: extra, base: 0x60000000, size: 64KiB }
                devices:
                  - { name: uart1, type: cmsdk-uart, base: 0x40006000, size: 4KiB, irq: 9 }
                  - { name: sram-bitband, type: bitband, base: 0x22000000, size: 32MiB }
                roles: { console: uart0, link: uart1 }
                """);
        MachineDescription d = MachineDescriptions.load(board.toString());
        assertThat(d.name()).isEqualTo("board");
        assertThat(d.processor().clockHz()).isEqualTo(16_000_000L);
        assertThat(d.memory()).extracting(MachineDescription.Memory::name).containsExactly("flash", "sram", "extra");
        assertThat(d.memory().get(1).size()).isEqualTo(256 * 1024);
        assertThat(d.devices()).extracting(MachineDescription.Device::name)
                .containsExactly("uart0", "uart1", "sram-bitband");
        assertThat(d.devices().get(1).base()).isEqualTo(0x40006000);
        assertThat(d.devices().get(1).irqs()).containsExactly(9);
        assertThat(d.devices().get(0).irqs()).containsExactly(3);
        assertThat(d.deviceFor("link")).isEqualTo("uart1");
        assertThatThrownBy(() -> d.deviceFor("relay")).isInstanceOf(MachineException.class)
                .hasMessage("board: no device for the role 'relay' (roles: in its description)");
    }

    @Test
    void anEntryWithoutABaseMergesPinsAndPropertiesOnly() throws Exception {
        write("soc.yaml", SOC + """
                  - { name: gpio, type: unimplemented, base: 0x40020000, pins: { a: NET.a, b: NET.b } }
                """);
        Path board = write("board.yaml", """
                include: soc.yaml
                name: board
                devices:
                  - { name: gpio, type: unimplemented, pins: { b: OTHER.b, c: NET.c } }
                """);
        MachineDescription.Device gpio = MachineDescriptions.load(board.toString()).devices().get(2);
        assertThat(gpio.base()).isEqualTo(0x40020000);
        assertThat(gpio.pins()).containsEntry("a", "NET.a").containsEntry("b", "OTHER.b").containsEntry("c", "NET.c");
    }

    @Test
    void aUserFileMayIncludeABuiltInDescription() throws Exception {
        Path board = write("mine.yaml", """
                include: mps2-an386.yaml
                name: mine
                processor: { type: cortex-m4, clock: 50MHz }
                """);
        MachineDescription d = MachineDescriptions.load(board.toString());
        MachineDescription base = MachineDescriptions.load("mps2-an386");
        assertThat(d.processor().clockHz()).isEqualTo(50_000_000L);
        assertThat(d.memory()).isEqualTo(base.memory());
        assertThat(d.devices()).isEqualTo(base.devices());
    }

    @Test
    void mistakesAreOneLineThatNamesTheFileAndField() throws Exception {
        write("soc.yaml", SOC);
        assertThatThrownBy(() -> MachineDescriptions.load(write("a.yaml", """
                include: soc.yaml
                name: a
                devices:
                  - { name: uart1, type: bitband, base: 0x22000000, size: 32MiB }
                """).toString())).isInstanceOf(MachineException.class)
                .hasMessageEndingWith("a.yaml: devices.uart1: type: expected cmsdk-uart as in " + dir.resolve("soc.yaml")
                        + ", got 'bitband'");
        assertThatThrownBy(() -> MachineDescriptions.load(write("b.yaml", "include: nowhere.yaml\nname: b\n").toString()))
                .hasMessageContaining("b.yaml: include: no file 'nowhere.yaml' in ")
                .hasMessageEndingWith("and no built-in description of that name");
        assertThatThrownBy(() -> MachineDescriptions.load(write("c.yaml", "include: c.yaml\nname: c\n").toString()))
                .hasMessageContaining("include: more than 8 levels of include");
        assertThatThrownBy(() -> MachineDescriptions.load(write("d.yaml", """
                include: soc.yaml
                roles: { link: uart7 }
                """).toString())).hasMessageEndingWith("d.yaml: roles.link: no device called 'uart7'");
        assertThatThrownBy(() -> MachineDescriptions.load(write("e.yaml", "name: e\n").toString()))
                .hasMessageEndingWith("e.yaml: processor: required field is missing");
        assertThatThrownBy(() -> MachineDescriptions.load(write("f.yaml", "include: soc.yaml\nnmae: f\n").toString()))
                .hasMessageContaining("f.yaml:").hasMessageContaining("nmae: unknown field");
    }
}
