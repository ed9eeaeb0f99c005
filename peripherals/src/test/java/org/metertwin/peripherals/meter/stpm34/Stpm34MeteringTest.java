package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The whole chip as firmware sees it: mains in, SPI frames out. Readings are converted with the datasheet's
 * LSB formulas (research notes 1.5, ST metrology.c comments) written out here, with the reference board's
 * R1 = 810 kΩ, R2 = 470 Ω, ks = 2.6 mΩ, the reset gains (Av = 2, Ai = 16 from DFE_CR1 = 0x0F270327) and the
 * mid-scale calibration (0.875), and must give the true values within 0.01 %. Data registers change only at
 * a latch.
 */
class Stpm34MeteringTest {
    static final double VREF = 1.18, R1 = 810_000, R2 = 470, KS = 0.0026, AV = 2, AI = 16, CAL = 0.875;
    static final double V_RMS_LSB = VREF * (1 + R1 / R2) / (CAL * AV * (1 << 15));
    static final double I_RMS_LSB = VREF / (CAL * AI * (1 << 17) * KS);
    static final double P_LSB = VREF * VREF * (1 + R1 / R2) / (AV * AI * KS * CAL * CAL * (1 << 28));
    static final double E_LSB_WH = VREF * VREF * (1 + R1 / R2)
            / (3600.0 * (1 << 17) * 7812.5 * AV * AI * KS * CAL * CAL);

    final MeterClock clock = new MeterClock();
    final Pin en = new Pin("en"), scs = new Pin("scs"), syn = new Pin("syn");
    final Mains mains = new Mains("mains", MainsState.sinusoidal(50, 230, 5, 0));
    Stpm34 chip;

    @BeforeEach
    void powerUpOnSpi() {
        chip = new Stpm34("stpm", clock.events, mains, SensorNetwork.referenceBoard(),
                new Stpm34.Pins(en, scs, syn, new Pin("int1"), new Pin("int2"), new Pin("led1"), new Pin("led2"),
                        new Pin("zcr")), Stpm34.Interface.UART);
        syn.drive(true);
        scs.drive(false);
        en.drive(true);
        scs.drive(true);
        clock.runFor(Stpm34.STARTUP_NANOS);
    }

    int[] frame(int read, int write, int lsb, int msb) {
        int[] bytes = {read, write, lsb, msb, Stpm34Crc8.spi(0x07, read, write, lsb, msb)};
        scs.drive(false);
        int[] in = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            in[i] = chip.spiTarget().exchange(bytes[i], 8, true, true, false);
        }
        scs.drive(true);
        clock.runFor(10_000);
        return in;
    }

    int read32(int register) {
        frame(Stpm34Map.row(register), 0xFF, 0xFF, 0xFF);
        int[] r = frame(0xFF, 0xFF, 0xFF, 0xFF);
        return r[0] | r[1] << 8 | r[2] << 16 | r[3] << 24;
    }

    /** SW_Latch1 and SW_Latch2 (DSP_CR3 bits 21, 22) by read-modify-write of the high row, as drivers do. */
    void softwareLatch() {
        int cr3 = read32(Stpm34Map.DSP_CR3) | 0x0060_0000;
        frame(0xFF, Stpm34Map.row(Stpm34Map.DSP_CR3) + 1, cr3 >>> 16 & 0xFF, cr3 >>> 24);
    }

    @Test
    void rmsPowerAndEnergyThroughSpiFramesMatchTheTruth() {
        clock.runFor(1_000_000_000L);
        softwareLatch();
        int reg14 = read32(Stpm34Map.DSP_REG14);
        double volts = (reg14 & 0x7FFF) * V_RMS_LSB;
        double amps = (reg14 >>> 15) * I_RMS_LSB;
        assertThat(volts).isCloseTo(230, within(230 * 1e-4));
        assertThat(amps).isCloseTo(5, within(5 * 1e-4));
        int p = read32(Stpm34Map.PH1_REG1 + Stpm34Map.ACTIVE_POWER) << 3 >> 3; // [28:0], sign-extended
        assertThat(p * P_LSB).isCloseTo(1150, within(1150 * 1e-4));
        int e0 = read32(Stpm34Map.PH1_REG1 + Stpm34Map.ACTIVE_ENERGY);

        // One minute: at 1150 W the 32-bit register (LSB about 1.02e-8 Wh, 43.9 Wh per turn) wraps every
        // 2.3 minutes, which is why firmware reads it often and extends it in software (ST Metro_Read_energy).
        clock.runFor(60_000_000_000L);
        softwareLatch();
        int e1 = read32(Stpm34Map.PH1_REG1 + Stpm34Map.ACTIVE_ENERGY);
        double wh = Integer.toUnsignedLong(e1 - e0) * E_LSB_WH;
        assertThat(wh).isCloseTo(1150 / 60.0, within(1150 / 60.0 * 1e-4));
    }

    @Test
    void dataRegistersChangeOnlyAtALatch() {
        clock.runFor(100_000_000);
        softwareLatch();
        int before = read32(Stpm34Map.DSP_REG14);
        mains.set(MainsState.sinusoidal(50, 200, 5, 0), clock.now());
        clock.runFor(100_000_000);
        assertThat(read32(Stpm34Map.DSP_REG14)).as("no latch yet").isEqualTo(before);
        syn.drive(false); // a low pulse on SYN latches both channels
        syn.drive(true);
        double volts = (read32(Stpm34Map.DSP_REG14) & 0x7FFF) * V_RMS_LSB;
        assertThat(volts).isCloseTo(200, within(200 * 1e-4));
    }
}
