package org.metertwin.peripherals.meter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.stm32.Stm32Clocks;
import org.metertwin.peripherals.stm32.Stm32Spi;

/**
 * An EEPROM and a flash on one STM32F4 SPI controller, driven through its registers as firmware does
 * (RM0090 28.3.3 full-duplex master: write DR, wait for RXNE, read DR), each with its own chip select.
 */
class MemoryOnStm32SpiTest {
    static final int CR1 = 0x00, SR = 0x08, DR = 0x0C;
    /** CR1: MSTR, SPE, SSM, SSI, BR = 0 (fPCLK/2); CPOL = CPHA = 0 unless mode 3 is asked for. */
    static final int MASTER = 1 << 2 | 1 << 6 | 1 << 9 | 1 << 8;

    final MeterClock clock = new MeterClock();
    final Stm32Spi spi = new Stm32Spi("SPI1", 0x400, new Stm32Clocks() {
        public long frequency(Domain domain) {
            return 16_000_000;
        }

        public boolean isEnabled(String peripheral) {
            return true;
        }

        public void addListener(Runnable changed) {
        }
    }, Stm32Clocks.Domain.APB2, InterruptLine.NONE, clock.events, false);
    final Pin eeCs = new Pin("PA4");
    final Pin norCs = new Pin("PB0");
    final AnalogLine vcc = new AnalogLine("3V3", 3.3);

    int transfer(int b) {
        spi.write(DR, 2, b);
        clock.runUntil(() -> (spi.read(SR, 2) & 1) != 0, 100_000);
        return spi.read(DR, 2);
    }

    int[] frame(Pin cs, int... mosi) {
        cs.drive(false);
        int[] miso = new int[mosi.length];
        for (int i = 0; i < mosi.length; i++) {
            miso[i] = transfer(mosi[i]);
        }
        cs.drive(true);
        return miso;
    }

    @Test
    void firmwareStyleWriteAndReadOnBothChipsSharingTheBus() {
        eeCs.drive(true);
        norCs.drive(true);
        M95Eeprom ee = new M95Eeprom("EE", M95Eeprom.Part.M95256, clock.events, eeCs, new Pin("W"), vcc, 2.5,
                MemoryImage.inMemory(32 * 1024, 0xFF), 1);
        W25qFlash nor = new W25qFlash("NOR", W25qFlash.Part.W25Q32JV, clock.events, norCs, vcc, 2.7,
                MemoryImage.inMemory(4 << 20, 0xFF), 1);
        spi.attach(ee);
        spi.attach(nor);
        spi.write(CR1, 2, MASTER | 3); // mode 3
        assertThat(frame(norCs, 0x9F, 0, 0, 0)).containsExactly(0xFF, 0xEF, 0x40, 0x16);
        frame(eeCs, 0x06);
        frame(eeCs, 0x02, 0x00, 0x20, 0x11, 0x22);
        // poll WIP as a driver does until the write cycle ends (5 ms of virtual time)
        int polls = 0;
        while ((frame(eeCs, 0x05, 0)[1] & 1) != 0) {
            polls++;
            clock.runFor(100_000);
        }
        assertThat(polls).isBetween(45, 51);
        assertThat(frame(eeCs, 0x03, 0x00, 0x20, 0, 0)).containsExactly(0xFF, 0xFF, 0xFF, 0x11, 0x22);
        assertThat(nor.read(0x20, 2)).containsExactly(0xFF, 0xFF); // the flash was never selected
    }

    @Test
    void mode1IsAnsweredWithAllOnes() {
        eeCs.drive(true);
        M95Eeprom ee = new M95Eeprom("EE", M95Eeprom.Part.M95256, clock.events, eeCs, new Pin("W"), vcc, 2.5,
                MemoryImage.inMemory(32 * 1024, 0xFF), 1);
        spi.attach(ee);
        spi.write(CR1, 2, MASTER | 1); // CPHA = 1, CPOL = 0
        assertThat(frame(eeCs, 0x05, 0)).containsExactly(0xFF, 0xFF);
        spi.write(CR1, 2, 0);
        spi.write(CR1, 2, MASTER);
        assertThat(frame(eeCs, 0x05, 0)).containsExactly(0xFF, 0x00);
    }
}
