/* GOLDEN: rm0090 */
/*
 * PVD interrupt on a supply drop (RM0090 5.2.3, 12.3). PLS = 7 (2.9 V falling threshold) with PVDE; EXTI
 * line 16 on both edges as the PVD interrupt. The test harness drops the VDD net from 3.3 V to 2.5 V at
 * 5 ms and restores it at 8 ms (pvd.vdd): the firmware sleeps, and reports each PVD interrupt with PVDO
 * (1 = VDD below the threshold). Before the drop PVDO reads 0.
 */
#include "stm32f405.h"

#define RCC_APB1ENR REG(RCC_BASE, 0x40)
#define PWR_CR      REG(PWR_BASE, 0x00)
#define PWR_CSR     REG(PWR_BASE, 0x04)
#define EXTI_IMR    REG(EXTI_BASE, 0x00)
#define EXTI_RTSR   REG(EXTI_BASE, 0x08)
#define EXTI_FTSR   REG(EXTI_BASE, 0x0C)
#define EXTI_PR     REG(EXTI_BASE, 0x14)

static volatile uint32_t events, pvdo[4];

void PVD_IRQHandler(void)
{
    EXTI_PR = 1u << 16;
    if (events < 4) {
        pvdo[events] = (PWR_CSR >> 2) & 1u;
    }
    events++;
}

int main(void)
{
    RCC_APB1ENR |= 1u << 28;                  /* PWREN */
    PWR_CR = (PWR_CR & ~(7u << 5)) | (7u << 5) | (1u << 4); /* PLS = 7, PVDE */
    printf("PVDO before the drop: %lu\n", (unsigned long)((PWR_CSR >> 2) & 1u));
    EXTI_RTSR |= 1u << 16;
    EXTI_FTSR |= 1u << 16;
    EXTI_IMR |= 1u << 16;
    nvic_enable(PVD_IRQn);
    while (events < 2) {
        __asm volatile("wfi");
    }
    printf("PVD interrupt 1: PVDO=%lu (supply fell below the threshold)\n", (unsigned long)pvdo[0]);
    printf("PVD interrupt 2: PVDO=%lu (supply back above it)\n", (unsigned long)pvdo[1]);
    return 0;
}
