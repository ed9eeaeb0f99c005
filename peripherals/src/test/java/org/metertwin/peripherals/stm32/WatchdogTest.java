package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.peripherals.stm32.SysMachine.*;

import org.junit.jupiter.api.Test;

class WatchdogTest {
    // RCC_CSR bits (RM0090 6.3.21)
    static final int RMVF = 1 << 24, PINRSTF = 1 << 26, IWDGRSTF = 1 << 29, WWDGRSTF = 1 << 30;
    // IWDG_SR PVU (RM0090 19.4.4), WWDG_CFR EWI (20.6.2)
    static final int PVU = 1, EWI = 1 << 9;

    static final int KR = IWDG, PR = IWDG + 4, RLR = IWDG + 8, SR = IWDG + 12;
    static final int WWDG_CR = WWDG, WWDG_CFR = WWDG + 4, WWDG_SR = WWDG + 8;

    final SysMachine m;

    WatchdogTest() throws Exception {
        m = new SysMachine();
        m.write(RCC_CSR, RMVF);
    }

    boolean iwdgReset() {
        return (m.read(RCC_CSR) & IWDGRSTF) != 0;
    }

    @Test
    void iwdgResetValuesAndWriteProtection() {
        assertThat(m.read(PR)).isZero();
        assertThat(m.read(RLR)).isEqualTo(0xFFF);
        assertThat(m.read(SR)).isZero();
        m.write(PR, 3);
        assertThat(m.read(PR)).as("PR needs 0x5555 first").isZero();
        m.write(KR, 0x5555);
        m.write(PR, 3);
        assertThat(m.read(SR)).isEqualTo(PVU);
        long t0 = m.now();
        m.runTo(t0 + 156_000); // 5 LSI periods at 32 kHz = 156.25 us
        assertThat(m.read(SR)).isEqualTo(PVU);
        m.runTo(t0 + 157_000);
        assertThat(m.read(SR)).isZero();
        assertThat(m.read(PR)).isEqualTo(3);
    }

    @Test
    void iwdgExpiresAfterRlrPlusOnePrescaledLsiPeriods() {
        m.write(KR, 0x5555);
        m.write(PR, 3);       // /32: 1 ms per count at 32 kHz
        m.write(RLR, 999);    // time-out (999 + 1) * 32 / 32000 Hz = 1 s
        m.run(200_000);       // PVU and RVU done
        m.write(KR, 0xCCCC);  // starts from 0xFFF: 4096 ms
        long t0 = m.now();
        m.write(KR, 0xAAAA);  // reload from RLR: 1 s
        m.runTo(t0 + 999_999_000L);
        assertThat(iwdgReset()).isFalse();
        m.runTo(t0 + 1_000_001_000L);
        assertThat(iwdgReset()).as("IWDGRSTF at exactly 1 s").isTrue();
        assertThat(m.read(RCC_CSR)).isEqualTo(IWDGRSTF | PINRSTF);
        // after the reset it is stopped again
        m.write(RCC_CSR, RMVF);
        m.run(5_000_000_000L);
        assertThat(m.read(RCC_CSR)).isZero();
    }

    @Test
    void iwdgStartsFrom0xFffAndReloadsPostponeTheReset() {
        m.write(KR, 0xCCCC);  // /4, 0xFFF: 4096 * 4 / 32000 = 512 ms (RM0090 table 107)
        long t0 = m.now();
        m.runTo(t0 + 300_000_000L);
        m.write(KR, 0xAAAA);
        long t1 = m.now();
        m.runTo(t1 + 511_999_000L);
        assertThat(iwdgReset()).isFalse();
        m.runTo(t1 + 512_001_000L);
        assertThat(iwdgReset()).isTrue();
    }

    @Test
    void wwdgCountsFromPclk1AndResetsWhenT6Clears() {
        // PCLK1 = HSI 16 MHz; WDGTB 3: one count per 4096 * 8 / 16 MHz = 2.048 ms
        assertThat(m.read(WWDG_CR)).isEqualTo(0x7F);
        assertThat(m.read(WWDG_CFR)).isEqualTo(0x7F);
        m.write(WWDG_CFR, 0x7F | 3 << 7 | EWI);
        m.write(WWDG_CR, 0x80 | 0x7F);
        long t0 = m.now();
        m.runTo(t0 + 10 * 2_048_000L + 1_000);
        assertThat(m.read(WWDG_CR)).isEqualTo(0x80 | 0x75);
        m.runTo(t0 + 63 * 2_048_000L - 1_000);
        assertThat(m.read(WWDG_SR)).isZero();
        m.runTo(t0 + 63 * 2_048_000L + 1_000);
        assertThat(m.read(WWDG_SR)).as("early wakeup at 0x40").isEqualTo(1);
        assertThat(m.board.cpu().nvic().isPending(16 + 0)).isTrue();
        assertThat(m.read(RCC_CSR) & WWDGRSTF).isZero();
        m.runTo(t0 + 64 * 2_048_000L + 1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(WWDGRSTF | PINRSTF);
        assertThat(m.read(WWDG_CR)).as("reset").isEqualTo(0x7F);
    }

    @Test
    void wwdgRefreshOutsideTheWindowResets() {
        m.write(WWDG_CFR, 0x50); // W = 0x50, WDGTB 0: 256 us per count
        m.write(WWDG_CR, 0xFF);
        m.run(1_000_000);        // T about 0x7B, above W
        m.write(WWDG_CR, 0xFF);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(WWDGRSTF | PINRSTF);
        m.write(RCC_CSR, RMVF);
        m.write(WWDG_CFR, 0x50);
        m.write(WWDG_CR, 0xFF);
        m.run(48L * 256_000);    // T = 0x4F, inside the window
        m.write(WWDG_CR, 0xFF);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isZero();
        m.write(WWDG_CR, 0x80 | 0x3F); // writing T6 = 0 resets at once
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(WWDGRSTF | PINRSTF);
    }
}
