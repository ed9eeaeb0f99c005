package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;

/**
 * A power cycle of the netduinoplus2 board as the chip lives it: SRAM and CCM lose their contents in the outage
 * (RM0090 5.1.2: only the backup domain is supplied from V_BAT), the BKPSRAM keeps them while V_BAT is present,
 * and GPIO outputs stop driving their pins while V_DD is below the power-down level (the I/Os are unpowered),
 * then come back at their reset configuration (RM0090 8.3.1: floating inputs).
 */
class PowerCycleTest {
    static final int SRAM = 0x20000000, SRAM_SIZE = 128 * 1024;
    static final int CCM = 0x10000000, CCM_SIZE = 64 * 1024;
    static final int BKPSRAM = 0x40024000;
    static final int GPIOC = 0x40020800;
    static final int MAGIC = 0x5AFE0001;
    static final long MS = 1_000_000;

    @TempDir
    Path dir;

    /** The board running a one-instruction program ({@code b .}) from flash, so that virtual time passes. */
    static Board start(Board board) {
        SystemBus bus = board.bus();
        byte[] image = new byte[10];
        putWord(image, 0, SRAM + SRAM_SIZE); // initial SP
        putWord(image, 4, 0x08000009);       // Reset_Handler at 0x08000008, Thumb
        image[8] = (byte) 0xFE;              // b . (0xE7FE)
        image[9] = (byte) 0xE7;
        board.setImageLoader(() -> bus.load(0x08000000, image, 0, image.length));
        board.reset(ResetCause.POWER_ON);
        return board;
    }

    static void putWord(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> 8 * i);
        }
    }

    static Board netduino() throws MachineException {
        return start(Board.builtIn("netduinoplus2", OutputStream.nullOutputStream()));
    }

    /** The built-in board with extra properties on its POR device: a file that includes it and says so. */
    Board netduinoWithPor(String properties) throws Exception {
        Path file = dir.resolve("board-" + Math.abs(properties.hashCode()) + ".yaml");
        Files.writeString(file, "include: netduinoplus2.yaml\n"
                + "devices:\n  - { name: POR, type: stm32f4-por, properties: { " + properties + " } }\n");
        return start(Board.builtIn(file.toString(), OutputStream.nullOutputStream()));
    }

    /** VDD from 3.3 V to 0 1 ms from now, back {@code outageNanos} later; runs on 5 ms after that. */
    static void outage(Board board, long outageNanos) {
        AnalogLine vdd = board.nets().analog("VDD", 3.3);
        long start = board.cpu().events().now() + 1 * MS;
        board.runUntil(start);
        vdd.set(0);
        board.runUntil(start + outageNanos);
        vdd.set(3.3);
        board.runUntil(start + outageNanos + 5 * MS);
    }

    static void writeMagic(SystemBus bus) {
        bus.write32(SRAM + 0x100, MAGIC);
        bus.write32(CCM + 0x100, MAGIC);
        bus.write32(BKPSRAM, MAGIC);
    }

    @Test
    void sramAndCcmHoldGarbageAfterAnOutageWhileBkpsramIsKeptOnVbat() throws Exception {
        Board board = netduino();
        SystemBus bus = board.bus();
        writeMagic(bus);
        outage(board, 10 * MS);
        Stm32Por por = (Stm32Por) board.deviceObject("POR");
        assertThat(por.powerDowns()).isEqualTo(1);
        assertThat(por.isHeld()).isFalse();
        assertThat(bus.read32(SRAM + 0x100)).isNotEqualTo(MAGIC);
        assertThat(bus.read32(CCM + 0x100)).isNotEqualTo(MAGIC);
        assertThat(bus.read32(BKPSRAM)).as("BKPSRAM on VBAT").isEqualTo(MAGIC);
        // garbage, not a cleared memory: about one byte in 256 is zero, and the regions differ
        byte[] sram = bus.readBytes(SRAM, SRAM_SIZE);
        byte[] ccm = bus.readBytes(CCM, CCM_SIZE);
        assertThat(zeros(sram)).isBetween(SRAM_SIZE / 256 / 2, SRAM_SIZE / 256 * 2);
        assertThat(zeros(ccm)).isBetween(CCM_SIZE / 256 / 2, CCM_SIZE / 256 * 2);
        assertThat(java.util.Arrays.copyOf(sram, CCM_SIZE)).isNotEqualTo(ccm);
    }

    @Test
    void withoutVbatTheBkpsramIsLostToo() throws Exception {
        Board board = netduino();
        writeMagic(board.bus());
        board.nets().analog("VBAT", 3.0).set(0);
        outage(board, 10 * MS);
        assertThat(board.bus().read32(BKPSRAM)).isNotEqualTo(MAGIC);
        assertThat(board.bus().read32(SRAM + 0x100)).isNotEqualTo(MAGIC);
    }

    @Test
    void aDipThatStaysAboveThePowerDownLevelKeepsRam() throws Exception {
        Board board = netduino();
        writeMagic(board.bus());
        board.runUntil(1 * MS);
        board.nets().analog("VDD", 3.3).set(1.7); // between V_PDR 1.68 and V_POR 1.72: no reset
        board.runUntil(3 * MS);
        board.nets().analog("VDD", 3.3).set(3.3);
        board.runUntil(5 * MS);
        assertThat(board.bus().read32(SRAM + 0x100)).isEqualTo(MAGIC);
        assertThat(board.bus().readBytes(SRAM + 0x200, 64)).containsOnly(0);
    }

    @Test
    void theFirstStartIsNotAPowerCycle() throws Exception {
        Board board = netduino();
        board.runUntil(5 * MS);
        assertThat(zeros(board.bus().readBytes(SRAM, SRAM_SIZE))).isEqualTo(SRAM_SIZE);
    }

    @Test
    void theGarbageIsTheSameOnEveryRunAndChangesWithTheSeed() throws Exception {
        Board a = netduino();
        Board b = netduino();
        Board seeded = netduinoWithPor("sram-seed: 12345");
        for (Board board : new Board[] {a, b, seeded}) {
            outage(board, 10 * MS);
        }
        byte[] first = a.bus().readBytes(SRAM, SRAM_SIZE);
        assertThat(b.bus().readBytes(SRAM, SRAM_SIZE)).isEqualTo(first);
        assertThat(seeded.bus().readBytes(SRAM, SRAM_SIZE)).isNotEqualTo(first);
        // a second outage leaves other garbage than the first
        outage(a, 10 * MS);
        assertThat(a.bus().readBytes(SRAM, SRAM_SIZE)).isNotEqualTo(first);
    }

    @Test
    void ramIsKeptThroughAnOutageShorterThanTheRetentionTime() throws Exception {
        Board board = netduinoWithPor("retention: 0.005");
        writeMagic(board.bus());
        outage(board, 4 * MS);
        assertThat(board.bus().read32(SRAM + 0x100)).as("4 ms < 5 ms").isEqualTo(MAGIC);
        outage(board, 6 * MS);
        assertThat(board.bus().read32(SRAM + 0x100)).as("6 ms > 5 ms").isNotEqualTo(MAGIC);
    }

    @Test
    void badRetentionIsRejectedNamingTheProperty() {
        assertThatThrownBy(() -> netduinoWithPor("retention: -1"))
                .isInstanceOf(MachineException.class)
                .hasMessageContaining("(POR)").hasMessageContaining("properties.retention");
    }

    @Test
    void gpioOutputsReleaseTheirPinsWhileUnpoweredAndResetOnPowerOn() throws Exception {
        Board board = netduino();
        SystemBus bus = board.bus();
        Pin pc5 = board.nets().pin("GPIOC.5");
        Pin pc6 = board.nets().pin("GPIOC.6");
        pc6.drive(true); // something outside the chip (a pull-up to a still-powered rail) drove PC6 high first
        bus.write32(GPIOC, 1 << 10 | 1 << 12); // PC5, PC6 outputs
        bus.write32(GPIOC + 0x14, 1 << 5);     // ODR: PC5 high, PC6 low
        assertThat(pc5.level()).isTrue();
        assertThat(pc6.level()).isFalse();
        AnalogLine vdd = board.nets().analog("VDD", 3.3);
        board.runUntil(1 * MS);
        vdd.set(1.69);
        assertThat(pc5.level()).as("above V_PDR the chip still drives").isTrue();
        vdd.set(1.0);
        assertThat(pc5.level()).as("an undriven net is low").isFalse();
        assertThat(pc6.level()).as("back to the other driver").isTrue();
        Stm32Gpio portC = (Stm32Gpio) board.deviceObject("GPIOC");
        assertThat(portC.isDriving(5)).isFalse();
        board.runUntil(5 * MS);
        vdd.set(3.3);
        board.runUntil(10 * MS);
        assertThat(bus.read32(GPIOC)).as("MODER at reset").isZero();
        assertThat(bus.read32(GPIOC + 0x14)).as("ODR at reset").isZero();
        assertThat(portC.isDriving(5)).isFalse();
        assertThat(pc5.level()).isFalse();
        assertThat(pc6.level()).isTrue();
    }

    static int zeros(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == 0) {
                n++;
            }
        }
        return n;
    }
}
