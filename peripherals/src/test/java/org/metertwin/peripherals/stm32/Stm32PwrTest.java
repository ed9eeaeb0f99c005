package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.SignalNets;

class Stm32PwrTest {
    final SignalNets nets = new SignalNets();
    final AnalogLine vdd = nets.analog("VDD", 3.3);
    final Stm32Pwr pwr = new Stm32Pwr("PWR", vdd, nets.pin("EXTI.line16"));

    @Test
    void pvdoFollowsTheSupplyWithTheThresholdsHysteresis() {
        assertThat(pwr.read(0x00, 4)).isEqualTo(0x4000);
        pwr.write(0x00, 4, 0x4000 | 1 << 4 | 6 << 5); // PVDE, PLS=6 (2.88 V falling, 3.03 V rising typical)
        assertThat(pwr.read(0x04, 4) & 4).isZero();
        vdd.set(2.90);
        assertThat(pwr.read(0x04, 4) & 4).isZero();
        vdd.set(2.85);
        assertThat(pwr.read(0x04, 4) & 4).isEqualTo(4);
        assertThat(nets.pin("EXTI.line16").level()).isTrue();
        vdd.set(3.00); // inside the hysteresis: still below
        assertThat(pwr.read(0x04, 4) & 4).isEqualTo(4);
        vdd.set(3.10);
        assertThat(pwr.read(0x04, 4) & 4).isZero();
        assertThat(nets.pin("EXTI.line16").level()).isFalse();
    }

    @Test
    void disabledPvdReadsZeroAndDrivesNothing() {
        vdd.set(1.9);
        assertThat(pwr.read(0x04, 4) & 4).isZero();
        assertThat(nets.pin("EXTI.line16").level()).isFalse();
        pwr.write(0x00, 4, 1 << 4); // PLS=0: 2.04 V falling
        assertThat(pwr.read(0x04, 4) & 4).isEqualTo(4);
    }

    @Test
    void backupRegulatorReadyFollowsItsEnable() {
        pwr.write(0x04, 4, 1 << 9);
        assertThat(pwr.read(0x04, 4)).isEqualTo(0x4000 | 1 << 9 | 1 << 3);
        assertThat(pwr.backupWritesEnabled()).isFalse();
        pwr.write(0x00, 4, 1 << 8);
        assertThat(pwr.backupWritesEnabled()).isTrue();
    }
}
