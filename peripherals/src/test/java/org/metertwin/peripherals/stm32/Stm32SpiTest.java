package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.spi.SpiTarget;

class Stm32SpiTest {
    // CR1, CR2 and SR bits (RM0090 28.5)
    static final int MSTR = 1 << 2, SPE = 1 << 6, SSI = 1 << 8, SSM = 1 << 9, DFF = 1 << 11, CRCNEXT = 1 << 12,
            CRCEN = 1 << 13;
    static final int ERRIE = 1 << 5, RXNEIE = 1 << 6, TXEIE = 1 << 7;
    static final int RXNE = 1, TXE = 1 << 1, CRCERR = 1 << 4, MODF = 1 << 5, OVR = 1 << 6, BSY = 1 << 7;

    static final int CR1 = 0x00, CR2 = 0x04, SR = 0x08, DR = 0x0C, CRCPR = 0x10, RXCRCR = 0x14, TXCRCR = 0x18;
    static final int MASTER = MSTR | SSM | SSI | SPE;

    TestMachine m;
    TestMachine.Line irq;

    /** A target selected by its chip select going low; answers {@code reply} and records what it got. */
    static final class Target implements SpiTarget {
        final Pin cs;
        final int reply;
        final List<Integer> received = new ArrayList<>();

        Target(String cs, int reply) {
            this.cs = new Pin(cs);
            this.cs.drive(true);
            this.reply = reply;
        }

        @Override
        public int exchange(int mosi, int bits, boolean cpol, boolean cpha, boolean lsbFirst) {
            if (cs.level()) {
                return (1 << bits) - 1;
            }
            received.add(mosi);
            return reply;
        }
    }

    @BeforeEach
    void setUp() {
        m = new TestMachine();
        irq = new TestMachine.Line();
    }

    Stm32Spi spi(boolean loopback) {
        return new Stm32Spi("SPI1", 0x400, TestMachine.clocks(16_000_000), Stm32Clocks.Domain.APB2, irq, m.events,
                loopback);
    }

    @Test
    void resetValues() {
        Stm32Spi spi = spi(false);
        assertThat(spi.read(SR, 4)).isEqualTo(0x0002);
        assertThat(spi.read(CRCPR, 4)).isEqualTo(7);
        assertThat(spi.read(0x20, 4)).as("I2SPR").isEqualTo(2);
    }

    @Test
    void wordTakesEightBitTimesAndExchangesWithTheSelectedTarget() {
        Stm32Spi spi = spi(false);
        Target a = new Target("GPIOB.12", 0x3C);
        Target b = new Target("GPIOB.13", 0x77);
        spi.attach(a);
        spi.attach(b);
        spi.write(CR1, 4, MASTER | (2 << 3)); // f_PCLK / 8: 500 ns per bit
        a.cs.drive(false);
        spi.write(DR, 4, 0xA5);
        assertThat(spi.read(SR, 4) & (TXE | BSY | RXNE)).isEqualTo(TXE | BSY);
        m.runTo(3999);
        assertThat(spi.read(SR, 4) & RXNE).isZero();
        m.runTo(4000);
        assertThat(spi.read(SR, 4) & (TXE | BSY | RXNE)).isEqualTo(TXE | RXNE);
        assertThat(spi.read(DR, 4)).isEqualTo(0x3C);
        assertThat(a.received).containsExactly(0xA5);
        assertThat(b.received).isEmpty();
        assertThat(spi.read(SR, 4) & RXNE).isZero();

        b.cs.drive(false); // both selected: MISO outputs are ANDed
        spi.write(DR, 4, 0x11);
        m.runFor(4000);
        assertThat(spi.read(DR, 4)).isEqualTo(0x3C & 0x77);
        a.cs.drive(true);
        b.cs.drive(true);
        spi.write(DR, 4, 0x22);
        m.runFor(4000);
        assertThat(spi.read(DR, 4)).as("nobody selected: MISO high").isEqualTo(0xFF);
    }

    @Test
    void sixteenBitWordsAndBackToBackTransfers() {
        Stm32Spi spi = spi(true);
        spi.write(CR1, 4, MASTER | DFF); // f_PCLK / 2: 125 ns per bit, 2 us per word
        spi.write(DR, 4, 0x1234);
        spi.write(DR, 4, 0x5678);
        assertThat(spi.read(SR, 4) & TXE).as("second word waits in the TX buffer").isZero();
        m.runTo(2000);
        assertThat(spi.read(SR, 4) & (TXE | RXNE | BSY)).isEqualTo(TXE | RXNE | BSY);
        assertThat(spi.read(DR, 4)).isEqualTo(0x1234);
        m.runTo(4000);
        assertThat(spi.read(DR, 4)).isEqualTo(0x5678);
        assertThat(spi.read(SR, 4) & BSY).isZero();
    }

    @Test
    void overrunKeepsTheUnreadWord() {
        Stm32Spi spi = spi(true);
        spi.write(CR1, 4, MASTER);
        spi.write(CR2, 4, ERRIE);
        spi.write(DR, 4, 1);
        m.runFor(1000);
        spi.write(DR, 4, 2);
        m.runFor(1000);
        assertThat(spi.read(SR, 4) & (OVR | RXNE)).isEqualTo(OVR | RXNE);
        assertThat(irq.level).isTrue();
        assertThat(spi.read(DR, 4)).isEqualTo(1);
        assertThat(spi.read(SR, 4) & OVR).as("the clearing SR read still shows OVR").isEqualTo(OVR);
        assertThat(spi.read(SR, 4) & OVR).as("DR read then SR read cleared OVR").isZero();
        assertThat(irq.level).isFalse();
    }

    @Test
    void modeFaultWhenSsiLowInMaster() {
        Stm32Spi spi = spi(true);
        spi.write(CR2, 4, ERRIE);
        spi.write(CR1, 4, MSTR | SSM | SPE);
        assertThat(spi.read(SR, 4) & MODF).isEqualTo(MODF);
        assertThat(spi.read(CR1, 4) & (MSTR | SPE)).isZero();
        assertThat(irq.level).isTrue();
        spi.write(CR1, 4, MASTER); // SR was read: the CR1 write clears MODF
        assertThat(spi.read(SR, 4) & MODF).isZero();
        assertThat(irq.level).isFalse();
    }

    @Test
    void interruptsOnTxeAndRxne() {
        Stm32Spi spi = spi(true);
        spi.write(CR1, 4, MASTER);
        spi.write(CR2, 4, TXEIE);
        assertThat(irq.level).isTrue();
        spi.write(CR2, 4, RXNEIE);
        assertThat(irq.level).isFalse();
        spi.write(DR, 4, 9);
        m.runFor(1000);
        assertThat(irq.level).isTrue();
        spi.read(DR, 4);
        assertThat(irq.level).isFalse();
    }

    @Test
    void hardwareCrcGoesOutAfterTheLastWord() {
        Stm32Spi spi = spi(true);
        spi.write(CR1, 4, MASTER | CRCEN);
        spi.write(DR, 4, 0x31);
        spi.write(CR1, 4, MASTER | CRCEN | CRCNEXT);
        m.runFor(1000);
        // CRC-8, polynomial 0x07 (CRCPR reset value), of 0x31: 0x97
        assertThat(spi.read(TXCRCR, 4)).isEqualTo(0x97);
        assertThat(spi.read(RXCRCR, 4)).isEqualTo(0x97);
        m.runFor(1000);
        assertThat(spi.read(SR, 4) & (CRCERR | BSY)).as("looped-back CRC matches").isZero();
        assertThat(spi.read(CR1, 4) & CRCNEXT).isZero();
        assertThat(spi.read(DR, 4)).as("the CRC word is not stored in DR").isEqualTo(0x31);
    }
}
