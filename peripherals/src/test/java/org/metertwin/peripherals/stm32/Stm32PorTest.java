package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.AnalogLine;

/** POR/PDR thresholds with hysteresis and the reset temporization (RM0090 5.2.2). */
class Stm32PorTest {
    private final TestMachine m = new TestMachine();
    private final AnalogLine vdd = new AnalogLine("VDD", 3.3);
    private final Stm32Por por = new Stm32Por(null, vdd, m.events, 1.68, 1.72, 1_500_000);

    @Test
    void holdsBelowThePowerDownLevelAndReleasesAfterTheTemporization() {
        assertThat(por.isHeld()).isFalse();
        vdd.set(1.69);
        assertThat(por.isHeld()).as("above V_PDR").isFalse();
        vdd.set(1.67);
        assertThat(por.isHeld()).isTrue();
        vdd.set(1.70);
        m.runFor(10_000_000);
        assertThat(por.isHeld()).as("inside the hysteresis: still below V_POR").isTrue();
        vdd.set(1.72);
        m.runFor(1_499_999);
        assertThat(por.isHeld()).isTrue();
        m.runFor(1);
        assertThat(por.isHeld()).isFalse();
        assertThat(por.powerDowns()).isEqualTo(1);
    }

    @Test
    void aDipDuringTheTemporizationRestartsIt() {
        vdd.set(0);
        vdd.set(3.3);
        m.runFor(1_000_000);
        vdd.set(1.0);
        vdd.set(3.3);
        m.runFor(1_000_000);
        assertThat(por.isHeld()).isTrue();
        m.runFor(500_000);
        assertThat(por.isHeld()).isFalse();
    }
}
