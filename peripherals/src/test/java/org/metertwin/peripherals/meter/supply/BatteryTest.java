package org.metertwin.peripherals.meter.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.AnalogLine;

/** The VBAT net against the STM32F405's VBAT range (RM0090 5.1: 1.65 V to 3.6 V). */
class BatteryTest {
    final AnalogLine vbat = new AnalogLine("vbat", 0);
    final Battery cell = new Battery("bat", vbat, 3.0, 1.5);

    @Test
    void freshCellDrivesTheNet() {
        assertEquals(3.0, vbat.value());
        assertTrue(cell.holdsBackupDomain());
    }

    @Test
    void removedAndReplaced() {
        cell.remove();
        assertEquals(0.0, vbat.value());
        assertFalse(cell.holdsBackupDomain());
        cell.replace();
        assertEquals(3.0, vbat.value());
    }

    @Test
    void flatCellIsBelowTheBackupDomainMinimum() {
        cell.goFlat();
        assertEquals(1.5, vbat.value());
        assertFalse(cell.holdsBackupDomain());
        cell.setVolts(1.65);
        assertTrue(cell.holdsBackupDomain(), "1.65 V is the specified minimum");
        cell.setVolts(1.64);
        assertFalse(cell.holdsBackupDomain());
    }
}
