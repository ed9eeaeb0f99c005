package org.metertwin.peripherals.meter.supply;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.AnalogLine;

/**
 * The backup cell of the RTC domain (a 3 V lithium coin cell such as a CR2032) on the STM32's VBAT net. While
 * VDD is off, the RTC and backup registers live on VBAT; RM0090 5.1 ("Power supply overview" figure) gives
 * VBAT = 1.65 V to 3.6 V for the STM32F405, so below 1.65 V the backup domain is not guaranteed to keep its
 * contents. This device only drives the net: what the STM32 does without a battery (losing the backup domain
 * on power-on) is for the board to wire.
 */
public final class Battery {
    /** The lowest VBAT at which the STM32F405 backup domain is specified to work (RM0090 5.1). */
    public static final double BACKUP_DOMAIN_MIN_VOLTS = 1.65;

    private final String name;
    private final AnalogLine vbat;
    private final double nominal, flat;

    public Battery(String name, AnalogLine vbat, double nominalVolts, double flatVolts) {
        this.name = name;
        this.vbat = vbat;
        this.nominal = nominalVolts;
        this.flat = flatVolts;
        vbat.set(nominalVolts);
    }

    public String name() {
        return name;
    }

    /** Takes the cell out: VBAT 0 V (no other source on the net). */
    public void remove() {
        vbat.set(0);
    }

    /** Fits a fresh cell: VBAT at the nominal voltage. */
    public void replace() {
        vbat.set(nominal);
    }

    /** The cell is exhausted: VBAT at the flat voltage (below what the backup domain needs by default). */
    public void goFlat() {
        vbat.set(flat);
    }

    /** Any voltage, for a discharge curve a scenario wants to play. */
    public void setVolts(double volts) {
        if (!(volts >= 0)) {
            throw new IllegalArgumentException(name + ": battery voltage must be >= 0 V, got " + volts);
        }
        vbat.set(volts);
    }

    public double volts() {
        return vbat.value();
    }

    /** Whether VBAT is within the STM32's specified range for keeping the backup domain. */
    public boolean holdsBackupDomain() {
        return vbat.value() >= BACKUP_DOMAIN_MIN_VOLTS;
    }

    /**
     * {@code battery}: analog pin {@code vbat}; properties {@code volts} (nominal, default 3.0: a lithium coin
     * cell) and {@code flat-volts} (default 1.5).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "battery";
        }

        public String description() {
            return "RTC backup battery driving the VBAT net; can be removed, replaced or go flat";
        }

        public Object create(DeviceContext c) throws MachineException {
            double volts = c.decimal("volts", 3.0);
            double flat = c.decimal("flat-volts", 1.5);
            if (!(volts > 0) || volts > 5) {
                throw c.error("properties.volts", "must be within (0, 5] V, got " + volts);
            }
            if (!(flat >= 0) || flat > volts) {
                throw c.error("properties.flat-volts", "must be within 0..volts (" + volts + " V), got " + flat);
            }
            return new Battery(c.name(), c.analog("vbat", volts), volts, flat);
        }
    }
}
