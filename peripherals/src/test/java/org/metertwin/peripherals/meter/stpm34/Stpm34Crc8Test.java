package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The frame CRC: CRC-8, polynomial 0x07 (US_REG1 reset value), init 0, MSB first, as ST's Metro_HAL_CalcCRC8;
 * on the UART over bit-reversed bytes and itself reversed (Metro_HAL_byteReverse). Vectors from the research
 * notes (docs/research/meter-domain.md 1.2), computed there by hand.
 */
class Stpm34Crc8Test {
    /*
     * By hand, SPI CRC of 00 FF FF FF (shift left, XOR 0x07 when the bit shifted out is 1):
     *   00 -> crc 00.
     *   FF -> crc FF; eight steps FF>F9>F5>ED>DD>BD>7D>FA>F3: crc F3.
     *   FF -> F3^FF = 0C; 0C>18>30>60>C0>87>09>12>24 (C0: 180^07 = 87): crc 24.
     *   FF -> 24^FF = DB; CRC of DB alone: DB>B1>65>CA>93>21>42>84>0F: crc 0F.
     * UART: the bytes reverse to themselves (00, FF), so the CRC is again 0F, sent reversed: F0.
     */
    @Test
    void handComputedVectorsForSpiAndUart() {
        assertThat(Stpm34Crc8.spi(0x07, 0x00, 0xFF, 0xFF, 0xFF)).isEqualTo(0x0F);
        assertThat(Stpm34Crc8.uart(0x07, 0x00, 0xFF, 0xFF, 0xFF)).isEqualTo(0xF0);
        assertThat(Stpm34Crc8.spi(0x07, 0x48, 0xFF, 0xFF, 0xFF)).isEqualTo(0x24);
        // UART: 48 reversed is 12; CRC(12 FF FF FF) = 44, reversed 22
        assertThat(Stpm34Crc8.uart(0x07, 0x48, 0xFF, 0xFF, 0xFF)).isEqualTo(0x22);
        assertThat(Stpm34Crc8.spi(0x07, 0xFF, 0xFF, 0xFF, 0xFF)).isEqualTo(0xDE);
        assertThat(Stpm34Crc8.uart(0x07, 0xFF, 0xFF, 0xFF, 0xFF)).isEqualTo(0x7B);
    }

    @Test
    void singleByteStepsMatchTheCrc8Table() {
        // CRC-8/0x07 of one byte: 01 -> 07, 80 -> 89, FF -> F3 (the standard table, also in matt123p's crc8_table)
        assertThat(Stpm34Crc8.step(0, 0x01, 0x07)).isEqualTo(0x07);
        assertThat(Stpm34Crc8.step(0, 0x80, 0x07)).isEqualTo(0x89);
        assertThat(Stpm34Crc8.step(0, 0xFF, 0x07)).isEqualTo(0xF3);
    }

    @Test
    void bitReversal() {
        assertThat(Stpm34Crc8.reverse(0x01)).isEqualTo(0x80);
        assertThat(Stpm34Crc8.reverse(0x48)).isEqualTo(0x12);
        assertThat(Stpm34Crc8.reverse(0xF0)).isEqualTo(0x0F);
    }
}
