package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.ResetListener;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.RegisterDevice;

/**
 * STM32F4 MCU debug component (RM0090 38.16) at 0xE0042000: the device ID code and the debug
 * configuration. The freeze bits are stored only (MeterTwin's debugger does not stop timers); the
 * registers keep their values across system resets and are cleared by power-on (RM0090 38.16.2).
 */
public final class Dbgmcu extends RegisterDevice implements ResetListener {
    public static final int DEV_ID = 0x413;

    public Dbgmcu(String name, int size, int revId) {
        super(name, size);
        define(0x00, "IDCODE", (revId << 16) | DEV_ID).field(0, 12, "DEV_ID", Access.R).field(16, 16, "REV_ID", Access.R);
        define(0x04, "CR", 0).bit(0, "DBG_SLEEP", Access.RW).bit(1, "DBG_STOP", Access.RW)
                .bit(2, "DBG_STANDBY", Access.RW).bit(5, "TRACE_IOEN", Access.RW).field(6, 2, "TRACE_MODE", Access.RW);
        define(0x08, "APB1_FZ", 0).bit(0, "DBG_TIM2_STOP", Access.RW).bit(1, "DBG_TIM3_STOP", Access.RW)
                .bit(2, "DBG_TIM4_STOP", Access.RW).bit(3, "DBG_TIM5_STOP", Access.RW).bit(4, "DBG_TIM6_STOP", Access.RW)
                .bit(5, "DBG_TIM7_STOP", Access.RW).bit(6, "DBG_TIM12_STOP", Access.RW)
                .bit(7, "DBG_TIM13_STOP", Access.RW).bit(8, "DBG_TIM14_STOP", Access.RW)
                .bit(10, "DBG_RTC_STOP", Access.RW).bit(11, "DBG_WWDG_STOP", Access.RW)
                .bit(12, "DBG_IWDG_STOP", Access.RW).bit(21, "DBG_I2C1_SMBUS_TIMEOUT", Access.RW)
                .bit(22, "DBG_I2C2_SMBUS_TIMEOUT", Access.RW).bit(23, "DBG_I2C3_SMBUS_TIMEOUT", Access.RW)
                .bit(25, "DBG_CAN1_STOP", Access.RW).bit(26, "DBG_CAN2_STOP", Access.RW);
        define(0x0C, "APB2_FZ", 0).bit(0, "DBG_TIM1_STOP", Access.RW).bit(1, "DBG_TIM8_STOP", Access.RW)
                .bit(16, "DBG_TIM9_STOP", Access.RW).bit(17, "DBG_TIM10_STOP", Access.RW)
                .bit(18, "DBG_TIM11_STOP", Access.RW);
    }

    @Override
    public void reset(ResetCause cause) {
        if (cause == ResetCause.POWER_ON) {
            super.reset();
        }
    }

    /** {@code stm32f4-dbgmcu}; property {@code revId} (default 0x1007). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-dbgmcu";
        }

        public String description() {
            return "STM32F4 debug MCU configuration and ID code (RM0090 38.16)";
        }

        public Object create(DeviceContext c) throws MachineException {
            long rev = c.number("revId", 0x1007);
            if (rev < 0 || rev > 0xFFFF) {
                throw c.error("properties.revId", "expected a 16-bit revision identifier, got " + rev);
            }
            return new Dbgmcu(c.name(), c.size(), (int) rev);
        }
    }
}
