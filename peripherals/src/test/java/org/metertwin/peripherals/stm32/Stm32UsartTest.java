package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialFormat.Parity;

class Stm32UsartTest {
    static final int SR = 0x00, DR = 0x04, BRR = 0x08, CR1 = 0x0C, CR2 = 0x10, CR3 = 0x14;
    // SR bits (RM0090 30.6.1)
    static final int PE = 1, FE = 1 << 1, NF = 1 << 2, ORE = 1 << 3, IDLE = 1 << 4, RXNE = 1 << 5, TC = 1 << 6,
            TXE = 1 << 7;
    // CR1 bits (RM0090 30.6.4)
    static final int RE = 1 << 2, TE = 1 << 3, IDLEIE = 1 << 4, RXNEIE = 1 << 5, TCIE = 1 << 6, TXEIE = 1 << 7,
            PEIE = 1 << 8, PS = 1 << 9, PCE = 1 << 10, M = 1 << 12, UE = 1 << 13, OVER8 = 1 << 15;

    TestMachine m;
    TestMachine.Line irq;
    Stm32Usart usart;
    /** Characters sent: data and the time the stop bit ended. */
    List<long[]> sent;

    @BeforeEach
    void setUp() {
        m = new TestMachine();
        irq = new TestMachine.Line();
        usart = new Stm32Usart("USART1", 0x400, TestMachine.clocks(16_000_000), Stm32Clocks.Domain.APB2, irq,
                m.events, null);
        sent = new ArrayList<>();
        usart.connectTransmitter((data, format) -> sent.add(new long[] {data, m.events.now()}));
        usart.write(BRR, 4, 139); // 16 MHz / 139 = 115108 baud (OVER8 = 0)
    }

    int sr() {
        return usart.read(SR, 4);
    }

    @Test
    void resetValuesAndFormat() {
        assertThat(sr()).isEqualTo(0x00C0);
        usart.write(CR1, 4, UE | M | PCE | PS);
        usart.write(CR2, 4, 2 << 12);
        assertThat(usart.format()).isEqualTo(new SerialFormat(115_108, 8, Parity.ODD, 4));
        usart.write(CR1, 4, UE | OVER8);
        usart.write(BRR, 4, (17 << 4) | 3); // USARTDIV = 17.375 with OVER8: 16e6 / (8 * 17.375) = 115108
        assertThat(usart.format().baud()).isEqualTo(115_108);
    }

    @Test
    void characterTakesOneFrameAndTxeComesBeforeTc() {
        usart.write(CR1, 4, UE | TE);
        long frame = usart.format().frameNanos();
        assertThat(frame).isEqualTo(new SerialFormat(115_108, 8, Parity.NONE, 2).frameNanos());
        m.runTo(1000);
        sr(); // read SR, then write DR: clears TC (RM0090 30.6.1)
        usart.write(DR, 4, 'A');
        assertThat(sr() & (TXE | TC)).as("A moved to the shift register at once").isEqualTo(TXE);
        usart.write(DR, 4, 'B');
        assertThat(sr() & (TXE | TC)).as("B waits in TDR").isZero();
        m.runTo(1000 + frame - 1);
        assertThat(sent).isEmpty();
        m.runTo(1000 + frame);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly('A', 1000 + frame);
        assertThat(sr() & (TXE | TC)).as("B now shifting, TDR empty, not complete").isEqualTo(TXE);
        m.runTo(1000 + 2 * frame);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).containsExactly('B', 1000 + 2 * frame);
        assertThat(sr() & (TXE | TC)).isEqualTo(TXE | TC);
    }

    @Test
    void transmitterWaitsForTe() {
        usart.write(CR1, 4, UE);
        usart.write(DR, 4, 'x');
        m.runFor(1_000_000);
        assertThat(sent).isEmpty();
        assertThat(sr() & TXE).isZero();
        usart.write(CR1, 4, UE | TE);
        m.runFor(usart.format().frameNanos());
        assertThat(sent).extracting(a -> a[0]).containsExactly((long) 'x');
    }

    @Test
    void receiveOverrunAndClearingSequence() {
        usart.write(CR1, 4, UE | RE);
        SerialFormat f = usart.format();
        assertThat(usart.canReceive()).isTrue();
        usart.receiver().receive(0x41, f);
        assertThat(sr() & (RXNE | ORE)).isEqualTo(RXNE);
        assertThat(usart.canReceive()).isFalse();
        usart.receiver().receive(0x42, f);
        assertThat(sr() & (RXNE | ORE)).as("second character lost").isEqualTo(RXNE | ORE);
        assertThat(usart.read(DR, 4)).isEqualTo(0x41);
        assertThat(sr() & (RXNE | ORE)).as("SR read, then DR read cleared ORE").isZero();
        assertThat(usart.canReceive()).isTrue();
    }

    @Test
    void errorFlagsNeedSrReadBeforeDr() {
        usart.write(CR1, 4, UE | RE);
        usart.receiver().receive(0xF0, new SerialFormat(115_108 / 2, 8, Parity.NONE, 2));
        usart.read(DR, 4); // no SR read before: FE stays
        assertThat(sr() & FE).isEqualTo(FE);
        usart.read(DR, 4);
        assertThat(sr() & FE).isZero();
    }

    @Test
    void senderAtHalfTheBaudRateGivesFramingErrorAndSampledData() {
        usart.write(CR1, 4, UE | RE);
        // receiver bit centres fall on sender bits start,d0,d0,d1,d1,d2,d2,d3 and the stop sample on d3
        usart.receiver().receive(0xF0, new SerialFormat(115_108 / 2, 8, Parity.NONE, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE | FE);
        assertThat(usart.read(DR, 4)).isEqualTo(0x00);
    }

    @Test
    void senderAtTwiceTheBaudRateGivesItsLateBitsThenIdle() {
        usart.write(CR1, 4, UE | RE);
        // receiver bit i samples sender bit 2i+3: d2, d4, d6, stop, idle...; stop sample idle: no FE
        usart.receiver().receive(0b0101_0100, new SerialFormat(2 * 115_108, 8, Parity.NONE, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE);
        assertThat(usart.read(DR, 4)).isEqualTo(0xFF);
    }

    @Test
    void baudWithinToleranceIsReceivedCorrectly() {
        usart.write(CR1, 4, UE | RE);
        usart.receiver().receive(0x5A, new SerialFormat(115_200, 8, Parity.NONE, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE);
        assertThat(usart.read(DR, 4)).isEqualTo(0x5A);
    }

    @Test
    void parityMismatchSetsPe() {
        usart.write(CR1, 4, UE | RE | M | PCE); // 8 data bits + even parity
        usart.receiver().receive(0x03, new SerialFormat(115_108, 8, Parity.ODD, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE | PE);
        assertThat(usart.read(DR, 4)).as("the parity bit is DR's MSB").isEqualTo(0x103);
        sr();
        usart.read(DR, 4);
        usart.receiver().receive(0x03, new SerialFormat(115_108, 8, Parity.EVEN, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE);
        assertThat(usart.read(DR, 4)).isEqualTo(0x003);
    }

    @Test
    void dataBitMismatch() {
        usart.write(CR1, 4, UE | RE); // 8N1
        usart.receiver().receive(0x000, new SerialFormat(115_108, 9, Parity.NONE, 2));
        assertThat(sr() & (RXNE | FE)).as("the stop sample hits data bit 8 (0)").isEqualTo(RXNE | FE);
        sr();
        usart.read(DR, 4);
        usart.receiver().receive(0x41, new SerialFormat(115_108, 7, Parity.NONE, 2));
        assertThat(sr() & (RXNE | FE | PE)).isEqualTo(RXNE);
        assertThat(usart.read(DR, 4)).as("bit 7 samples the sender's stop bit").isEqualTo(0xC1);
    }

    @Test
    void noReceptionWhenDisabled() {
        usart.write(CR1, 4, UE);
        assertThat(usart.canReceive()).isFalse();
        usart.receiver().receive(0x41, null);
        assertThat(sr() & RXNE).isZero();
    }

    @Test
    void idleSetsOneFrameAfterACharacter() {
        usart.write(CR1, 4, UE | RE | IDLEIE);
        usart.receiver().receive(0x41, null);
        long frame = usart.format().frameNanos();
        m.runFor(frame - 1);
        assertThat(sr() & IDLE).isZero();
        assertThat(irq.level).isFalse();
        m.runFor(1);
        assertThat(sr() & IDLE).isEqualTo(IDLE);
        assertThat(irq.level).isTrue();
        usart.read(DR, 4);
        assertThat(sr() & IDLE).isZero();
        m.runFor(10 * frame);
        assertThat(sr() & IDLE).as("not again until RXNE sets").isZero();
    }

    @Test
    void interruptLineFollowsFlagsAndEnables() {
        usart.write(CR1, 4, UE | TE | RE);
        assertThat(irq.level).isFalse();
        usart.write(CR1, 4, UE | TE | RE | TXEIE);
        assertThat(irq.level).as("TXE & TXEIE").isTrue();
        usart.write(DR, 4, 1);
        usart.write(DR, 4, 2);
        assertThat(irq.level).as("TDR full").isFalse();
        usart.write(CR1, 4, UE | TE | RE | TCIE);
        assertThat(irq.level).as("TC stays set: DR was written without reading SR first").isTrue();
        usart.write(SR, 4, ~TC);
        assertThat(irq.level).isFalse();
        m.runFor(2 * usart.format().frameNanos());
        assertThat(irq.level).as("TC & TCIE after both characters").isTrue();
        usart.write(CR1, 4, UE | TE | RE | RXNEIE);
        assertThat(irq.level).isFalse();
        usart.receiver().receive(7, null);
        assertThat(irq.level).as("RXNE & RXNEIE").isTrue();
        usart.read(DR, 4);
        assertThat(irq.level).isFalse();
        usart.receiver().receive(7, null);
        usart.receiver().receive(8, null);
        usart.write(SR, 4, ~RXNE); // RXNE cleared by writing 0, ORE stays
        assertThat(sr() & (RXNE | ORE)).isEqualTo(ORE);
        assertThat(irq.level).as("ORE & RXNEIE").isTrue();
        usart.read(DR, 4);
        assertThat(irq.level).isFalse();
        usart.write(CR1, 4, UE | RE | M | PCE | PEIE);
        usart.receiver().receive(0x01, new SerialFormat(115_108, 8, Parity.ODD, 2));
        usart.write(SR, 4, ~RXNE);
        assertThat(irq.level).as("PE & PEIE").isTrue();
    }
}
