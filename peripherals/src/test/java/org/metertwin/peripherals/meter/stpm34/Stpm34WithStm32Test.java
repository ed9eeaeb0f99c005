package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;
import org.metertwin.peripherals.stm32.Stm32Clocks;
import org.metertwin.peripherals.stm32.Stm32Spi;
import org.metertwin.peripherals.stm32.Stm32Usart;

/**
 * The STPM34 against the STM32F4 models as firmware would drive them: ST's driver settings (mode 3 SPI, MSB
 * first; 9600 8N1 UART) through the controllers' registers (RM0090 28.5, 30.6), in virtual time.
 */
class Stpm34WithStm32Test {
    final MeterClock clock = new MeterClock();
    final Pin scs = new Pin("scs"), syn = new Pin("syn");
    final Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 0, 0));
    static final Stm32Clocks PCLK_16MHZ = new Stm32Clocks() {
        public long frequency(Domain domain) {
            return 16_000_000;
        }

        public boolean isEnabled(String peripheral) {
            return true;
        }

        public void addListener(Runnable changed) {
        }
    };

    Stpm34 chip(Stpm34.Interface strap) {
        return new Stpm34("stpm", clock.events, mains, SensorNetwork.referenceBoard(),
                new Stpm34.Pins(null, scs, syn, new Pin("int1"), new Pin("int2"), new Pin("led1"), new Pin("led2"),
                        new Pin("zcr")), strap);
    }

    @Test
    void anStm32SpiInMode3ReadsARegisterBack() {
        Stpm34 chip = chip(Stpm34.Interface.SPI);
        scs.drive(true);
        clock.runFor(Stpm34.STARTUP_NANOS);
        Stm32Spi spi = new Stm32Spi("SPI1", 0x400, PCLK_16MHZ, Stm32Clocks.Domain.APB2, InterruptLine.NONE,
                clock.events, false);
        spi.attach(chip.spiTarget());
        // CR1: CPHA, CPOL, MSTR, BR = 2 (f/8 = 2 MHz), SPE, SSI, SSM (RM0090 28.5.1)
        spi.write(0x00, 4, 1 | 1 << 1 | 1 << 2 | 2 << 3 | 1 << 6 | 1 << 8 | 1 << 9);
        int[] write = {0xFF, 0x06, 0x34, 0x12, Stpm34Crc8.spi(0x07, 0xFF, 0x06, 0x34, 0x12)};
        int[] read = {0x06, 0xFF, 0xFF, 0xFF, Stpm34Crc8.spi(0x07, 0x06, 0xFF, 0xFF, 0xFF)};
        int[] fetch = {0xFF, 0xFF, 0xFF, 0xFF, 0xDE}; // SPI CRC of FF FF FF FF (research notes' table)
        transfer(spi, write);
        transfer(spi, read);
        int[] reply = transfer(spi, fetch);
        assertThat(reply).containsExactly(0x34, 0x12, 0x00, 0x00, Stpm34Crc8.spi(0x07, 0x34, 0x12, 0x00, 0x00));
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
    }

    /** SCS low, each byte through DR waiting for RXNE, SCS high (ST Metro_HAL_SpiTxStart). */
    int[] transfer(Stm32Spi spi, int[] bytes) {
        scs.drive(false);
        int[] in = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            spi.write(0x0C, 4, bytes[i]);
            clock.runUntil(() -> (spi.read(0x08, 4) & 1) != 0, 1_000_000);
            in[i] = spi.read(0x0C, 4);
        }
        scs.drive(true);
        clock.runFor(5_000);
        return in;
    }

    @Test
    void anStm32UsartAt9600BaudWritesAndReadsBack() {
        Stpm34 chip = chip(Stpm34.Interface.UART);
        scs.drive(true);
        Stm32Usart usart = new Stm32Usart("USART2", 0x400, PCLK_16MHZ, Stm32Clocks.Domain.APB1, InterruptLine.NONE,
                clock.events, null);
        usart.connectTransmitter(chip.receiver());
        chip.connectTransmitter(usart.receiver());
        clock.runFor(Stpm34.STARTUP_NANOS);
        // BRR = 0x683: 16 MHz / 104.1875 / 16 = 9598 baud, the STPM's own divider at reset (RM0090 30.3.4)
        usart.write(0x08, 4, 0x683);
        usart.write(0x0C, 4, 1 << 13 | 1 << 3 | 1 << 2); // UE, TE, RE: 8N1
        exchange(usart, new int[] {0xFF, 0x06, 0x34, 0x12, Stpm34Crc8.uart(0x07, 0xFF, 0x06, 0x34, 0x12)});
        exchange(usart, new int[] {0x06, 0xFF, 0xFF, 0xFF, Stpm34Crc8.uart(0x07, 0x06, 0xFF, 0xFF, 0xFF)});
        int[] reply = exchange(usart, new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0x7B});
        assertThat(reply).containsExactly(0x34, 0x12, 0x00, 0x00, Stpm34Crc8.uart(0x07, 0x34, 0x12, 0x00, 0x00));
        assertThat(usart.read(0x00, 4) & 0xF).as("PE, FE, NF, ORE").isZero();
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
    }

    /** Sends one byte and waits for one, as ST's UARTWrp_SendAndReceiveByte. */
    int[] exchange(Stm32Usart usart, int[] bytes) {
        int[] in = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            usart.write(0x04, 4, bytes[i]);
            clock.runUntil(() -> (usart.read(0x00, 4) & 1 << 5) != 0, 5_000_000);
            in[i] = usart.read(0x04, 4);
        }
        return in;
    }
}
