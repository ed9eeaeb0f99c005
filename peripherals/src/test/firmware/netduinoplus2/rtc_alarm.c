/* GOLDEN: rm0090 */
/*
 * RTC alarm A waking the core from WFI (RM0090 26.3.6), on the LSE (RCC_BDCR, 6.3.20) with the backup
 * domain unlocked through PWR_CR.DBP (5.1.2). The calendar is set to 2026-11-23 12:00:00 and alarm A to
 * 12:00:03 with the date masked; the alarm reaches the core through EXTI line 17 (12.3, rising edge) as
 * the RTC_Alarm interrupt. Expected output: the time read in the handler is 12:00:03 (the alarm matches
 * when the calendar reaches it), the core had slept through the wait, and ALRAF was set.
 */
#include "stm32f405.h"

#define RCC_APB1ENR REG(RCC_BASE, 0x40)
#define RCC_BDCR    REG(RCC_BASE, 0x70)
#define PWR_CR      REG(PWR_BASE, 0x00)
#define RTC_TR      REG(RTC_BASE, 0x00)
#define RTC_DR      REG(RTC_BASE, 0x04)
#define RTC_CR      REG(RTC_BASE, 0x08)
#define RTC_ISR     REG(RTC_BASE, 0x0C)
#define RTC_PRER    REG(RTC_BASE, 0x10)
#define RTC_ALRMAR  REG(RTC_BASE, 0x1C)
#define RTC_WPR     REG(RTC_BASE, 0x24)
#define EXTI_IMR    REG(EXTI_BASE, 0x00)
#define EXTI_RTSR   REG(EXTI_BASE, 0x08)
#define EXTI_PR     REG(EXTI_BASE, 0x14)

static volatile uint32_t alarm_tr, alarm_isr, woken;

void RTC_Alarm_IRQHandler(void)
{
    alarm_isr = RTC_ISR;
    alarm_tr = RTC_TR;
    RTC_ISR &= ~(1u << 8); /* ALRAF is rc_w0 */
    EXTI_PR = 1u << 17;
    woken++;
}

int main(void)
{
    RCC_APB1ENR |= 1u << 28;                /* PWREN */
    PWR_CR |= 1u << 8;                      /* DBP: backup domain writable */
    RCC_BDCR |= 1u;                         /* LSEON */
    while (!(RCC_BDCR & 2u)) {              /* LSERDY */
    }
    RCC_BDCR |= (1u << 8) | (1u << 15);     /* RTCSEL = LSE, RTCEN */
    RTC_WPR = 0xCA;
    RTC_WPR = 0x53;
    RTC_ISR |= 1u << 7;                     /* INIT */
    while (!(RTC_ISR & (1u << 6))) {        /* INITF */
    }
    RTC_PRER = (127u << 16) | 255u;         /* 32768 / 128 / 256 = 1 Hz */
    RTC_TR = 0x120000;                      /* 12:00:00, 24-hour */
    RTC_DR = 0x261123 | (1u << 13);         /* 2026-11-23, Monday */
    RTC_ISR &= ~(1u << 7);                  /* leave INIT: the calendar runs */
    RTC_CR &= ~(1u << 8);                   /* ALRAE off before writing ALRMAR */
    while (!(RTC_ISR & 1u)) {               /* ALRAWF */
    }
    RTC_ALRMAR = (1u << 31) | 0x120003;     /* MSK4: any date; 12:00:03 */
    RTC_CR |= (1u << 12) | (1u << 8);       /* ALRAIE, ALRAE */
    RTC_WPR = 0xFF;                         /* lock again */
    EXTI_RTSR |= 1u << 17;
    EXTI_IMR |= 1u << 17;
    nvic_enable(RTC_Alarm_IRQn);
    uint32_t sleeps = 0;
    while (!woken) {
        __asm volatile("wfi");
        sleeps++;
    }
    printf("alarm at %02lx:%02lx:%02lx ALRAF=%lu woke after %s\n", (unsigned long)((alarm_tr >> 16) & 0x3F),
           (unsigned long)((alarm_tr >> 8) & 0x7F), (unsigned long)(alarm_tr & 0x7F),
           (unsigned long)((alarm_isr >> 8) & 1u), sleeps == 1 ? "one WFI" : "several WFIs");
    return 0;
}
