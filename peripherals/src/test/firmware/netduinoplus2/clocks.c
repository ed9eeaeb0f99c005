/* GOLDEN: rm0090 */
/*
 * Clock bring-up as the vendor HAL's SystemClock_Config does it (RM0090 6.2, 6.3): HSE on (the Netduino
 * Plus 2 crystal is 25 MHz) and wait HSERDY; main PLL from HSE with PLLM 25, PLLN 336, PLLP 2, PLLQ 7
 * (VCO 336 MHz, 168 MHz out, RM0090 6.3.2); PLL on and wait PLLRDY; FLASH_ACR LATENCY 5 wait states
 * (RM0090 3.5.1, table 10 at 2.7-3.6 V); AHB /1, APB1 /4, APB2 /2; SW = PLL and wait SWS = PLL.
 * Then SysTick from the processor clock with reload 168000 - 1 (1 ms at 168 MHz) must fire 10 times;
 * the window watchdog counter, clocked from PCLK1 = 42 MHz / 4096 / 2 (WDGTB 1, RM0090 20.3), measures
 * those 10 ms independently: 10 ms / 195.05 us = 51.3 counts (50-52 allowing for prescaler phase).
 */
#include "stm32f405.h"

#define RCC_CR       REG(RCC_BASE, 0x00)
#define RCC_PLLCFGR  REG(RCC_BASE, 0x04)
#define RCC_CFGR     REG(RCC_BASE, 0x08)
#define RCC_APB1ENR  REG(RCC_BASE, 0x40)
#define FLASH_ACR    REG(FLASH_R_BASE, 0x00)
#define WWDG_CR      REG(WWDG_BASE, 0x00)
#define WWDG_CFR     REG(WWDG_BASE, 0x04)
#define SYST_CSR     (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR     (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR     (*(volatile uint32_t *)0xE000E018u)

static volatile uint32_t ticks;

void SysTick_Handler(void)
{
    ticks++;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("reset: CR=%08lx PLLCFGR=%08lx CFGR=%08lx\n", (unsigned long)(RCC_CR & ~0xFF00u),
           (unsigned long)RCC_PLLCFGR, (unsigned long)RCC_CFGR);          /* 6.3.1-6.3.3 (HSICAL masked) */

    RCC_CR |= 1u << 16;                                  /* HSEON */
    while (!(RCC_CR & (1u << 17))) {                     /* HSERDY */
    }
    RCC_PLLCFGR = 25u | 336u << 6 | 0u << 16 | 1u << 22 | 7u << 24;
    RCC_CR |= 1u << 24;                                  /* PLLON */
    while (!(RCC_CR & (1u << 25))) {                     /* PLLRDY */
    }
    FLASH_ACR = 5u | 1u << 8 | 1u << 9 | 1u << 10;       /* LATENCY 5, PRFTEN, ICEN, DCEN */
    RCC_CFGR = (RCC_CFGR & ~0xFCF0u) | 0u << 4 | 5u << 10 | 4u << 13;
    RCC_CFGR = (RCC_CFGR & ~3u) | 2u;                    /* SW = PLL */
    while ((RCC_CFGR & 0xCu) != 0x8u) {                  /* SWS = PLL */
    }
    uint32_t cfgr = RCC_CFGR;
    printf("SWS=%lu HPRE=%lu PPRE1=%lu PPRE2=%lu LATENCY=%lu\n", (unsigned long)((cfgr >> 2) & 3),
           (unsigned long)((cfgr >> 4) & 0xF), (unsigned long)((cfgr >> 10) & 7), (unsigned long)((cfgr >> 13) & 7),
           (unsigned long)(FLASH_ACR & 7));
    printf("CR ready: HSERDY=%lu PLLRDY=%lu\n", (unsigned long)((RCC_CR >> 17) & 1),
           (unsigned long)((RCC_CR >> 25) & 1));

    RCC_APB1ENR |= 1u << 11;                             /* WWDGEN */
    WWDG_CFR = 0x7Fu | 1u << 7;                          /* WDGTB 1, window 0x7F; WDGA stays 0: no reset */
    SYST_RVR = 168000u - 1u;
    SYST_CVR = 0;
    WWDG_CR = 0x7Fu;                                     /* counter from 0x7F */
    SYST_CSR = 7u;                                       /* processor clock, interrupt, enable */
    while (ticks < 10) {
    }
    uint32_t t = WWDG_CR & 0x7Fu;
    SYST_CSR = 0;
    uint32_t counts = 0x7Fu - t;
    printf("SysTick interrupts: %lu\n", (unsigned long)ticks);
    printf("WWDG counts in 10 SysTick periods within 50-52: %s\n", (counts >= 50 && counts <= 52) ? "yes" : "no");
    finish(0);
}
