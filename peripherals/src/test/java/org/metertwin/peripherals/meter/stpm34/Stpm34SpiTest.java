package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The STPM34 on SPI (mode 3): 5-byte frames delimited by SCS, pipelined reads, 0xFF streaming, 16-bit row
 * writes with write masks, CRC checking, CRC_EN = 0, latches, resets, status and interrupt pins, power-up.
 * Register addresses and reset values: DS10272 as the drivers spell it (Stpm34Map; research notes 1.4).
 */
class Stpm34SpiTest {
    final MeterClock clock = new MeterClock();
    final Pin en = new Pin("en"), scs = new Pin("scs"), syn = new Pin("syn"), int1 = new Pin("int1"),
            int2 = new Pin("int2"), led1 = new Pin("led1"), led2 = new Pin("led2"), zcr = new Pin("zcr");
    final Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 0, 0));
    final List<String> latches = new ArrayList<>();
    Stpm34 chip;
    boolean crc = true;

    @BeforeEach
    void powerUpOnSpi() {
        chip = new Stpm34("stpm", clock.events, mains, SensorNetwork.referenceBoard(),
                new Stpm34.Pins(en, scs, syn, int1, int2, led1, led2, zcr), Stpm34.Interface.UART);
        chip.setLatchHook((c1, c2) -> latches.add((c1 ? "1" : "") + (c2 ? "2" : "")));
        syn.drive(true); // SYN idles high; a latch is a low pulse
        scs.drive(false); // SCS low while EN rises: SPI (ST Metro_HAL_power_up_device)
        en.drive(true);
        scs.drive(true);
        clock.runFor(Stpm34.STARTUP_NANOS);
    }

    /** One frame: SCS low, the bytes (plus the SPI CRC when enabled), SCS high; returns what came back. */
    int[] frame(int read, int write, int lsb, int msb) {
        int[] out = {read, write, lsb, msb, Stpm34Crc8.spi(0x07, read, write, lsb, msb)};
        return raw(crc ? out : new int[] {read, write, lsb, msb});
    }

    int[] raw(int... bytes) {
        scs.drive(false);
        int[] in = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            in[i] = chip.spiTarget().exchange(bytes[i], 8, true, true, false);
        }
        scs.drive(true);
        clock.runFor(10_000); // t_SCS between frames
        return in;
    }

    static int value(int[] reply) {
        return reply[0] | reply[1] << 8 | reply[2] << 16 | reply[3] << 24;
    }

    int read32(int row) {
        frame(row, 0xFF, 0xFF, 0xFF);
        int[] reply = frame(0xFF, 0xFF, 0xFF, 0xFF);
        if (crc) {
            assertThat(reply[4]).as("reply CRC").isEqualTo(Stpm34Crc8.spi(0x07, reply[0], reply[1], reply[2], reply[3]));
        }
        return value(reply);
    }

    void write32(int row, int value) {
        frame(0xFF, row, value & 0xFF, value >>> 8 & 0xFF);
        frame(0xFF, row + 1, value >>> 16 & 0xFF, value >>> 24);
    }

    @Test
    void answersOnlyAfterTheStartUpTime() {
        en.drive(false);
        assertThat(raw(0x00, 0xFF, 0xFF, 0xFF, 0x0F)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        scs.drive(false);
        en.drive(true);
        scs.drive(true);
        clock.runFor(34_000_000);
        assertThat(chip.ready()).isFalse();
        assertThat(raw(0x00, 0xFF, 0xFF, 0xFF, 0x0F)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        clock.runFor(1_000_000);
        assertThat(chip.ready()).isTrue();
        assertThat(read32(0x00)).isEqualTo(0x040000A0); // DSP_CR1 reset value
    }

    @Test
    void scsHighWhenEnRisesSelectsTheUart() {
        en.drive(false);
        scs.drive(true);
        en.drive(true);
        clock.runFor(Stpm34.STARTUP_NANOS);
        assertThat(chip.selectedInterface()).isEqualTo(Stpm34.Interface.UART);
        scs.drive(false);
        assertThat(chip.spiTarget().exchange(0x00, 8, true, true, false)).isEqualTo(0xFF);
        assertThat(chip.canReceive()).isTrue();
    }

    @Test
    void resetValuesStreamWithReadAddressFF() {
        // read DSP_CR1 (row 0x00), then FF frames stream DSP_CR2, CR3, ... (ST Metro_HAL_Stpm_Read)
        frame(0x00, 0xFF, 0xFF, 0xFF);
        int[] expected = {0x040000A0, 0x240000A0, 0x000004E0, 0, 0x003FF800, 0x003FF800, 0x003FF800, 0x003FF800,
            0x00000FFF, 0x00000FFF, 0x00000FFF, 0x00000FFF, 0x0F270327, 0x03270327, 0, 0, 0, 0, 0x00004007,
            0x00000683, 0};
        for (int i = 0; i < expected.length; i++) {
            int[] reply = frame(0xFF, 0xFF, 0xFF, 0xFF);
            assertThat(value(reply)).as("register %d", i).isEqualTo(expected[i]);
            assertThat(reply[4]).isEqualTo(Stpm34Crc8.spi(0x07, reply[0], reply[1], reply[2], reply[3]));
        }
    }

    @Test
    void theDataBlockStreamsFromUsReg3ToTotReg4() {
        // ST reads US_REG3 and the 48 data registers after it as one block of 49 (METRO_STPM_DATA_REG_NB_BLOCKS)
        frame(0x28, 0xFF, 0xFF, 0xFF);
        for (int i = 0; i < 49; i++) {
            assertThat(value(frame(0xFF, 0xFF, 0xFF, 0xFF))).as("register at row 0x%x", 0x28 + 2 * i).isZero();
        }
        // the pointer has passed TOT_REG4 (row 0x8A): rows past the map read 0
        write32(0x06, 0x00123456);
        assertThat(read32(0x06)).isEqualTo(0x00123456);
    }

    @Test
    void aWriteThenReadBackThroughPipelinedFrames() {
        int[] first = frame(0xFF, 0x06, 0x34, 0x12); // DSP_CR4 low row
        frame(0xFF, 0x07, 0x56, 0x00); // DSP_CR4 high row
        assertThat(value(first)).isEqualTo(0x040000A0); // the first frame after power-up returns row 0
        int[] request = frame(0x06, 0xFF, 0xFF, 0xFF);
        int[] data = frame(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(data).startsWith(0x34, 0x12, 0x56, 0x00); // little-endian, low row first
        assertThat(value(data)).isEqualTo(0x00561234);
        assertThat(value(request)).isEqualTo(0x000004E0); // a request's own reply is the register after the last
    }

    @Test
    void aFrameMayReadAndWriteTheSameRow() {
        // voelkerb/STPM3X sends 05 05 lsb msb: write DSP_CR3's high row and ask for it in one frame
        frame(0x05, 0x05, 0x00, 0x08); // REF_FREQ (bit 27): 60 Hz
        // rows 5 and 6: DSP_CR3's high half, then DSP_CR4's low half
        assertThat(value(frame(0xFF, 0xFF, 0xFF, 0xFF))).isEqualTo(0x0800);
    }

    @Test
    void onlyWritableBitsChange() {
        write32(0x06, 0xFFFFFFFF); // DSP_CR4: PHC2, PHV2, PHC1, PHV1 are bits 0-23
        assertThat(read32(0x06)).isEqualTo(0x00FFFFFF);
        write32(0x00, 0xFFFFFFFF); // DSP_CR1: bits 9-16 reserved
        assertThat(read32(0x00)).isEqualTo(0xFFFE01FF);
        // US_REG1: CRC_POLY[7:0], NOISE_EN, BREAK_ON_ERR, CRC_EN, LSB_FIRST, TIME_OUT[23:16]
        frame(0xFF, 0x25, 0xFF, 0xFF);
        assertThat(chip.register(Stpm34Map.US_REG1)).isEqualTo(0x00FF4007);
        frame(0xFF, 0x24, 0x07, 0xFF); // keep the polynomial, or the next frame's CRC changes
        assertThat(chip.register(Stpm34Map.US_REG1)).isEqualTo(0x00FFC307);
    }

    @Test
    void dataRowsAreReadOnly() {
        write32(0x48, 0x12345678); // DSP_REG14 (V1/C1 RMS)
        write32(0x54, 0x12345678); // PH1_REG1 (active energy)
        assertThat(read32(0x48)).isZero();
        assertThat(read32(0x54)).isZero();
    }

    @Test
    void aBadCrcIsFlaggedAndTheWriteRefused() {
        raw(0xFF, 0x06, 0x34, 0x12, 0x00); // CRC should be SPI CRC, 0x00 is wrong
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isZero();
        assertThat(chip.register(Stpm34Map.US_REG3)).isEqualTo(Stpm34.SPI_CRC_ERR); // bit 28
        assertThat(read32(0x28) >>> 16).isEqualTo(0x1000);
        frame(0xFF, 0x29, 0x00, 0x10); // write 1 to clear
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
        frame(0xFF, 0x06, 0x34, 0x12);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x1234);
    }

    @Test
    void withoutCrcFramesAreFourBytes() {
        frame(0xFF, 0x24, 0x07, 0x00); // US_REG1 low row: CRC_EN (bit 14) cleared, polynomial 0x07 kept
        crc = false;
        int[] reply = frame(0xFF, 0x06, 0xCD, 0xAB);
        assertThat(reply).hasSize(4);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0xABCD);
        assertThat(read32(0x06)).isEqualTo(0xABCD);
        assertThat(chip.register(Stpm34Map.US_REG3)).isZero();
    }

    @Test
    void scsRisingMidFrameDropsThePartialFrame() {
        raw(0xFF, 0x06, 0x34); // three bytes only
        frame(0xFF, 0x06, 0x78, 0x56);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x5678);
    }

    @Test
    void anotherSpiModeGetsAllOnesAndIsLoggedOnce() {
        scs.drive(false);
        assertThat(chip.spiTarget().exchange(0x00, 8, false, false, false)).isEqualTo(0xFF);
        assertThat(chip.spiTarget().exchange(0x00, 16, true, true, false)).isEqualTo(0xFFFF);
        scs.drive(true);
        assertThat(chip.loggedOnce()).hasSize(1);
        assertThat(read32(0x04)).isEqualTo(0x000004E0); // mode-3 frames still work
    }

    @Test
    void deselectedTheChipReleasesMiso() {
        assertThat(chip.spiTarget().exchange(0x00, 8, true, true, false)).isEqualTo(0xFF);
    }

    @Test
    void softwareLatchBitsLatchTheirChannelAndClearThemselves() {
        frame(0xFF, 0x05, 0x20, 0x00); // DSP_CR3 high row: SW_Latch1 (bit 21)
        frame(0xFF, 0x05, 0x40, 0x00); // SW_Latch2 (bit 22)
        frame(0xFF, 0x05, 0x60, 0x00); // both, as ST and Carton32 do (|0x00600000)
        assertThat(latches).containsExactly("1", "2", "12");
        assertThat(chip.register(Stpm34Map.DSP_CR3) & 0x00600000).isZero();
    }

    @Test
    void autoLatchLatchesEveryDspSample() {
        frame(0xFF, 0x05, 0x80, 0x00); // SW_Auto_Latch (bit 23)
        latches.clear();
        clock.runFor(1_000_000);
        // 16 MHz / 2048 = 7812.5 latches per second: 7 in 1 ms (one each 128 µs)
        assertThat(latches).hasSize(7).containsOnly("12");
        frame(0xFF, 0x05, 0x00, 0x00);
        latches.clear();
        clock.runFor(1_000_000);
        assertThat(latches).isEmpty();
    }

    @Test
    void aSynPulseLatchesBothChannels() {
        syn.drive(false);
        clock.runFor(100_000);
        syn.drive(true);
        assertThat(latches).containsExactly("12");
    }

    @Test
    void threeSynPulsesResetTheRegisters() {
        write32(0x06, 0x00ABCDEF);
        write32(0x26, 0x0000008B); // US_REG2: 115200 baud
        for (int i = 0; i < 3; i++) { // ST Metro_HAL_STPM_SYN_reset_3_pulses: 100 µs low, 100 µs high
            syn.drive(false);
            clock.runFor(100_000);
            syn.drive(true);
            clock.runFor(100_000);
        }
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isZero();
        assertThat(chip.register(Stpm34Map.US_REG2)).isEqualTo(0x683);
        assertThat(read32(0x06)).isZero();
    }

    @Test
    void synPulsesFarApartOnlyLatch() {
        write32(0x06, 0x00ABCDEF);
        for (int i = 0; i < 3; i++) {
            syn.drive(false);
            clock.runFor(100_000);
            syn.drive(true);
            clock.runFor(2_000_000);
        }
        assertThat(latches).hasSize(3);
        assertThat(chip.register(Stpm34Map.DSP_CR4)).isEqualTo(0x00ABCDEF);
    }

    @Test
    void swResetRestoresResetValues() {
        write32(0x06, 0x00ABCDEF);
        write32(0x00, 0x12345678);
        frame(0xFF, 0x05, 0x10, 0x00); // DSP_CR3 high row: SW_Reset (bit 20)
        assertThat(read32(0x00)).isEqualTo(0x040000A0);
        assertThat(read32(0x06)).isZero();
        assertThat(read32(0x04)).isEqualTo(0x000004E0);
    }

    @Test
    void statusBitsRaiseTheInterruptPinsAndClearByWritingOne() {
        write32(0x1C, 0x00001000); // DSP_IRQ1: PH1 active power sign
        chip.status(1, 0x00001000 | 0x00000010); // as the DSP reports it
        assertThat(int1.level()).isTrue();
        assertThat(int2.level()).isFalse();
        assertThat(read32(0x20)).isEqualTo(0x00001010);
        frame(0xFF, 0x20, 0x00, 0x10); // write 1 to bit 12
        assertThat(chip.register(Stpm34Map.DSP_SR1)).isEqualTo(0x10);
        assertThat(int1.level()).isFalse();
        chip.status(2, 1 << 30);
        assertThat(int2.level()).isFalse(); // masked
        write32(0x1E, 1 << 30);
        assertThat(int2.level()).isTrue();
    }

    @Test
    void theDspsSignChangeReachesInt1ThroughTheMask() {
        write32(0x1C, 1 << 12); // DSP_IRQ1: PH1 active power sign change
        clock.runFor(1_000_000);
        assertThat(int1.level()).isFalse();
        mains.set(MainsState.sinusoidal(50, 230, 5, Math.PI), clock.now()); // export
        clock.runFor(1_000_000);
        assertThat(int1.level()).isTrue();
        assertThat(int2.level()).isFalse(); // IRQ2 masks everything
        // PH1+PH2 active sign b0; PH2 active/fundamental b4/b5; PH1 active/fundamental b12/b13.
        assertThat(read32(0x20)).isEqualTo(0x3031);
        assertThat(read32(0x22)).isEqualTo(0x3031);
        frame(0xFF, 0x20, 0x00, 0x10); // clear b12: INT1 falls
        assertThat(int1.level()).isFalse();
    }

    @Test
    void anUnmaskedInterfaceErrorRaisesTheInterruptPins() {
        frame(0xFF, 0x28, 0x00, 0x20); // US_REG3: unmask CRC_ERR2 (bit 13)
        raw(0xFF, 0xFF, 0xFF, 0xFF, 0x00); // bad CRC
        assertThat(int1.level()).isTrue();
        assertThat(int2.level()).isTrue();
        frame(0xFF, 0x29, 0x00, 0x10);
        assertThat(int1.level()).isFalse();
    }

    @Test
    void ledAndZcrOutputsFollowTheDspOnlyWhilePowered() {
        chip.led(1, true);
        chip.zeroCrossing(true);
        assertThat(led1.level()).isTrue();
        assertThat(zcr.level()).isTrue();
        en.drive(false);
        assertThat(led1.level()).isFalse();
        chip.led(2, true);
        assertThat(led2.level()).isFalse();
    }
}
