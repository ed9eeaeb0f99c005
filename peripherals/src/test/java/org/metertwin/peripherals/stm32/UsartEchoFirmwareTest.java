package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfLoader;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.semihosting.Semihosting;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.Event;

/**
 * Runs usart_echo.elf on the netduinoplus2 board with its input fed into USART1 at the line rate (one
 * character per frame time while the receiver can take one, as a host bridge does) and compares with
 * QEMU's golden output. Netduinoplus2FirmwareTest does the same once the host bridges exist.
 */
class UsartEchoFirmwareTest {
    static final Path DIR = Path.of("src/test/resources/firmware/netduinoplus2");

    /** The built-in board; a stand-in RAM page where the RCC/CRC/FLASH blocks go when no model is there yet. */
    static Board board(ByteArrayOutputStream out) throws Exception {
        MachineDescription d = MachineDescriptions.load("netduinoplus2");
        boolean rccModelled = d.devices().stream()
                .anyMatch(dev -> dev.base() != null && (dev.base() & 0xFFFFF000) == 0x40023000);
        if (!rccModelled) {
            List<MachineDescription.Memory> memory = new ArrayList<>(d.memory());
            memory.add(new MachineDescription.Memory("rcc-stand-in", 0x40023000, 0x1000, true, null));
            d = new MachineDescription(d.name(), d.processor(), memory, d.devices(), d.links());
        }
        return new Board("netduinoplus2", d, out);
    }

    @Test
    void echoMatchesQemu() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Board board = board(out);
        ElfFile elf = ElfFile.read(DIR.resolve("usart_echo.elf"));
        ElfLoader.load(elf, board.bus());
        CortexM4 cpu = board.cpu();
        Semihosting semihosting = new Semihosting(out, out, InputStream.nullInputStream(), null, "",
                board.heapInfo());
        cpu.setBreakpointHandler(semihosting);
        cpu.setStopOnMissingFaultHandler(true);
        board.reset(ResetCause.POWER_ON);

        byte[] input = Files.readAllBytes(DIR.resolve("usart_echo.input"));
        SerialPort usart1 = board.serialPort("USART1");
        int[] next = {0};
        Event[] feeder = new Event[1];
        feeder[0] = cpu.events().event("feed USART1", when -> {
            if (next[0] < input.length && usart1.canReceive()) {
                usart1.receiver().receive(input[next[0]++] & 0xFF, null);
            }
            if (next[0] < input.length) {
                cpu.events().schedule(feeder[0], when + usart1.format().frameNanos());
            }
        });
        cpu.events().schedule(feeder[0], 1_000_000);

        while (!semihosting.exited() && cpu.instructions() < 50_000_000L) {
            cpu.run(1_000_000);
        }
        semihosting.flush();
        assertThat(semihosting.exited()).as("exited").isTrue();
        assertThat(out.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo(Files.readString(DIR.resolve("usart_echo.out"), StandardCharsets.ISO_8859_1));
        assertThat(semihosting.exitStatus()).isEqualTo(
                Integer.parseInt(Files.readString(DIR.resolve("usart_echo.exit")).trim()));
        // 33 characters in, 33 echoed: at least 34 frames of 86.9 us (115108 baud, 8N1) of virtual time
        assertThat(cpu.virtualNanos()).isGreaterThan(34 * usart1.format().frameNanos());
    }
}
