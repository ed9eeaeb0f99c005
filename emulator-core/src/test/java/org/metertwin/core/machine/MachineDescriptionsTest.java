package org.metertwin.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineDescriptionsTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void builtInBoardHasQemusMemoryMap() throws Exception {
        MachineDescription d = MachineDescriptions.load("mps2-an386");
        assertThat(d.processor().clockHz()).isEqualTo(25_000_000L);
        assertThat(d.memory()).extracting(MachineDescription.Memory::name).contains("ssram1", "ssram23", "psram");
        Board board = Board.builtIn("mps2-an386", ByteArrayOutputStream.nullOutputStream());
        board.bus().write32(0x20000000, 0x12345678);
        assertThat(board.bus().read32(0x20400000)).as("SSRAM2/3 mirror").isEqualTo(0x12345678);
        assertThat(board.heapInfo()).containsExactly(0x21000000, 0x22000000, 0x22000000, 0x21000000);
    }

    @Test
    void aDescriptionFileRunsFirmware() throws Exception {
        Path machine = write("tiny.yaml", """
                name: tiny
                processor: { type: cortex-m4, clock: 48MHz, irqs: 16, priorityBits: 4 }
                memory:
                  - { name: code, base: 0x00000000, size: 4MiB }
                  - { name: data, base: 0x20000000, size: 4MiB }
                """);
        Path elf = Path.of(getClass().getResource("/corpus/integer-O2-soft.elf").toURI());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.console = console;
        ExecResult r = Exec.run(machine.toString(), elf, o);
        String golden = Files.readString(elf.resolveSibling("integer-O2-soft.out"), StandardCharsets.ISO_8859_1);
        assertThat(console.toString(StandardCharsets.ISO_8859_1)).isEqualTo(golden);
        assertThat(r.exitStatus()).isZero();
        assertThat(r.virtualNanos()).isEqualTo(r.cycles() * 1_000_000_000L / 48_000_000L);
    }

    @Test
    void mistakesNameTheFileLineAndField() throws Exception {
        Path badNumber = write("a.yaml", "name: x\nprocessor: { type: cortex-m4, clock: 25MHz }\nmemory:\n"
                + "  - { name: ram, base: 0x2000000z, size: 4MiB }\n");
        assertThatThrownBy(() -> MachineDescriptions.load(badNumber.toString()))
                .hasMessage(badNumber + ":4:47: memory[0]: base: expected a number like 4096, 0x1000 or 4KiB, got '0x2000000z'");
        Path unknownField = write("b.yaml", "name: x\nprocessor: { type: cortex-m4, clock: 25MHz, cache: on }\n"
                + "memory: [ {name: a, base: 0, size: 1MiB} ]\n");
        assertThatThrownBy(() -> MachineDescriptions.load(unknownField.toString()))
                .hasMessageStartingWith(unknownField + ":2:").hasMessageContaining("processor.cache: unknown field");
        Path missing = write("c.yaml", "name: x\nprocessor: { type: cortex-m4 }\nmemory: [ {name: a, base: 0, size: 1MiB} ]\n");
        assertThatThrownBy(() -> MachineDescriptions.load(missing.toString()))
                .hasMessageContaining("processor.clock: required field is missing");
        Path wrongCore = write("d.yaml", "name: x\nprocessor: { type: cortex-m0, clock: 8MHz }\nmemory: [ {name: a, base: 0, size: 1MiB} ]\n");
        assertThatThrownBy(() -> MachineDescriptions.load(wrongCore.toString()))
                .hasMessageContaining(":2:").hasMessageContaining("type: expected cortex-m4, got 'cortex-m0'");
        Path overlap = write("e.yaml", "name: x\nprocessor: { type: cortex-m4, clock: 8MHz }\nmemory:\n"
                + "  - {name: a, base: 0, size: 1MiB}\n  - {name: b, base: 0x80000, size: 1MiB}\n");
        MachineDescription d = MachineDescriptions.load(overlap.toString());
        assertThatThrownBy(() -> new Board(overlap.toString(), d, ByteArrayOutputStream.nullOutputStream()))
                .isInstanceOf(MachineException.class).hasMessageContaining("memory[1] (b): ").hasMessageContaining("overlaps");
        Path notYaml = write("f.yaml", "name: [\n  - {\n");
        assertThatThrownBy(() -> MachineDescriptions.load(notYaml.toString())).isInstanceOf(MachineException.class)
                .hasMessageStartingWith(notYaml.toString());
        assertThatThrownBy(() -> MachineDescriptions.load("no-such-board"))
                .hasMessageContaining("unknown machine 'no-such-board'");
    }

    private Board board(String yaml) throws Exception {
        Path p = write("dev.yaml", yaml);
        return new Board(p.toString(), MachineDescriptions.load(p.toString()), ByteArrayOutputStream.nullOutputStream());
    }

    private static final String HEAD = "name: x\nprocessor: { type: cortex-m4, clock: 8MHz, irqs: 16 }\n"
            + "memory: [ {name: a, base: 0, size: 1MiB} ]\ndevices:\n";

    @Test
    void deviceMistakesNameTheDeviceAndField() {
        assertThatThrownBy(() -> board(HEAD + "  - { name: u, type: uart9000, base: 0x40000000 }\n"))
                .hasMessageContaining("devices[0] (u): type: unknown device type 'uart9000' (known: ")
                .hasMessageContaining("cmsdk-uart");
        assertThatThrownBy(() -> board(HEAD + "  - { name: u, type: cmsdk-uart, base: 0x40000000, properties: {baud: 9600} }\n"))
                .hasMessageContaining("devices[0] (u): properties.baud: not a setting of type 'cmsdk-uart' (it has none)");
        assertThatThrownBy(() -> board(HEAD + "  - { name: u, type: cmsdk-uart, base: 0x40000000 }\n"
                + "  - { name: u, type: cmsdk-uart, base: 0x40001000 }\n"))
                .hasMessageContaining("devices[1] (u): name: another device is already called 'u'");
        assertThatThrownBy(() -> board(HEAD + "  - { name: u, type: cmsdk-uart, base: 0x40000000, irqs: [300] }\n"))
                .hasMessageContaining("irq: expected 0 to 239, got 300");
        assertThatThrownBy(() -> board(HEAD + "  - { name: b, type: bitband }\n"))
                .hasMessageContaining("devices[0] (b): base: expected the base address of its registers");
        assertThatThrownBy(() -> board(HEAD.replace("devices:\n", "") + "links: [ {port: u, to: elsewhere} ]\n"))
                .hasMessageContaining("to: expected MACHINE/PORT, got 'elsewhere'");
    }

    private String error(byte[] yaml) throws Exception {
        Path p = dir.resolve("m.yaml");
        Files.write(p, yaml);
        try {
            MachineDescriptions.load(p.toString());
        } catch (MachineException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("java.");
            return e.getMessage().substring(p.toString().length());
        }
        throw new AssertionError("accepted: " + new String(yaml, StandardCharsets.UTF_8));
    }

    private String error(String yaml) throws Exception {
        return error(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String machine(String fpu, String writable) {
        return "name: x\nprocessor: { type: cortex-m4, clock: 8MHz" + fpu + " }\n"
                + "memory: [ { name: a, base: 0, size: 1MiB" + writable + " } ]\n";
    }

    /** Issue 13: the description's booleans read both ways, and only true and false are booleans. */
    @Test
    void booleansAreReadAsWritten() throws Exception {
        Path p = write("ok.yaml", machine(", fpu: false", ", writable: false"));
        MachineDescription d = MachineDescriptions.load(p.toString());
        assertThat(d.processor().fpu()).isFalse();
        assertThat(d.memory().get(0).writable()).isFalse();
        write("ok.yaml", machine(", fpu: True", ", writable: TRUE"));
        d = MachineDescriptions.load(p.toString());
        assertThat(d.processor().fpu()).isTrue();
        assertThat(d.memory().get(0).writable()).isTrue();
        write("ok.yaml", machine("", ""));
        d = MachineDescriptions.load(p.toString());
        assertThat(d.processor().fpu()).as("default").isTrue();
        assertThat(d.memory().get(0).writable()).as("default").isTrue();
        for (String bad : new String[] {"yes", "no", "on", "off", "1", "0", "'false'"}) {
            String text = bad.replace("'", "");
            assertThat(error(machine(", fpu: " + bad, ""))).as(bad)
                    .isEqualTo(":2:49: processor.fpu: expected true or false, got '" + text + "'");
            assertThat(error(machine("", ", writable: " + bad))).as(bad)
                    .isEqualTo(":3:53: memory[0].writable: expected true or false, got '" + text + "'");
        }
        assertThat(error(machine(", fpu: ~", ""))).isEqualTo(
                ":2:49: processor.fpu: expected a value, got nothing (leave the field out for its default)");
        assertThat(error(machine(", fpu: true, fpu: false", "")))
                .isEqualTo(":2:55: processor.fpu: appears twice, expected once");
        assertThat(error(machine(", Fpu: false", ""))).startsWith(":2:").contains(" processor.Fpu: unknown field; expected one of");
        assertThat(error(machine(", irqs: 16.5", ""))).isEqualTo(":2:50: processor.irqs: expected a whole number, got '16.5'");
        assertThat(error(machine(", irqs: '16'", ""))).isEqualTo(":2:50: processor.irqs: expected a whole number, got '16'");
    }

    @Test
    void textThatIsNotADescriptionIsNamedInTheUsersTerms() throws Exception {
        byte[] latin1 = (machine("", "") + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(error(latin1)).isEqualTo(": not UTF-8 text: byte 0xe9 at offset 102 (line 4)");
        assertThat(error(new byte[] {0x7f, 'E', 'L', 'F'})).isEqualTo(": not a text file: control character 0x7f at offset 0"
                + " (line 1)");
        assertThat(error("")).isEqualTo(": empty description, expected at least name, processor and memory");
        assertThat(error("# nothing\n")).isEqualTo(": empty description, expected at least name, processor and memory");
        assertThat(error("- name: x\n")).isEqualTo(":1:1: expected a map of fields");
        assertThat(error("name: x\nprocessor: {\n")).startsWith(":3:1: not valid YAML: ");
        assertThat(error("name: x\n\tprocessor: {}\n")).isEqualTo(":2:1: not valid YAML: a tab character; YAML indents"
                + " and separates with spaces");
        assertThat(error(machine("", "") + "---\nname: y\n")).isEqualTo(":5:1: a second document (---); expected one per file");
        assertThat(error("name: x\nprocessor: [1]\nmemory: []\n")).isEqualTo(":2:12: processor: expected a map of fields");
    }
}
