/* GOLDEN: rm0090 */
/*
 * A power cycle, as a meter sees a mains outage. The harness (power_cycle.vdd) lowers VDD to 2.5 V at 10 ms:
 * below the PVD threshold (PLS = 7, 2.9 V) but above the power-down level, so the PVD interrupt runs (RM0090
 * 5.2.3) - the moment a meter saves its energy registers. At 12 ms VDD falls to 0: below V_PDR the device is
 * held in reset (RM0090 5.2.2) and executes nothing. At 20 ms VDD returns; after t_RSTTEMPO the device starts
 * with a power-on reset: RCC_CSR shows PORRSTF, BORRSTF and PINRSTF (RM0090 6.3.21).
 * The backup domain (RTC backup registers) is supplied from VBAT while VDD is off (RM0090 5.1.2), so the
 * value written before the outage is still there. power_nobat.c builds this program without a battery
 * (VBAT removed first): then the backup domain returns at its reset value, 0.
 * Which boot this is comes from the semihosting clock (virtual time since start, in centiseconds): RAM does
 * not survive a power cycle.
 */
#include <time.h>
#include "stm32f405.h"

#define RCC_CSR     REG(RCC_BASE, 0x74)
#define RCC_APB1ENR REG(RCC_BASE, 0x40)
#define PWR_CR      REG(PWR_BASE, 0x00)
#define RTC_BKP0R   REG(RTC_BASE, 0x50)
#define EXTI_IMR    REG(EXTI_BASE, 0x00)
#define EXTI_RTSR   REG(EXTI_BASE, 0x08)
#define EXTI_PR     REG(EXTI_BASE, 0x14)

#define MAGIC 0x5AFE0001u

void PVD_IRQHandler(void)
{
    EXTI_PR = 1u << 16;
    printf("PVD: supply failing, saving state\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    clock_t now = clock();
    uint32_t csr = RCC_CSR;
    RCC_APB1ENR |= 1u << 28;                        /* PWREN */
    PWR_CR |= 1u << 8;                              /* DBP: backup domain writable */
    printf("boot at %ld cs: CSR=%08lx BKP0R=%08lx\n", (long)now, (unsigned long)(csr & 0xFE000000u),
           (unsigned long)RTC_BKP0R);
    RCC_CSR |= 1u << 24;                            /* RMVF */
    if (now > 0) {
        printf(RTC_BKP0R == MAGIC ? "backup domain kept through the outage\n"
                                  : "backup domain lost in the outage\n");
        return 0;
    }
    RTC_BKP0R = MAGIC;
    PWR_CR = (PWR_CR & ~(7u << 5)) | (7u << 5) | (1u << 4); /* PLS = 7, PVDE */
    EXTI_RTSR |= 1u << 16;
    EXTI_IMR |= 1u << 16;
    nvic_enable(PVD_IRQn);
    for (;;) {
        __asm volatile("wfi");
    }
}
