package org.metertwin.peripherals.stm32;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;

/**
 * STM32F4 system configuration controller (RM0090 9): the EXTI line multiplexers (EXTICR1-4) are what the
 * EXTI uses; MEMRMP and PMC are stored only (the boot alias stays on flash), and the I/O compensation cell
 * (CMPCR) reports READY as soon as it is powered (CMP_PD=1).
 */
public final class Stm32Syscfg extends RegisterDevice {
    private final Register[] exticr = new Register[4];
    private final List<Runnable> listeners = new ArrayList<>(1);

    public Stm32Syscfg(String name) {
        super(name, 0x400);
        define(0x00, "MEMRMP", 0).field(0, 2, "MEM_MODE", Access.RW);
        define(0x04, "PMC", 0).bit(23, "MII_RMII_SEL", Access.RW);
        for (int i = 0; i < 4; i++) {
            Register r = define(0x08 + 4 * i, "EXTICR" + (i + 1), 0);
            for (int j = 0; j < 4; j++) {
                r.field(4 * j, 4, "EXTI" + (4 * i + j), Access.RW);
            }
            r.onWrite((w, p) -> listeners.forEach(Runnable::run));
            exticr[i] = r;
        }
        Register cmpcr = define(0x20, "CMPCR", 0).bit(0, "CMP_PD", Access.RW).bit(8, "READY", Access.R);
        cmpcr.onWrite((w, p) -> cmpcr.set((w & 1) != 0 ? 0x101 : 0));
    }

    /** The port (0 = A ... 8 = I) whose pin drives EXTI line {@code line} (0-15). */
    public int exticrPort(int line) {
        return exticr[line >> 2].get() >>> (4 * (line & 3)) & 0xF;
    }

    /** Heard after every write of EXTICR1-4. */
    public void addListener(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public void reset() {
        super.reset();
        listeners.forEach(Runnable::run);
    }

    /** {@code stm32f4-syscfg}. */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-syscfg";
        }

        public String description() {
            return "STM32F4 SYSCFG (RM0090 9): EXTI port selection";
        }

        public Object create(DeviceContext c) {
            return new Stm32Syscfg(c.name());
        }
    }
}
