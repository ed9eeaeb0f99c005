package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.peripherals.i2c.I2cTarget;

class Stm32I2cTest {
    static final int CR1 = 0x00, CR2 = 0x04, DR = 0x10, SR1 = 0x14, SR2 = 0x18, CCR = 0x1C;
    // CR1, CR2, SR1 and SR2 bits (RM0090 27.6)
    static final int PE = 1, START = 1 << 8, STOP = 1 << 9, ACK = 1 << 10;
    static final int ITERREN = 1 << 8, ITEVTEN = 1 << 9;
    static final int SB = 1, ADDR = 1 << 1, BTF = 1 << 2, RXNE = 1 << 6, TXE = 1 << 7, AF = 1 << 10;
    static final int MSL = 1, BUSY = 1 << 1, TRA = 1 << 2;
    static final long BIT = 10_000; // CCR = 80 at 16 MHz, standard mode: 100 kHz

    /** A small memory at address 0x50: the first byte written sets the pointer. */
    static final class Memory implements I2cTarget {
        final byte[] cells = new byte[16];
        int pointer = -1;
        final List<String> log = new ArrayList<>();

        public boolean matches(int address7) {
            return address7 == 0x50;
        }

        public boolean start(boolean read) {
            log.add(read ? "start-read" : "start-write");
            if (!read) {
                pointer = -1;
            }
            return true;
        }

        public boolean write(int data) {
            log.add("w" + Integer.toHexString(data));
            if (pointer < 0) {
                pointer = data;
            } else {
                cells[pointer++ & 15] = (byte) data;
            }
            return pointer < 16;
        }

        public int read(boolean masterAcks) {
            log.add(masterAcks ? "r-ack" : "r-nack");
            return cells[pointer++ & 15] & 0xFF;
        }

        public void stop() {
            log.add("stop");
        }
    }

    TestMachine m;
    TestMachine.Line ev;
    TestMachine.Line er;
    Stm32I2c i2c;
    Memory memory;

    @BeforeEach
    void setUp() {
        m = new TestMachine();
        ev = new TestMachine.Line();
        er = new TestMachine.Line();
        i2c = new Stm32I2c("I2C1", 0x400, TestMachine.clocks(16_000_000), ev, er, m.events);
        memory = new Memory();
        i2c.attach(memory);
        i2c.write(CR2, 4, 16);
        i2c.write(CCR, 4, 80);
        i2c.write(CR1, 4, PE);
    }

    int sr1() {
        return i2c.read(SR1, 4);
    }

    void waitFor(int sr1Bits) {
        m.runUntil(() -> (i2c.peek(SR1, 4) & sr1Bits) != 0, 100 * BIT);
    }

    void setCr1(int bits) {
        i2c.write(CR1, 4, i2c.read(CR1, 4) | bits);
    }

    void clearCr1(int bits) {
        i2c.write(CR1, 4, i2c.read(CR1, 4) & ~bits);
    }

    /** START and the address byte, up to ADDR (not cleared). */
    void address(int address8) {
        setCr1(START);
        waitFor(SB);
        sr1();
        i2c.write(DR, 4, address8);
    }

    @Test
    void startAndAddressTiming() {
        assertThat(i2c.bitNanos()).isEqualTo(BIT);
        i2c.write(CR2, 4, 16 | ITEVTEN);
        setCr1(START);
        m.runTo(BIT - 1);
        assertThat(sr1() & SB).isZero();
        m.runTo(BIT);
        assertThat(sr1() & SB).isEqualTo(SB);
        assertThat(ev.level).isTrue();
        assertThat(i2c.read(SR2, 4) & (MSL | BUSY)).isEqualTo(MSL | BUSY);
        assertThat(i2c.read(CR1, 4) & START).isZero();
        sr1();
        i2c.write(DR, 4, 0xA0);
        assertThat(ev.level).as("SB cleared by reading SR1 then writing DR").isFalse();
        m.runTo(BIT + 9 * BIT - 1);
        assertThat(sr1() & ADDR).isZero();
        m.runTo(BIT + 9 * BIT);
        assertThat(sr1() & (ADDR | TXE)).isEqualTo(ADDR | TXE);
        assertThat(ev.level).isTrue();
        assertThat(i2c.read(SR2, 4) & TRA).isEqualTo(TRA);
        assertThat(sr1() & ADDR).as("SR1 then SR2 cleared ADDR").isZero();
    }

    @Test
    void writeThenReadBack() {
        address(0xA0);
        waitFor(ADDR);
        sr1();
        i2c.read(SR2, 4);
        for (int b : new int[] {2, 0x11, 0x22, 0x33}) {
            waitFor(TXE);
            i2c.write(DR, 4, b);
        }
        waitFor(BTF);
        setCr1(STOP);
        m.runUntil(() -> (i2c.peek(SR2, 4) & BUSY) == 0, 10 * BIT);
        assertThat(memory.cells[2]).isEqualTo((byte) 0x11);
        assertThat(memory.cells[4]).isEqualTo((byte) 0x33);

        // set the pointer, then read three bytes (RM0090 27.3.3, N > 2 procedure)
        address(0xA0);
        waitFor(ADDR);
        sr1();
        i2c.read(SR2, 4);
        i2c.write(DR, 4, 2);
        waitFor(BTF);
        setCr1(START | ACK); // repeated start
        waitFor(SB);
        sr1();
        i2c.write(DR, 4, 0xA1);
        waitFor(ADDR);
        sr1();
        i2c.read(SR2, 4);
        assertThat(i2c.read(SR2, 4) & TRA).isZero();
        waitFor(BTF); // byte 1 in DR, byte 2 in the shift register
        clearCr1(ACK);
        int b1 = i2c.read(DR, 4);
        setCr1(STOP);
        int b2 = i2c.read(DR, 4);
        waitFor(RXNE);
        int b3 = i2c.read(DR, 4);
        m.runUntil(() -> (i2c.peek(SR2, 4) & BUSY) == 0, 10 * BIT);
        assertThat(new int[] {b1, b2, b3}).containsExactly(0x11, 0x22, 0x33);
        assertThat(memory.log).containsExactly("start-write", "w2", "w11", "w22", "w33", "stop",
                "start-write", "w2", "start-read", "r-ack", "r-ack", "r-nack", "stop");
    }

    @Test
    void singleByteRead() {
        memory.cells[0] = 0x5A;
        memory.pointer = 0;
        address(0xA1);
        waitFor(ADDR);
        clearCr1(ACK);
        sr1();
        i2c.read(SR2, 4);
        setCr1(STOP);
        waitFor(RXNE);
        assertThat(i2c.read(DR, 4)).isEqualTo(0x5A);
        m.runUntil(() -> (i2c.peek(SR2, 4) & MSL) == 0, 10 * BIT);
        assertThat(memory.log).containsExactly("start-read", "r-nack", "stop");
    }

    @Test
    void absentAddressIsNotAcknowledged() {
        i2c.write(CR2, 4, 16 | ITERREN);
        address(0xA2); // 0x51: nobody there
        m.runFor(10 * BIT);
        assertThat(sr1() & (ADDR | AF)).isEqualTo(AF);
        assertThat(er.level).isTrue();
        i2c.write(SR1, 4, ~AF);
        assertThat(er.level).isFalse();
        setCr1(STOP);
        m.runFor(BIT);
        assertThat(i2c.read(SR2, 4) & (MSL | BUSY)).isZero();
        assertThat(memory.log).isEmpty();
    }

    @Test
    void dataNackSetsAf() {
        address(0xA0);
        waitFor(ADDR);
        sr1();
        i2c.read(SR2, 4);
        i2c.write(DR, 4, 15); // pointer 15: the next byte fills the last cell and the memory NACKs
        waitFor(BTF);
        i2c.write(DR, 4, 0x99);
        m.runFor(9 * BIT);
        assertThat(sr1() & (AF | BTF)).isEqualTo(AF);
    }
}
