package org.metertwin.peripherals.meter.stpm34;

/**
 * The CRC-8 that protects every STPM3x frame: polynomial US_REG1.CRC_POLY (0x07 at reset), initial value 0,
 * no final XOR, bits taken most significant first, over the four frame bytes before the CRC byte.
 *
 * <p>The chip's CRC engine takes the bits in the order they arrive on the wire. On SPI (MSB first) that is the
 * plain CRC of the bytes. On the UART (LSB first) it is the CRC of the bit-reversed bytes, and the CRC byte,
 * sent LSB first as well, appears on the wire bit-reversed. ST's reference driver (metrology_hal.c,
 * Metro_HAL_CalcCRC8 and Metro_HAL_byteReverse) computes it exactly so.
 */
public final class Stpm34Crc8 {
    private Stpm34Crc8() {
    }

    /** CRC of the four bytes as the SPI carries them. */
    public static int spi(int poly, int b0, int b1, int b2, int b3) {
        int crc = step(0, b0, poly);
        crc = step(crc, b1, poly);
        crc = step(crc, b2, poly);
        return step(crc, b3, poly);
    }

    /** The CRC byte as the UART carries it: over the bit-reversed bytes, itself bit-reversed. */
    public static int uart(int poly, int b0, int b1, int b2, int b3) {
        return reverse(spi(poly, reverse(b0), reverse(b1), reverse(b2), reverse(b3)));
    }

    /** One byte into the CRC, most significant bit first. */
    static int step(int crc, int data, int poly) {
        crc ^= data & 0xFF;
        for (int i = 0; i < 8; i++) {
            crc = (crc & 0x80) != 0 ? (crc << 1) ^ poly : crc << 1;
        }
        return crc & 0xFF;
    }

    /** The byte with its bit order reversed (bit 0 becomes bit 7). */
    public static int reverse(int b) {
        return Integer.reverse(b & 0xFF) >>> 24;
    }
}
