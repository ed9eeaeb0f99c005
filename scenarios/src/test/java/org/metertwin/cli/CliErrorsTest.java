package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: every user mistake the CLI can meet gives exactly one line on stderr naming the file, field,
 * option or byte, exit status 2, no stack trace, no Java class name and no hang. One row per error path;
 * {@code $D} stands for the directory of bad inputs made in {@link #makeBadInputs}.
 */
@Timeout(60)
class CliErrorsTest extends CliTestBase {
    @TempDir
    static Path dir;

    /** The arguments (split on spaces) and the exact line expected on stderr. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                // the command line itself
                row("frob", "metertwin: Unmatched argument at index 0: 'frob' (see 'metertwin --help')"),
                row("exec --frob", "metertwin: Unknown option: '--frob' (see 'metertwin exec --help')"),
                row("run --frob", "metertwin: Unknown option: '--frob' (see 'metertwin run --help')"),
                row("exec --machine", "metertwin: Missing required parameter for option '--machine' (<machine>)"
                        + " (see 'metertwin exec --help')"),
                // exec: ELF files of every kind that is not a program for the board
                row("exec $D/empty.elf", "metertwin: $D/empty.elf: empty file, expected an ELF executable"),
                row("exec $D/text.elf", "metertwin: $D/text.elf: not an ELF file (no \\x7fELF magic at the start)"),
                row("exec $D/header.elf", "metertwin: $D/header.elf: truncated ELF header (30 of 52 bytes)"),
                row("exec $D/segment.elf", "metertwin: $D/segment.elf: truncated segment 1: file bytes 0x1000..0x2418"
                        + " run past the end of the file (5000 bytes)"),
                row("exec $D/phdrs.elf", "metertwin: $D/phdrs.elf: truncated: program header table (at offset"
                        + " 0x7fffffff, 3 entries) runs past the end of the file (24028 bytes)"),
                row("exec $D/class64.elf", "metertwin: $D/class64.elf: ELFCLASS64 is not supported: expected a 32-bit"
                        + " ARM executable (ELFCLASS32)"),
                row("exec $D/bigendian.elf", "metertwin: $D/bigendian.elf: big-endian ELF is not supported: expected"
                        + " little-endian (ELFDATA2LSB)"),
                row("exec $D/x86.elf", "metertwin: $D/x86.elf: e_machine is 3 (x86), expected 40 (ARM)"),
                row("exec $D/object.elf", "metertwin: $D/object.elf: e_type is 1 (relocatable object, not linked),"
                        + " expected 2 (executable)"),
                row("exec $D/unmapped.elf", "metertwin: $D/unmapped.elf: segment 1 (0x60000000..0x60001418) is outside"
                        + " mapped memory: 0x60000000 is not RAM or flash on this machine"),
                row("exec $D/demo.elf $D/none.elf", "metertwin: $D/none.elf: no such file or directory"),
                row("exec $D/none.elf", "metertwin: $D/none.elf: no such file"),
                // exec: machine descriptions
                row("exec --machine $D/latin1.yaml $D/demo.elf",
                        "metertwin: $D/latin1.yaml: not UTF-8 text: byte 0xe9 at offset 100 (line 4)"),
                row("exec --machine $D/broken.yaml $D/demo.elf",
                        "metertwin: $D/broken.yaml:3:1: not valid YAML: expected the node content, but found '<stream end>'"),
                row("exec --machine $D/device.yaml $D/demo.elf", "metertwin: $D/device.yaml: devices[0] (q): type:"
                        + " unknown device type 'quux' (known: *)"),
                row("exec --machine $D/fpu.yaml $D/demo.elf",
                        "metertwin: $D/fpu.yaml:2:49: processor.fpu: expected true or false, got 'yes'"),
                row("exec --machine $D/irqs.yaml $D/demo.elf",
                        "metertwin: $D/irqs.yaml:2:50: processor.irqs: expected a whole number, got '16.5'"),
                row("exec --machine $D/tab.yaml $D/demo.elf", "metertwin: $D/tab.yaml:2:1: not valid YAML: a tab"
                        + " character; YAML indents and separates with spaces"),
                row("exec --machine $D $D/demo.elf", "metertwin: $D: is a directory, expected a machine description"),
                row("exec --machine pdp-11 $D/demo.elf", "metertwin: unknown machine 'pdp-11' (built in: management, metrology,"
                        + " mps2-an386, netduinoplus2; or a path to a description)"),
                // exec: option values
                row("exec --max-instructions -1", "metertwin: --max-instructions: must not be negative"),
                row("exec --max-instructions 1.5", "metertwin: Invalid value for option '--max-instructions': '1.5' is"
                        + " not a long (see 'metertwin exec --help')"),
                row("exec --quantum 0", "metertwin: --quantum: expected 1 to 1000000 microseconds, got 0"),
                row("exec --quantum 2000000", "metertwin: --quantum: expected 1 to 1000000 microseconds, got 2000000"),
                row("exec --gdb 70000", "metertwin: --gdb 70000: expected [ADDRESS:]PORT with a port from 0 to 65535"),
                row("exec --gdb host:", "metertwin: --gdb host:: expected [ADDRESS:]PORT with a port from 0 to 65535"),
                row("exec --uart USART1", "metertwin: --uart USART1: expected NAME=SPEC, such as USART1=tcp:4000"),
                row("exec --uart =tcp:4000", "metertwin: --uart =tcp:4000: expected NAME=SPEC, such as USART1=tcp:4000"),
                row("exec --uart uart0=stdio", "metertwin: --uart uart0=stdio: no UART called uart0 on mps2-an386 (it"
                        + " has no UART that --uart can connect)"),
                row("exec --machine netduinoplus2 --uart USART9=stdio $D/demo.elf", "metertwin: --uart USART9=stdio:"
                        + " no UART called USART9 on netduinoplus2 (UARTs: *)"),
                row("exec --machine netduinoplus2 --uart USART1=bogus $D/demo.elf", "metertwin: --uart USART1=bogus:"
                        + " expected tcp:PORT, tcp:HOST:PORT, serial:DEVICE, stdio or file:PATH"),
                row("exec --machine netduinoplus2 --uart USART1=tcp:99999 $D/demo.elf", "metertwin: --uart"
                        + " USART1=tcp:99999: expected a port number 1-65535, got '99999'"),
                row("exec --machine netduinoplus2 --uart USART1=tcp: $D/demo.elf",
                        "metertwin: --uart USART1=tcp:: expected tcp:PORT or tcp:HOST:PORT"),
                row("exec --machine netduinoplus2 --uart USART1=file:$D/no/f $D/demo.elf", "metertwin: --uart"
                        + " USART1=file:$D/no/f: cannot create $D/no/f: no such directory"),
                row("exec --machine netduinoplus2 --uart USART1=stdio:x $D/demo.elf",
                        "metertwin: --uart USART1=stdio:x: expected stdio alone, without ':'"),
                row("exec --host-dir $D/no $D/demo.elf", "metertwin: --host-dir: $D/no: not a directory"),
                row("exec --trace $D/no/t.txt $D/demo.elf", "metertwin: --trace $D/no/t.txt: cannot write: no such"
                        + " directory"),
                row("exec --trace $D $D/demo.elf", "metertwin: --trace $D: is a directory, expected a file"),
                row("exec --coverage $D/no/c.info $D/demo.elf", "metertwin: --coverage $D/no/c.info: cannot write: no"
                        + " such directory"),
                row("exec --trace-registers $D/demo.elf", "metertwin: --trace-registers: needs --trace FILE"),
                row("exec --gdb-wait $D/demo.elf", "metertwin: --gdb-wait: needs --gdb PORT"),
                // run: scenarios
                row("run $D/none.yaml", "metertwin: $D/none.yaml: no such file"),
                row("run $D", "metertwin: $D: is a directory, expected a scenario file"),
                row("run $D/empty.yaml", "metertwin: $D/empty.yaml: empty scenario, expected at least meter and duration"),
                row("run $D/list.yaml", "metertwin: $D/list.yaml:1:1: expected a map of fields, got a list"),
                row("run $D/twice.yaml", "metertwin: $D/twice.yaml:2:1: duration: appears twice, expected once"),
                row("run $D/tabs.yaml", "metertwin: $D/tabs.yaml:3:1: not valid YAML: a tab character; YAML indents and"
                        + " separates with spaces"),
                row("run $D/type.yaml", "metertwin: $D/type.yaml:2:28: load[0].current: expected a number, got '10'"),
                row("run $D/range.yaml", "metertwin: $D/range.yaml:2:28: load[0].current: expected a current of 0 A"
                        + " or more, got -1.0"),
                row("run $D/yes.yaml", "metertwin: $D/yes.yaml:2:40: load[0].lagging: expected true or false, got"
                        + " 'yes'"),
                row("run $D/neither.yaml", "metertwin: $D/neither.yaml:2:56: load[0].leading: expected lagging or"
                        + " leading, got both false (lagging: false already means leading)"),
                row("run $D/latin1s.yaml", "metertwin: $D/latin1s.yaml: not UTF-8 text: byte 0xb4 at offset 18 (line 2)"),
                row("run $D/binary.yaml", "metertwin: $D/binary.yaml: not a text file: control character 0x7f at"
                        + " offset 0 (line 1)"),
                row("run $D/two.yaml", "metertwin: $D/two.yaml:3:1: a second document (---); expected one per file"),
                // run: option values
                row("run --report $D/no/r.json $D/ok.yaml", "metertwin: --report $D/no/r.json: expected a file in an"
                        + " existing directory"),
                row("run --report $D $D/ok.yaml", "metertwin: --report $D: expected a file in an existing directory"),
                row("run --firmware $D/none.elf $D/ok.yaml", "metertwin: --firmware $D/none.elf: no such file"),
                row("run --firmware $D $D/ok.yaml", "metertwin: --firmware $D: is a directory, expected an ELF file"),
                row("run --firmware $D/text.elf $D/ok.yaml",
                        "metertwin: $D/text.elf: not an ELF file (no \\x7fELF magic at the start)"),
                row("run --firmware $D/empty.elf $D/ok.yaml",
                        "metertwin: $D/empty.elf: empty file, expected an ELF executable"),
                row("run --eeprom $D/no/e.bin $D/ok.yaml", "metertwin: --eeprom $D/no/e.bin: expected a file in an"
                        + " existing directory"),
                row("run --eeprom $D $D/ok.yaml", "metertwin: --eeprom $D: is a directory, expected a file"),
                row("run --eeprom $D/small.bin $D/ok.yaml", "metertwin: --eeprom: file $D/small.bin has 1 bytes,"
                        + " expected 32768 (the size of M95256)"),
                row("run --gdb x $D/ok.yaml", "metertwin: --gdb x: expected [ADDRESS:]PORT with a port from 0 to 65535"),
                row("run --gdb-wait $D/ok.yaml", "metertwin: --gdb-wait: needs --gdb PORT"));
    }

    private static Arguments row(String args, String line) {
        return Arguments.of(args, line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void oneLineAndStatusTwo(String args, String line) {
        String d = dir.toString();
        int status = run(args.replace("$D", d).split(" "));
        String stderr = errText();
        assertThat(stderr.lines()).as(stderr).hasSize(1);
        String got = stderr.lines().findFirst().orElseThrow();
        String expected = line.replace("$D", d);
        if (expected.endsWith("*)")) { // a list that grows as device types are added: its start is enough
            assertThat(got).startsWith(expected.substring(0, expected.length() - 2));
        } else {
            assertThat(got).isEqualTo(expected);
        }
        assertThat(got).doesNotContain("Exception", "java.", "\tat ");
        assertThat(status).isEqualTo(2);
    }

    /** Root reads any file, so this path is tried only where the file really is unreadable. */
    @Test
    void anUnreadableFileIsNamed() throws IOException {
        Path f = dir.resolve("secret.yaml");
        Files.writeString(f, "duration: 1m\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "running as a user who can read anything");
        assertThat(run("run", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + f + ": cannot be read: permission denied"
                + System.lineSeparator());
        err.reset();
        assertThat(run("exec", f.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("metertwin: " + f + ": not readable" + System.lineSeparator());
    }

    @BeforeAll
    static void makeBadInputs() throws IOException {
        byte[] demo;
        try (InputStream in = CliErrorsTest.class.getResourceAsStream(ExecCommand.DEMO_RESOURCE)) {
            demo = in.readAllBytes();
        }
        write("demo.elf", demo);
        write("empty.elf", new byte[0]);
        write("text.elf", "hello\n".getBytes(StandardCharsets.UTF_8));
        write("header.elf", java.util.Arrays.copyOf(demo, 30));
        write("segment.elf", java.util.Arrays.copyOf(demo, 5000));
        write("phdrs.elf", patch(demo, 28, 0x7fffffff)); // e_phoff
        write("class64.elf", patchByte(demo, 4, 2));
        write("bigendian.elf", patchByte(demo, 5, 2));
        write("x86.elf", patchByte(demo, 18, 3)); // e_machine
        write("object.elf", patchByte(demo, 16, 1)); // e_type ET_REL
        write("unmapped.elf", moveFirstLoadSegment(demo, 0x60000000));
        String machine = "name: x\nprocessor: { type: cortex-m4, clock: 8MHz }\nmemory: [ {name: a, base: 0, size: 1MiB} ]\n";
        write("latin1.yaml", (machine + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        write("broken.yaml", "name: x\nprocessor: {\n");
        write("device.yaml", machine + "devices: [ {name: q, type: quux} ]\n");
        write("fpu.yaml", machine.replace("8MHz }", "8MHz, fpu: yes }"));
        write("irqs.yaml", machine.replace("8MHz }", "8MHz, irqs: 16.5 }"));
        write("tab.yaml", "name: x\n\tprocessor: {}\n");
        write("ok.yaml", "duration: 1m\n");
        write("empty.yaml", "");
        write("list.yaml", "- duration: 1m\n");
        write("twice.yaml", "duration: 1m\nduration: 2m\n");
        write("tabs.yaml", "duration: 1m\nload:\n\t- { at: 0s, current: 1 }\n");
        write("type.yaml", "duration: 1m\nload: [ { at: 0s, current: '10' } ]\n");
        write("range.yaml", "duration: 1m\nload: [ { at: 0s, current: -1 } ]\n");
        write("yes.yaml", "duration: 1m\nload: [ { at: 0s, current: 1, lagging: yes } ]\n");
        write("neither.yaml", "duration: 1m\nload: [ { at: 0s, current: 1, lagging: false, leading: false } ]\n");
        write("latin1s.yaml", "duration: 1h\n# caf\u00b4\n".getBytes(StandardCharsets.ISO_8859_1));
        write("binary.yaml", new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, '[', '{'});
        write("two.yaml", "duration: 1m\n---\nduration: 2m\n");
        write("small.bin", new byte[] {1});
    }

    private static void write(String name, String text) throws IOException {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    private static byte[] patchByte(byte[] elf, int offset, int value) {
        byte[] b = elf.clone();
        b[offset] = (byte) value;
        return b;
    }

    private static byte[] patch(byte[] elf, int offset, int word) {
        byte[] b = elf.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, word);
        return b;
    }

    /** The first PT_LOAD segment moved to {@code address}, where the board has no memory. */
    private static byte[] moveFirstLoadSegment(byte[] elf, int address) {
        byte[] b = elf.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = bb.getInt(28), phentsize = bb.getShort(42), phnum = bb.getShort(44);
        for (int i = 0; i < phnum; i++) {
            int ph = phoff + i * phentsize;
            if (bb.getInt(ph) == 1) { // PT_LOAD
                bb.putInt(ph + 8, address).putInt(ph + 12, address);
                return b;
            }
        }
        throw new AssertionError("the demo has no PT_LOAD segment");
    }
}
