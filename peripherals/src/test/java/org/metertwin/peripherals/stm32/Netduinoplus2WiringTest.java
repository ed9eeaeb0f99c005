package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.ResetCause;

/** The netduinoplus2 description connects PWR, RTC and GPIO to the EXTI through their nets. */
class Netduinoplus2WiringTest {
    @Test
    void supplyDropReachesExtiLine16AndGpioReachesLine0() throws Exception {
        Board board = Board.builtIn("netduinoplus2", OutputStream.nullOutputStream());
        board.reset(ResetCause.POWER_ON);
        SystemBus bus = board.bus();
        bus.write32(0x40007000, 0x4000 | 1 << 4 | 6 << 5); // PWR_CR: PVDE, PLS=6
        bus.write32(0x40013C08, 1 << 16 | 1); // EXTI_RTSR lines 0 and 16
        bus.write32(0x40013C00, 1 << 16 | 1); // EXTI_IMR
        board.nets().analog("VDD", 3.3).set(2.5);
        assertThat(bus.read32(0x40007004) & 4).isEqualTo(4); // PWR_CSR.PVDO
        assertThat(bus.read32(0x40013C14)).isEqualTo(1 << 16); // EXTI_PR
        bus.write32(0x40020000, 0xA8000001); // PA0 output
        bus.write32(0x40020018, 1); // BSRR
        assertThat(bus.read32(0x40013C14)).isEqualTo(1 << 16 | 1);
    }
}
