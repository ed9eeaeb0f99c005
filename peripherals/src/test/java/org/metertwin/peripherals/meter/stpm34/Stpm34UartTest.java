package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The STPM34 on its UART: 8N1 at 16 MHz / US_REG2 (0x683 at reset: 9598 baud, ST's "9600"), reply bytes
 * one character after each request byte, CRCs over bit-reversed bytes (ST Metro_HAL_byteReverse), errors in
 * US_REG3, TIME_OUT and SCS resynchronisation.
 */
class Stpm34UartTest {
    /** 16 MHz / 0x683 (1667) = 9598.08 baud. */
    static final SerialFormat AT_RESET = new SerialFormat(9598, 8, SerialFormat.Parity.NONE, 2);
    /** 10 bit times at 9598 baud, rounded up: 1e10 / 9598 = 1 041 883.7 ns. */
    static final long CHARACTER_NANOS = 1_041_884;

    final MeterClock clock = new MeterClock();
    final Pin scs = new Pin("scs"), syn = new Pin("syn");
    final Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 0, 0));
    final List<Integer> replies = new ArrayList<>();
    final List<Long> replyTimes = new ArrayList<>();
    Stpm34 chip;
    SerialFormat host = AT_RESET;

    @BeforeEach
    void powerUpOnTheUart() {
        chip = new Stpm34("stpm", clock.events, mains, SensorNetwork.referenceBoard(),
                new Stpm34.Pins(null, scs, syn, new Pin("int1"), new Pin("int2"), new Pin("led1"), new Pin("led2"),
                        new Pin("zcr")), Stpm34.Interface.UART);
        chip.connectTransmitter((data, format) -> {
            assertThat(format).isEqualTo(chip.format());
            replies.add(data);
            replyTimes.add(clock.now());
        });
        scs.drive(true);
        syn.drive(true);
        clock.runFor(Stpm34.STARTUP_NANOS);
    }

    /** Sends bytes back to back at the host's format, then waits for the last reply. */
    void send(int... bytes) {
        for (int b : bytes) {
            clock.runFor(host.frameNanos());
            chip.receiver().receive(b, host);
        }
        clock.runFor(host.frameNanos());
    }

    /** A frame with its UART CRC; returns the five reply bytes. */
    int[] frame(int read, int write, int lsb, int msb) {
        replies.clear();
        send(read, write, lsb, msb, Stpm34Crc8.uart(0x07, read, write, lsb, msb));
        return replies.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theBaudRateIsSixteenMegahertzOverUsReg2() {
        assertThat(chip.format()).isEqualTo(AT_RESET);
        assertThat(chip.format().frameNanos()).isEqualTo(CHARACTER_NANOS);
        assertThat(chip.selectedInterface()).isEqualTo(Stpm34.Interface.UART);
    }

    @Test
    void aWriteReadsBackWithBitReversedCrcs() {
        frame(0xFF, 0x06, 0x34, 0x12); // DSP_CR4 low row
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x1234);
        replies.clear();
        send(0x06, 0xFF, 0xFF, 0xFF, Stpm34Crc8.uart(0x07, 0x06, 0xFF, 0xFF, 0xFF));
        replies.clear();
        send(0xFF, 0xFF, 0xFF, 0xFF, 0x7B); // UART CRC of FF FF FF FF from the research notes' table
        assertThat(replies).containsExactly(0x34, 0x12, 0x00, 0x00, Stpm34Crc8.uart(0x07, 0x34, 0x12, 0x00, 0x00));
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
    }

    @Test
    void theSpiCrcIsWrongOnTheUart() {
        send(0x00, 0xFF, 0xFF, 0xFF, 0x0F); // the SPI CRC of 00 FF FF FF
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(Stpm34.UART_CRC_ERR); // bit 17
        send(0x00, 0xFF, 0xFF, 0xFF, 0xF0); // the UART CRC (research notes' table)
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(Stpm34.UART_CRC_ERR); // no new error
    }

    @Test
    void aBadCrcRefusesTheWrite() {
        send(0xFF, 0x06, 0x34, 0x12, 0x00);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isZero();
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(1 << 17);
    }

    @Test
    void eachReplyByteLeavesAsItsRequestByteArrives() {
        long start = clock.now();
        int[] reply = frame(0xFF, 0xFF, 0xFF, 0xFF);
        // the first frame after power-up returns row 0: DSP_CR1 = 0x040000A0, little-endian
        assertThat(reply).containsExactly(0xA0, 0x00, 0x00, 0x04, Stpm34Crc8.uart(0x07, 0xA0, 0x00, 0x00, 0x04));
        for (int i = 0; i < 5; i++) {
            // request byte i ends at start + (i+1) characters; its reply takes one more character
            assertThat(replyTimes.get(replyTimes.size() - 5 + i)).isEqualTo(start + (i + 2) * CHARACTER_NANOS);
        }
    }

    @Test
    void aNewBaudRateAppliesFromTheNextFrame() {
        frame(0xFF, 0x26, 0x8B, 0x00); // US_REG2 BAUD = 0x8B: 16 MHz / 139 = 115108 baud (ST's "115200")
        assertThat(chip.format().baud()).isEqualTo(115_108);
        send(0xFF, 0x06, 0x34, 0x12, Stpm34Crc8.uart(0x07, 0xFF, 0x06, 0x34, 0x12)); // still at 9598 baud
        assertThat(chip.register(Stpm34Map.US_REG3) & Stpm34.UART_FRAME_ERR).isNotZero(); // bit 19
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isZero();
        host = new SerialFormat(115_200, 8, SerialFormat.Parity.NONE, 2); // within the receiver's tolerance
        frame(0xFF, 0x06, 0x34, 0x12);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x1234);
    }

    @Test
    void parityIsAFramingError() {
        host = new SerialFormat(9598, 8, SerialFormat.Parity.EVEN, 2);
        send(0xFF);
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(Stpm34.UART_FRAME_ERR);
        assertThat(replies).isEmpty();
    }

    @Test
    void theTimeoutDropsAPartialFrame() {
        frame(0xFF, 0x25, 0x02, 0x00); // US_REG1 TIME_OUT = 2 (ms)
        send(0xFF, 0x06);
        clock.runFor(3_000_000);
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(Stpm34.UART_TIMEOUT_ERR); // bit 18
        frame(0xFF, 0x06, 0x34, 0x12);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x1234);
    }

    @Test
    void withoutTimeoutAPartialFrameWaits() {
        send(0xFF, 0x06, 0x34); // TIME_OUT is 0 at reset
        clock.runFor(50_000_000);
        send(0x12, Stpm34Crc8.uart(0x07, 0xFF, 0x06, 0x34, 0x12));
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x1234);
    }

    @Test
    void anScsLowPulseResetsTheInterface() {
        send(0xFF, 0x06, 0x34);
        scs.drive(false); // ST Metro_HAL_init_device: one SCS pulse after the SYN reset
        scs.drive(true);
        frame(0xFF, 0x06, 0x78, 0x56);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x5678);
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
    }

    @Test
    void spiIsIgnoredOnAUartChip() {
        scs.drive(false);
        assertThat(chip.spiTarget().exchange(0x00, 8, true, true, false)).isEqualTo(0xFF);
    }
}
