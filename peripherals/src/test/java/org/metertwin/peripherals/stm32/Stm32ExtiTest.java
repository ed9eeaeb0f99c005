package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.signal.SignalNets;

class Stm32ExtiTest {
    final SignalNets nets = new SignalNets();
    final Stm32Syscfg syscfg = new Stm32Syscfg("SYSCFG");
    final boolean[] lines = new boolean[12];
    final List<String> changes = new ArrayList<>();
    final Stm32Exti exti;

    Stm32ExtiTest() {
        InterruptLine[] out = new InterruptLine[12];
        for (int i = 0; i < out.length; i++) {
            int n = i;
            out[i] = level -> {
                lines[n] = level;
                changes.add(Stm32Exti.IRQ_NAMES[n] + (level ? "+" : "-"));
            };
        }
        Pin[] special = new Pin[7];
        for (int line : new int[] {16, 17, 18, 21, 22}) {
            special[line - 16] = nets.pin("EXTI.line" + line);
        }
        exti = new Stm32Exti("EXTI", syscfg, nets, out, special);
    }

    @Test
    void gpioPinSelectedBySyscfgRaisesItsGroupOnEnabledEdges() {
        Stm32Gpio c = new Stm32Gpio("GPIOC", 2, nets::pin);
        c.write(0x00, 4, 1 << 26); // PC13 output
        syscfg.write(0x14, 4, 2 << 4); // EXTICR4: EXTI13 = port C
        exti.write(0x08, 4, 1 << 13); // rising only
        exti.write(0x00, 4, 1 << 13);
        c.write(0x18, 4, 1 << 13);
        assertThat(exti.read(0x14, 4)).isEqualTo(1 << 13);
        assertThat(lines[6]).isTrue(); // EXTI15_10
        exti.write(0x14, 4, 1 << 13); // rc_w1
        assertThat(lines[6]).isFalse();
        c.write(0x18, 4, 1 << 29); // falling edge: not enabled
        assertThat(exti.read(0x14, 4)).isZero();
        exti.write(0x0C, 4, 1 << 13);
        c.write(0x18, 4, 1 << 13);
        c.write(0x18, 4, 1 << 29);
        assertThat(exti.read(0x14, 4)).isEqualTo(1 << 13);
        assertThat(changes).containsExactly("EXTI15_10+", "EXTI15_10-", "EXTI15_10+");
    }

    @Test
    void pinsOfUnselectedPortsAreIgnored() {
        exti.write(0x08, 4, 1 << 3);
        exti.write(0x00, 4, 1 << 3);
        nets.pin("GPIOB.3").drive(true); // EXTI3 still selects port A
        assertThat(exti.read(0x14, 4)).isZero();
        nets.pin("GPIOA.3").drive(true);
        assertThat(exti.read(0x14, 4)).isEqualTo(1 << 3);
        assertThat(lines[3]).isTrue();
    }

    @Test
    void maskedLinesArePendingWithoutInterruptAndSoftwareTriggerWorks() {
        exti.write(0x08, 4, 1 << 0);
        nets.pin("GPIOA.0").drive(true);
        assertThat(exti.read(0x14, 4)).isEqualTo(1);
        assertThat(lines[0]).isFalse();
        exti.write(0x00, 4, 1); // unmasking a pending line raises the interrupt
        assertThat(lines[0]).isTrue();
        exti.write(0x14, 4, 1);
        exti.write(0x00, 4, 1 << 7);
        exti.write(0x10, 4, 1 << 7); // SWIER7
        assertThat(lines[5]).isTrue(); // EXTI9_5
        assertThat(exti.read(0x10, 4)).isEqualTo(1 << 7);
        exti.write(0x14, 4, 1 << 7); // clearing PR clears SWIER
        assertThat(exti.read(0x10, 4)).isZero();
        assertThat(lines[5]).isFalse();
    }

    @Test
    void specialLinesFollowTheirNets() {
        exti.write(0x08, 4, 1 << 16 | 1 << 17 | 1 << 22);
        exti.write(0x00, 4, 1 << 16 | 1 << 17 | 1 << 22);
        nets.pin("EXTI.line17").drive(true);
        assertThat(lines[8]).isTrue(); // RTC_Alarm
        nets.pin("EXTI.line16").drive(true);
        assertThat(lines[7]).isTrue(); // PVD
        nets.pin("EXTI.line22").drive(true);
        assertThat(lines[11]).isTrue(); // RTC_WKUP
        assertThat(exti.read(0x14, 4)).isEqualTo(1 << 16 | 1 << 17 | 1 << 22);
    }
}
