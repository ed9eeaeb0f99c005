package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.peripherals.stm32.SysMachine.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.peripherals.stm32.Stm32Clocks.Domain;

class RccTest {
    // RCC_CR (RM0090 6.3.1), CIR (6.3.4), BDCR (6.3.20) and CSR (6.3.21) bits
    static final int HSEON = 1 << 16, HSERDY = 1 << 17, PLLON = 1 << 24, PLLRDY = 1 << 25;
    static final int LSIRDYF = 1, HSERDYF = 8;
    static final int LSEON = 1, LSERDY = 1 << 1, BDRST = 1 << 16;
    static final int LSION = 1, LSIRDY = 1 << 1, RMVF = 1 << 24, BORRSTF = 1 << 25, PINRSTF = 1 << 26, PORRSTF = 1 << 27,
            SFTRSTF = 1 << 28, IWDGRSTF = 1 << 29, WWDGRSTF = 1 << 30, LPWRRSTF = 1 << 31;

    final SysMachine m;

    RccTest() throws Exception {
        m = new SysMachine();
    }

    @Test
    void resetValuesAfterPowerOn() {
        assertThat(m.read(RCC_CR)).isEqualTo(0x0000_0083);          // HSION, HSIRDY, HSITRIM 16
        assertThat(m.read(RCC_PLLCFGR)).isEqualTo(0x2400_3010);
        assertThat(m.read(RCC_CFGR)).isZero();
        assertThat(m.read(RCC_CIR)).isZero();
        assertThat(m.read(RCC_AHB1ENR)).isEqualTo(0x0010_0000);     // CCMDATARAMEN
        assertThat(m.read(RCC_APB1ENR)).isZero();
        assertThat(m.read(RCC + 0x50)).isEqualTo(0x7E67_91FF);      // AHB1LPENR
        assertThat(m.read(RCC + 0x84)).isEqualTo(0x2000_3000);      // PLLI2SCFGR
        assertThat(m.read(RCC_BDCR)).isZero();
        assertThat(m.read(RCC_CSR)).isEqualTo(0x0E00_0000);         // PORRSTF, PINRSTF, BORRSTF
        assertThat(m.board.cpu().clockHz()).isEqualTo(16_000_000);
    }

    /** The sequence of the vendor HAL's SystemClock_Config for 168 MHz from a 25 MHz crystal. */
    static void halBringUp(SysMachine m) {
        m.write(RCC_CR, m.read(RCC_CR) | HSEON);
        while ((m.read(RCC_CR) & HSERDY) == 0) {
            m.run(10_000);
        }
        // PLLM 25, PLLN 336, PLLP /2, PLLSRC HSE, PLLQ 7: VCO 336 MHz, PLLCLK 168 MHz
        m.write(RCC_PLLCFGR, 25 | 336 << 6 | 0 << 16 | 1 << 22 | 7 << 24);
        m.write(RCC_CR, m.read(RCC_CR) | PLLON);
        while ((m.read(RCC_CR) & PLLRDY) == 0) {
            m.run(10_000);
        }
        m.write(FLASH, 0x705); // LATENCY 5, PRFTEN, ICEN, DCEN
        m.write(RCC_CFGR, 0 << 4 | 5 << 10 | 4 << 13); // HCLK = SYSCLK, PCLK1 = /4, PCLK2 = /2
        m.write(RCC_CFGR, (m.read(RCC_CFGR) & ~3) | 2); // SW = PLL
        while ((m.read(RCC_CFGR) & 0xC) != 0x8) {
            m.run(1_000);
        }
    }

    @Test
    void halBringUpTo168MHzFollowsStartupTimesAndSwitchesTheCoreClock() {
        AtomicInteger changes = new AtomicInteger();
        m.rcc().addListener(changes::incrementAndGet);
        long t0 = m.now();
        m.write(RCC_CR, m.read(RCC_CR) | HSEON);
        m.runTo(t0 + 1_999_000);
        assertThat(m.read(RCC_CR) & HSERDY).as("HSE crystal start-up, 2 ms typical").isZero();
        m.runTo(t0 + 2_001_000);
        assertThat(m.read(RCC_CR) & HSERDY).isNotZero();

        halBringUp(m);
        assertThat(m.read(RCC_CFGR) & 0xF).isEqualTo(0xA); // SW = SWS = PLL
        assertThat(m.board.cpu().clockHz()).isEqualTo(168_000_000);
        Rcc rcc = m.rcc();
        assertThat(rcc.frequency(Domain.AHB)).isEqualTo(168_000_000);
        assertThat(rcc.frequency(Domain.APB1)).isEqualTo(42_000_000);
        assertThat(rcc.frequency(Domain.APB2)).isEqualTo(84_000_000);
        assertThat(rcc.frequency(Domain.APB1_TIMER)).isEqualTo(84_000_000);
        assertThat(rcc.frequency(Domain.APB2_TIMER)).isEqualTo(168_000_000);
        assertThat(changes.get()).isPositive();
        assertThat(m.read(FLASH) & 7).isEqualTo(5);

        // the PLL and the HSE feeding it cannot be stopped while they clock the system (RM0090 6.3.1)
        m.write(RCC_CR, m.read(RCC_CR) & ~(PLLON | HSEON));
        assertThat(m.read(RCC_CR) & (PLLON | PLLRDY | HSEON)).isEqualTo(PLLON | PLLRDY | HSEON);
    }

    @Test
    void pllLocksAfterItsLockTimeAndASwitchWaitsForIt() {
        m.write(RCC_CR, m.read(RCC_CR) | PLLON); // from the HSI: 16 / 16 * 192 / 2 = 96 MHz
        m.write(RCC_CFGR, 2);
        assertThat(m.read(RCC_CFGR) & 0xC).as("SWS waits for PLLRDY").isZero();
        long t0 = m.now();
        m.runTo(t0 + 99_000);
        assertThat(m.read(RCC_CR) & PLLRDY).isZero();
        m.runTo(t0 + 101_000);
        assertThat(m.read(RCC_CFGR) & 0xC).isEqualTo(0x8);
        assertThat(m.board.cpu().clockHz()).isEqualTo(96_000_000);
    }

    @Test
    void prescalersChangeHclkAndPclks() {
        Rcc rcc = m.rcc();
        m.write(RCC_CFGR, 0x8 << 4); // HPRE /2
        assertThat(m.board.cpu().clockHz()).isEqualTo(8_000_000);
        m.write(RCC_CFGR, 0xF << 4); // HPRE /512
        assertThat(rcc.hclk()).isEqualTo(31_250);
        assertThat(m.board.cpu().clockHz()).isEqualTo(31_250);
        m.write(RCC_CFGR, 0xB << 4 | 7 << 10 | 6 << 13); // /16, PCLK1 /16, PCLK2 /8
        assertThat(rcc.frequency(Domain.AHB)).isEqualTo(1_000_000);
        assertThat(rcc.frequency(Domain.APB1)).isEqualTo(62_500);
        assertThat(rcc.frequency(Domain.APB2)).isEqualTo(125_000);
        assertThat(rcc.frequency(Domain.APB2_TIMER)).isEqualTo(250_000);
        m.write(RCC_CFGR, 0);
        assertThat(m.board.cpu().clockHz()).isEqualTo(16_000_000);
    }

    @Test
    void clockEnablesAnswerByRm0090Names() {
        Rcc rcc = m.rcc();
        assertThat(rcc.isEnabled("USART1")).isFalse();
        m.write(RCC_APB2ENR, 1 << 4 | 1 << 14);
        m.write(RCC_APB1ENR, 1 << 28 | 1 << 0);
        m.write(RCC_AHB1ENR, m.read(RCC_AHB1ENR) | 1 << 12 | 1);
        assertThat(rcc.isEnabled("USART1")).isTrue();
        assertThat(rcc.isEnabled("SYSCFG")).isTrue();
        assertThat(rcc.isEnabled("SPI1")).isFalse();
        assertThat(rcc.isEnabled("PWR")).isTrue();
        assertThat(rcc.isEnabled("TIM2")).isTrue();
        assertThat(rcc.isEnabled("I2C1")).isFalse();
        assertThat(rcc.isEnabled("CRC")).isTrue();
        assertThat(rcc.isEnabled("GPIOA")).isTrue();
        assertThat(rcc.isEnabled("RTC")).isFalse();
        m.write(RCC_BDCR, 1 << 15 | 2 << 8); // RTCEN, RTCSEL = LSI
        assertThat(rcc.isEnabled("RTC")).isTrue();
        assertThat(rcc.frequency(Domain.RTC)).isEqualTo(32_000);
    }

    @Test
    void readyInterruptFlagsRiseOnlyWhenEnabledAndClearWithTheirClearBits() {
        m.write(RCC_CIR, 1 << 11); // HSERDYIE
        m.write(RCC_CR, m.read(RCC_CR) | HSEON);
        m.run(3_000_000);
        assertThat(m.read(RCC_CIR) & 0xFF).isEqualTo(HSERDYF);
        assertThat(m.board.cpu().nvic().isPending(16 + 5)).isTrue();
        m.write(RCC_CIR, 1 << 11 | 1 << 19); // HSERDYC
        assertThat(m.read(RCC_CIR)).isEqualTo(1 << 11);
        m.write(RCC_CSR, LSION);
        m.run(20_000);
        assertThat(m.read(RCC_CSR) & LSIRDY).isNotZero();
        assertThat(m.read(RCC_CIR) & LSIRDYF).as("LSIRDYIE is clear").isZero();
    }

    @Test
    void resetFlagsFollowEachResetCauseAndTheBackupDomainSurvivesAllButPowerOn() {
        m.write(RCC_CSR, RMVF);
        assertThat(m.read(RCC_CSR)).isZero();
        m.write(RCC_BDCR, LSEON | 1 << 8); // LSE for the RTC
        m.run(2_100_000_000L);
        assertThat(m.read(RCC_BDCR) & LSERDY).as("LSE start-up 2 s").isNotZero();
        m.write(RCC_CFGR, 0x8 << 4);

        m.board.requestReset(ResetCause.SOFTWARE);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(SFTRSTF | PINRSTF);
        assertThat(m.read(RCC_BDCR)).isEqualTo(LSEON | LSERDY | 1 << 8);
        assertThat(m.read(RCC_CFGR)).isZero();
        assertThat(m.board.cpu().clockHz()).as("back on the HSI").isEqualTo(16_000_000);

        m.board.requestReset(ResetCause.INDEPENDENT_WATCHDOG);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(SFTRSTF | PINRSTF | IWDGRSTF);
        m.write(RCC_CSR, RMVF);
        m.board.requestReset(ResetCause.WINDOW_WATCHDOG);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(WWDGRSTF | PINRSTF);
        m.board.requestReset(ResetCause.LOW_POWER);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(WWDGRSTF | LPWRRSTF | PINRSTF);
        m.write(RCC_CSR, RMVF);
        m.board.requestReset(ResetCause.PIN);
        m.run(1_000);
        assertThat(m.read(RCC_CSR)).isEqualTo(PINRSTF);

        int bdcr = m.read(RCC_BDCR);
        m.board.reset(ResetCause.POWER_ON);
        assertThat(m.read(RCC_CSR)).isEqualTo(PORRSTF | PINRSTF | BORRSTF);
        assertThat(m.read(RCC_BDCR)).as("VBAT kept the backup domain (RM0090 5.1.2)").isEqualTo(bdcr).isNotZero();

        m.board.nets().analog("VBAT", 3.0).set(0); // battery out, then the supply: the backup domain loses power
        m.board.nets().analog("VDD", 3.3).set(0);
        m.board.nets().analog("VDD", 3.3).set(3.3);
        m.board.reset(ResetCause.POWER_ON);
        assertThat(m.read(RCC_BDCR)).isZero();
    }

    @Test
    void backupDomainResetClearsBdcrAndRtcselIsWrittenOnce() {
        m.write(RCC_BDCR, 1 << 8);
        m.write(RCC_BDCR, 2 << 8);
        assertThat(m.read(RCC_BDCR)).as("RTCSEL changes only after BDRST").isEqualTo(1 << 8);
        m.write(RCC_BDCR, BDRST);
        m.write(RCC_BDCR, 0);
        m.write(RCC_BDCR, 2 << 8);
        assertThat(m.read(RCC_BDCR)).isEqualTo(2 << 8);
    }
}
