package org.metertwin.peripherals.stm32;

import org.metertwin.core.signal.AnalogLine;

/**
 * Whether the STM32F4's backup domain (RTC, backup registers, LSE, RCC_BDCR) kept its supply across a power
 * cycle (RM0090 5.1.2): it runs from V_DD while V_DD is up and from V_BAT otherwise, and loses its state only
 * when both are below their operating minimum (V_DD below the power-down level, V_BAT below 1.65 V: DS8626's
 * V_BAT range, recalled). Each backup-domain block keeps its own tracker on the same two nets, so all of them
 * see the same history.
 */
final class BackupSupply {
    static final double VBAT_MIN = 1.65;
    static final double VDD_PDR = 1.68;

    private final AnalogLine vdd;
    private final AnalogLine vbat;
    /** True until the first power-on reset: a new machine starts with its backup domain at reset values. */
    private boolean lost = true;

    BackupSupply(AnalogLine vdd, AnalogLine vbat) {
        this.vdd = vdd;
        this.vbat = vbat;
        vdd.listen(v -> check());
        vbat.listen(v -> check());
    }

    private void check() {
        if (vdd.value() < VDD_PDR && vbat.value() < VBAT_MIN) {
            lost = true;
        }
    }

    /** At a power-on reset: whether the domain lost its supply since the previous one. Re-arms the tracker. */
    boolean takeLoss() {
        boolean l = lost;
        lost = false;
        check();
        return l;
    }
}
