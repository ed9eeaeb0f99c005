package org.metertwin.management.rtos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;

/**
 * The RTOS's device files (management-core/firmware/rtos, docs/rtos.md "Devices"): devices_test.elf's process
 * drives the RS-485 UART (USART3, /dev/ttyS1) while this test plays the other end of the line, each character
 * framed as a real sender would frame it (the USART model samples the waveform: a wrong parity is seen as
 * one). What the firmware sends comes back here with the format the UART put it on the line with. Then
 * /data, the power-safe file system on the board's NOR, through the same calls.
 */
class DevicesTest {
    static final Path ELF = Path.of("src/test/resources/firmware/rtos/devices_test.elf");
    static final SerialFormat E8_2400 = new SerialFormat(2400, 8, SerialFormat.Parity.EVEN, 2);
    static final SerialFormat O8_2400 = new SerialFormat(2400, 8, SerialFormat.Parity.ODD, 2);
    static final SerialFormat N8_9600 = new SerialFormat(9600, 8, SerialFormat.Parity.NONE, 2);

    record Sent(long nanos, char c, SerialFormat format) { }

    /** text framed as format, the first character's stop bit ending at atMillis, back to back */
    static void send(EventQueue q, SerialPort port, long atMillis, String text, SerialFormat format) {
        long t = atMillis * 1_000_000L;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            q.schedule(q.event("line " + (char) c, when -> port.receiver().receive(c, format)),
                    t + i * format.frameNanos());
        }
    }

    @Test
    void aProcessTalksOnTheRs485PortThroughItsDeviceFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Sent> line = new ArrayList<>();
        org.metertwin.peripherals.meter.memory.M95Eeprom[] eeprom = new org.metertwin.peripherals.meter.memory.M95Eeprom[1];
        org.metertwin.peripherals.meter.relay.LatchingRelay[] relay = new org.metertwin.peripherals.meter.relay.LatchingRelay[1];
        org.metertwin.peripherals.meter.lcd.Ht1621[] lcd = new org.metertwin.peripherals.meter.lcd.Ht1621[1];
        org.metertwin.peripherals.meter.memory.W25qFlash[] nor = new org.metertwin.peripherals.meter.memory.W25qFlash[1];
        ExecOptions o = ExecOptions.semihosted(out, 200_000_000L);
        o.setups.add(board -> {
            eeprom[0] = (org.metertwin.peripherals.meter.memory.M95Eeprom) board.deviceObject("eeprom");
            relay[0] = (org.metertwin.peripherals.meter.relay.LatchingRelay) board.deviceObject("relay");
            lcd[0] = (org.metertwin.peripherals.meter.lcd.Ht1621) board.deviceObject("lcd");
            nor[0] = (org.metertwin.peripherals.meter.memory.W25qFlash) board.deviceObject("nor");
            // the sectors /dev/nor's test erases and programs, not blank before it (as a used download slot)
            byte[] old = new byte[0x2000];
            java.util.Arrays.fill(old, (byte) 0x5A);
            nor[0].preload(0, old);
            SerialPort usart3 = board.serialPort("USART3");
            EventQueue q = board.cpu().events();
            usart3.connectTransmitter((data, format) -> line.add(new Sent(q.now(), (char) data, format)));
            send(q, usart3, 100, "Z", O8_2400);
            send(q, usart3, 200, "hello\n", E8_2400);
            send(q, usart3, 600, "fast\n", N8_9600);
            // a firmware waiting for ever would leave the run asleep for ever (TIM2 counts on): a limit
            q.schedule(q.event("test time limit", when -> {
                throw new IllegalStateException("no end after 30 s of virtual time; console: "
                        + out.toString(StandardCharsets.ISO_8859_1));
            }), 30_000_000_000L);
        });
        ExecResult r = Exec.run("management", ELF, o);
        String console = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(console).as(r.message()).isEqualTo("rtos devices test\n"
                + "tty: other port -13; 2400 8E1; non-blocking read -11, 50 ms read -110 after 51 ms; line hello;"
                + " 9600 7N1 -22; set 0 9600 8N1; poll 1 0x1; line fast; received 11 sent 21 parity errors 1"
                + " framing 0 overruns 0; exit 0\n"
                // /data: a new configuration renamed over the old, read back from an offset; K, killed with a
                // file open for writing, leaves no file and no block behind
                + "data: write 9 close 0 rename 0 seek 7 read 2 2, size 9, /data/other -13, listed 1 config then 0,"
                + " exit 0; K killed (wait -14), its file -2, config 0, blocks used 2 then 2, free 30 of 32\n"
                // the EEPROM across a page boundary, the latching relay opened and closed by 40 ms coil pulses
                + "board: eeprom wrote 300 at 200, back to 200, read 300 the same, past the end -22, at the end 0;"
                + " relay 1 0 1 (open 1, during its pulse -16, close 1), exit 0\n"
                // the RTC's LSE takes 2 s to start: the first read waits for it; the calendar set, 12 s later
                + "rtc: open 0, after reset 2000-01-01 00:00:00 weekday 1, month 13 -22, set 8, 12 s later"
                + " 2026-12-07 14:00:02 weekday 1\n"
                // the HT1621's RAM through the 3-wire protocol, read back from the kernel's copy
                + "lcd: wrote 6 at 10, read 4 at 12: 0x4 0x8 0xf 0x5, past the end -22\n"
                // the raw NOR inside N's manifest range 0x000000-0x001FFF only; others may not open it at all
                + "nor: Y open -13, trusted open -13; N read-only erase -9, open 0, erase 0 0, write at 0x1ff8 -13,"
                + " write at 0xfc 13, read 13 the same, at 0x1ff8 8, erase 0x200000 -13 read -13, kernel data -14,"
                + " erase 0x800 -22, exit 0\n"
                + "devices test: 0 failures\n");
        assertThat(r.exitStatus()).isZero();
        // the chips themselves: the bytes are in the EEPROM model, the relay operated twice and is closed
        byte[] stored = eeprom[0].read(200, 300);
        for (int i = 0; i < 300; i++) {
            assertThat(stored[i] & 0xFF).as("EEPROM byte %d", 200 + i).isEqualTo((i * 7 + 1) & 0xFF);
        }
        assertThat(relay[0].operations()).isEqualTo(2);
        assertThat(relay[0].isClosed()).isTrue();
        // the LCD controller itself: on, four commons, the nibbles at RAM 10-15
        assertThat(lcd[0].isLcdOn()).isTrue();
        assertThat(lcd[0].isSystemEnabled()).isTrue();
        assertThat(lcd[0].commons()).isEqualTo(4);
        int[] nibbles = {0x1, 0x2, 0x4, 0x8, 0xF, 0x5};
        for (int i = 0; i < nibbles.length; i++) {
            assertThat(lcd[0].ram(10 + i)).as("HT1621 RAM %d", 10 + i).isEqualTo(nibbles[i]);
        }
        // the chip itself: sector 0 erased but for the 13 bytes written at 0xfc, sector 1 untouched
        byte[] sector0 = nor[0].read(0, 0x1000);
        byte[] text = "raw NOR page\0".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < sector0.length; i++) {
            int expected = i >= 0xFC && i < 0xFC + text.length ? text[i - 0xFC] & 0xFF : 0xFF;
            assertThat(sector0[i] & 0xFF).as("NOR byte 0x%x", i).isEqualTo(expected);
        }
        assertThat(nor[0].read(0x1000, 0x1000)).as("NOR sector 1").containsOnly((byte) 0x5A);
        StringBuilder first = new StringBuilder(), second = new StringBuilder();
        for (Sent s : line) { // the baud rate as BRR makes it from 16 MHz: 2399.9 and 9598.1
            if (s.format().parity() == SerialFormat.Parity.EVEN) {
                assertThat(s.format().dataBits()).isEqualTo(8);
                assertThat((double) s.format().baud()).isCloseTo(2400, org.assertj.core.data.Percentage.withPercentage(0.1));
                first.append(s.c());
            } else {
                assertThat(s.format().parity()).isEqualTo(SerialFormat.Parity.NONE);
                assertThat(s.format().dataBits()).isEqualTo(8);
                assertThat((double) s.format().baud()).isCloseTo(9600, org.assertj.core.data.Percentage.withPercentage(0.1));
                second.append(s.c());
            }
        }
        assertThat(first).hasToString("echo:hello\n");
        assertThat(second).hasToString("echo:fast\n");
        // the answer follows the request's last character; the second comes after the 600 ms request
        assertThat(line.get(0).nanos()).isGreaterThan(200_000_000L + 5 * E8_2400.frameNanos());
        assertThat(line.get(11).nanos()).isGreaterThan(600_000_000L + 4 * N8_9600.frameNanos());
    }
}
