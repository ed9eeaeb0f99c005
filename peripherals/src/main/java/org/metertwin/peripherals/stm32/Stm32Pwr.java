package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;

/**
 * STM32F405 power controller (RM0090 5): backup domain write protection (DBP, which the RTC asks for), the
 * programmable voltage detector comparing the supply net against the PLS threshold (PVDO, and the PVD output
 * on the EXTI line 16 net), and the status flags. Low-power modes (LPDS, PDDS, FPDS) are stored only: Stop and
 * Standby are not modelled; the regulator and backup regulator report ready at once (VOSRDY, BRR).
 */
public final class Stm32Pwr extends RegisterDevice {
    /**
     * PVD thresholds in volts, typical values of DS8626 (STM32F405xx datasheet) table "Embedded reset and power
     * control block characteristics": V_PVD for PLS[2:0] = 0..7, on the supply's falling and rising edge (about
     * 100 mV hysteresis).
     */
    static final double[] FALLING = {2.04, 2.14, 2.31, 2.45, 2.61, 2.78, 2.88, 2.99};
    static final double[] RISING = {2.14, 2.30, 2.45, 2.60, 2.76, 2.93, 3.03, 3.14};

    private final Register csr;
    // CR (RM0090 5.4.1) and CSR (5.4.2)
    private final Flag cwuf, csbf, pvde, dbp, wuf, sbf, pvdo, brr, bre;
    private final Field pls;
    private final AnalogLine vdd;
    private final Pin pvdOutput;
    /** The comparator's state: the supply is below the threshold. */
    private boolean below;

    public Stm32Pwr(String name, AnalogLine vdd, Pin pvdOutput) {
        super(name, 0x400);
        this.vdd = vdd;
        this.pvdOutput = pvdOutput;
        Register cr = define(0x00, "CR").bit(0, "LPDS", Access.RW).bit(1, "PDDS", Access.RW);
        cwuf = cr.flag(2, "CWUF", Access.W);
        csbf = cr.flag(3, "CSBF", Access.W);
        pvde = cr.flag(4, "PVDE");
        pls = cr.valueField(5, 3, "PLS");
        dbp = cr.flag(8, "DBP");
        cr.bit(9, "FPDS", Access.RW).bit(14, "VOS", Access.RW, true);
        csr = define(0x04, "CSR");
        wuf = csr.flag(0, "WUF", Access.R);
        sbf = csr.flag(1, "SBF", Access.R);
        pvdo = csr.flag(2, "PVDO", Access.R);
        brr = csr.flag(3, "BRR", Access.R);
        csr.bit(8, "EWUP", Access.RW);
        bre = csr.flag(9, "BRE");
        csr.bit(14, "VOSRDY", Access.R, true);
        cr.onWrite((w, p) -> {
            if (cwuf.in(w)) {
                wuf.clear(); // CWUF clears WUF (after 2 system clock cycles on the chip)
            }
            if (csbf.in(w)) {
                sbf.clear();
            }
            compare(true);
        });
        // the backup regulator is ready as soon as it is enabled (RM0090 5.4.2: BRR follows BRE)
        csr.onWrite((w, p) -> brr.set(bre.in(w)));
        vdd.listen(v -> compare(false));
        compare(true);
    }

    public boolean backupWritesEnabled() {
        return dbp.isSet();
    }

    private boolean enabled() {
        return pvde.isSet();
    }

    private int level() {
        return pls.get();
    }

    /** Compares the supply with the threshold, with hysteresis unless the settings just changed. */
    private void compare(boolean fresh) {
        double v = vdd.value();
        int threshold = level();
        if (fresh) {
            below = v < (below ? RISING[threshold] : FALLING[threshold]);
        } else if (below && v > RISING[threshold]) {
            below = false;
        } else if (!below && v < FALLING[threshold]) {
            below = true;
        }
        boolean output = enabled() && below;
        pvdo.set(output);
        pvdOutput.drive(output);
    }

    @Override
    public void reset() {
        super.reset();
        compare(true);
    }

    /** {@code stm32f4-pwr}: pins {@code vdd} (analog supply net, 3.3 V) and {@code pvd} (to EXTI line 16). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-pwr";
        }

        public String description() {
            return "STM32F4 PWR (RM0090 5): backup-domain protection, PVD on the supply net";
        }

        public Object create(DeviceContext c) {
            return new Stm32Pwr(c.name(), c.analog("vdd", 3.3), c.pin("pvd"));
        }
    }
}
