package org.metertwin.peripherals.meter.stpm34;

/**
 * The STPM3x frame protocol, the same on SPI and UART: the host sends
 * {@code [READ_ADDR][WRITE_ADDR][DATA_LSB][DATA_MSB][CRC]} and, byte for byte at the same time, receives
 * {@code [D0][D1][D2][D3][CRC]}: the 32-bit register (little-endian, low row first) that the <em>previous</em>
 * frame asked for. Reads are pipelined; read address 0xFF asks for the register after the one just sent, so
 * that a block is streamed with FF frames. Write address 0xFF writes nothing; otherwise the 16-bit
 * DATA goes into that row. Without CRC (US_REG1.CRC_EN = 0) frames are four bytes both ways.
 *
 * <p>Sources: the frame layout, the pipelined read and the 0xFF streaming are how ST's driver
 * (metrology_hal.c, Metro_HAL_Stpm_Read / Metro_HAL_Stpm_write) and matt123p/stpm3x ("reads are one behind
 * the request") use the chip; a frame with a bad CRC is dropped (neither the write nor the read address takes
 * effect) and flags the CRC error in US_REG3 (see docs/meter-devices.md ("STPM34: device") for what is unverified).
 */
final class Stpm34Protocol {
    /** What the frames act on: the chip's registers and its interface status. */
    interface Chip {
        /** The 32 bits at rows {@code row} (low half) and {@code row + 1} (high half). */
        int read32(int row);

        /** A 16-bit write to one row. */
        void writeRow(int row, int value);

        /** US_REG1: CRC_EN and the CRC polynomial. */
        int usReg1();

        /** A received frame failed its CRC check. */
        void crcError();
    }

    private static final int NO_ADDRESS = 0xFF;

    private final Chip chip;
    private final int[] received = new int[5];
    private final int[] reply = new int[5];
    /** Bytes of the present frame exchanged so far, and the frame's length (fixed when it starts). */
    private int count;
    private int length;
    /** Whether CRCs are as the UART carries them (bit-reversed) or as the SPI does. */
    private boolean uart;
    /** The row whose register the next frame returns. */
    private int pointer;

    Stpm34Protocol(Chip chip) {
        this.chip = chip;
    }

    void setUart(boolean uart) {
        this.uart = uart;
    }

    /** Power-up state: no frame in progress, the read pointer at row 0 (DSP_CR1). */
    void reset() {
        count = 0;
        pointer = 0;
    }

    /** Drops a partial frame (chip select edge, UART timeout or framing error): the next byte starts a frame. */
    void resync() {
        count = 0;
    }

    boolean midFrame() {
        return count > 0;
    }

    /** The row the next frame will return (for tests and diagnostics). */
    int pointer() {
        return pointer;
    }

    /** One byte in from the host; returns the byte the chip sends meanwhile. Allocates nothing. */
    int exchange(int in) {
        if (count == 0) {
            startFrame();
        }
        int out = reply[count];
        received[count++] = in & 0xFF;
        if (count == length) {
            count = 0;
            complete();
        }
        return out;
    }

    private void startFrame() {
        int us1 = chip.usReg1();
        length = (us1 & Stpm34.CRC_EN) != 0 ? 5 : 4;
        int v = chip.read32(pointer);
        reply[0] = v & 0xFF;
        reply[1] = v >>> 8 & 0xFF;
        reply[2] = v >>> 16 & 0xFF;
        reply[3] = v >>> 24;
        reply[4] = crc(us1, reply);
    }

    private void complete() {
        int us1 = chip.usReg1();
        if (length == 5 && received[4] != crc(us1, received)) {
            chip.crcError();
            return;
        }
        int read = received[0];
        int write = received[1];
        if (write != NO_ADDRESS) {
            chip.writeRow(write, received[2] | received[3] << 8);
        }
        pointer = read == NO_ADDRESS ? (pointer + 2) & 0xFF : read;
    }

    private int crc(int us1, int[] b) {
        int poly = us1 & 0xFF;
        return uart ? Stpm34Crc8.uart(poly, b[0], b[1], b[2], b[3]) : Stpm34Crc8.spi(poly, b[0], b[1], b[2], b[3]);
    }
}
