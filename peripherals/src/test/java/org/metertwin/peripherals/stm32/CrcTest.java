package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.peripherals.stm32.SysMachine.CRC;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CrcTest {
    /**
     * An independent reference: CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final
     * XOR) over bytes with a 256-entry table, which is what the STM32 unit computes over each word's bytes
     * taken most significant first.
     */
    static int mpeg2(byte[] data) {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            table[i] = c;
        }
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc = (crc << 8) ^ table[((crc >>> 24) ^ b) & 0xFF];
        }
        return crc;
    }

    static byte[] bigEndian(int... words) {
        byte[] out = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int k = 0; k < 4; k++) {
                out[4 * i + k] = (byte) (words[i] >>> (24 - 8 * k));
            }
        }
        return out;
    }

    @Test
    void referenceMatchesTheCatalogueCheckValue() {
        // CRC-32/MPEG-2 check value of "123456789" (Williams/reveng catalogue)
        assertThat(mpeg2("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x0376E6E7);
    }

    @Test
    void dataRegisterComputesTheStm32Crc() throws Exception {
        SysMachine m = new SysMachine();
        assertThat(m.read(CRC)).isEqualTo(0xFFFF_FFFF);
        m.write(CRC, 0x12345678);
        assertThat(m.read(CRC)).isEqualTo(mpeg2(bigEndian(0x12345678))).isEqualTo(0xDF8A8A2B);
        m.write(CRC + 0x08, 1); // CR.RESET
        int[] words = {0xDEADBEEF, 0x00000000, 0xFFFFFFFF, 0x80000001, 0x4C11DB70};
        for (int w : words) {
            m.write(CRC, w);
        }
        assertThat(m.read(CRC)).isEqualTo(mpeg2(bigEndian(words)));
        m.write(CRC + 0x04, 0x1A5);
        assertThat(m.read(CRC + 0x04)).as("IDR is 8 bits").isEqualTo(0xA5);
        m.write(CRC + 0x08, 1);
        assertThat(m.read(CRC)).isEqualTo(0xFFFF_FFFF);
        assertThat(m.read(CRC + 0x04)).as("RESET leaves IDR").isEqualTo(0xA5);
    }
}
