package org.metertwin.peripherals.stm32;

import java.util.List;
import org.metertwin.core.machine.DeviceContext;

/**
 * The clocks an STM32F4 peripheral runs from (RM0090 6.2, clock tree): the RCC model provides them as
 * firmware programs PLL, clock switch and prescalers. A machine without an RCC gets fixed clocks equal to
 * the processor clock. Listeners hear every change, so that baud rates and timer periods follow.
 */
public interface Stm32Clocks {
    /** Which clock feeds a peripheral. */
    enum Domain {
        /** AHB (HCLK): GPIO, CRC, DMA. */
        AHB,
        /** APB1 (PCLK1): USART2/3, UART4/5, SPI2/3, I2C, TIM2-7 (via the timer clock), PWR, WWDG. */
        APB1,
        /** APB2 (PCLK2): USART1/6, SPI1, SYSCFG, TIM1/8-11. */
        APB2,
        /** Timer kernel clock on APB1: PCLK1, doubled when the APB1 prescaler is not 1. */
        APB1_TIMER,
        /** Timer kernel clock on APB2. */
        APB2_TIMER,
        /** LSI, 32 kHz: IWDG and optionally the RTC. */
        LSI,
        /** The RTC clock selected by RCC_BDCR.RTCSEL (LSE 32.768 kHz, LSI, HSE/RTCPRE). */
        RTC
    }

    long frequency(Domain domain);

    /** Whether the peripheral's clock enable bit (RCC_xxxENR) is set; {@code name} as in RM0090 (USART1). */
    boolean isEnabled(String peripheral);

    void addListener(Runnable changed);

    /** The machine's RCC if it has one, else fixed clocks at the processor frequency. */
    static Stm32Clocks of(DeviceContext context) {
        List<Stm32Clocks> found = context.devicesOf(Stm32Clocks.class);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        long hz = context.cpu().clockHz();
        return new Stm32Clocks() {
            public long frequency(Domain domain) {
                return domain == Domain.LSI ? 32_000 : domain == Domain.RTC ? 32_768 : hz;
            }

            public boolean isEnabled(String peripheral) {
                return true;
            }

            public void addListener(Runnable changed) {
            }
        };
    }
}
