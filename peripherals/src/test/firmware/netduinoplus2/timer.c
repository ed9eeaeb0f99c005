/* GOLDEN: rm0090 */
/*
 * TIM2 update interrupts counted against TIM3 as a second timebase (QEMU does not model the RCC that gates
 * their clocks, so the golden comes from RM0090). Both run from the same APB1 timer clock, so the expected
 * count depends only on PSC and ARR, never on the clock frequency (RM0090 18.3.1: the counter clock is
 * CK_PSC / (PSC + 1); 18.3.2: an update event each ARR + 1 counts in upcounting mode).
 */
#include "stm32f405.h"

#define RCC_APB1ENR REG(RCC_BASE, 0x40) /* RM0090 7.3.13: TIM2EN bit 0, TIM3EN bit 1, TIM4EN bit 2 */
#define CR1(t)  REG(t, 0x00)            /* RM0090 18.4.1: CEN bit 0, OPM bit 3 */
#define DIER(t) REG(t, 0x0C)            /* 18.4.4: UIE bit 0 */
#define SR(t)   REG(t, 0x10)            /* 18.4.5: UIF bit 0, rc_w0 */
#define EGR(t)  REG(t, 0x14)            /* 18.4.6: UG bit 0 */
#define CNT(t)  REG(t, 0x24)
#define PSC(t)  REG(t, 0x28)
#define ARR(t)  REG(t, 0x2C)

static volatile uint32_t tim2_updates;

void TIM2_IRQHandler(void)
{
    if (SR(TIM2_BASE) & 1u) {
        SR(TIM2_BASE) = ~1u;
        tim2_updates++;
    }
}

static void timebase(uint32_t t, uint32_t psc, uint32_t arr)
{
    PSC(t) = psc;
    ARR(t) = arr;
    EGR(t) = 1u; /* UG: PSC is buffered and reaches the prescaler only at an update event (18.3.1) */
    SR(t) = 0;   /* UG with URS=0 set UIF (18.4.6) */
}

int main(void)
{
    RCC_APB1ENR |= 7u;
    (void)RCC_APB1ENR;
    timebase(TIM2_BASE, 9, 999);     /* 10 x 1000 = 10,000 timer clocks per update */
    timebase(TIM3_BASE, 99, 9999);   /* 100 x 10,000 = 1,000,000 timer clocks: 100 TIM2 periods */
    DIER(TIM2_BASE) = 1u;
    nvic_enable(TIM2_IRQn);
    CR1(TIM2_BASE) = 1u;
    /* start TIM3 half a TIM2 period later, so that no TIM2 update is close to a TIM3 update */
    while (CNT(TIM2_BASE) < 500u) {
    }
    CR1(TIM3_BASE) = 1u;
    for (int period = 0; period < 3; period++) {
        while (!(SR(TIM3_BASE) & 1u)) {
        }
        SR(TIM3_BASE) = ~1u;
    }
    uint32_t n = tim2_updates;
    printf("TIM2 updates in 3 TIM3 periods: %lu\n", (unsigned long)n);

    /* One-pulse mode (18.3.15, OPM in 18.4.1): the counter stops at the next update event, clearing CEN */
    timebase(TIM4_BASE, 0, 199);
    CR1(TIM4_BASE) = 1u << 3 | 1u;
    while (CR1(TIM4_BASE) & 1u) {
    }
    printf("TIM4 one-pulse: CEN=%lu UIF=%lu CNT=%lu\n", (unsigned long)(CR1(TIM4_BASE) & 1u),
           (unsigned long)(SR(TIM4_BASE) & 1u), (unsigned long)CNT(TIM4_BASE));
    return n == 300 ? 0 : 1;
}
