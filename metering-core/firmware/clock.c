/*
 * TIM2 at 1 MHz (PSC = 15 on the 16 MHz timer clock, RM0090 18.4.11) with ARR = PERIOD_US - 1: the update
 * interrupt marks the end of a metering period. The STPM34 is latched there (main.c passes the latch as
 * the period-end callback), in the interrupt, so that every period is exactly PERIOD_US long (the same
 * instruction path each time).
 */
#include "board.h"
#include "clock.h"

volatile uint32_t periods_elapsed;
static volatile uint64_t period_base_us;
static void (*period_end)(void);

void clock_start(void (*at_period_end)(void))
{
    period_end = at_period_end;
    RCC_APB1ENR |= 1u << 0;           /* TIM2EN */
    TIM_PSC(TIM2_BASE) = CLOCK_HZ / 1000000u - 1u;
    TIM_ARR(TIM2_BASE) = PERIOD_US - 1u;
    TIM_EGR(TIM2_BASE) = 1u;          /* UG: load PSC now */
    TIM_SR(TIM2_BASE) = 0;
    TIM_DIER(TIM2_BASE) = 1u;         /* UIE */
    TIM_CR1(TIM2_BASE) = 1u;          /* CEN */
    nvic_enable(TIM2_IRQn, 1);
}

void TIM2_IRQHandler(void)
{
    TIM_SR(TIM2_BASE) = 0;
    period_end();
    period_base_us += PERIOD_US;
    periods_elapsed++;
}

static uint64_t now_us64(void)
{
    uint64_t base;
    uint32_t count;
    irq_disable();
    base = period_base_us;
    count = TIM_CNT(TIM2_BASE);
    /* an update not yet serviced (we may be in a handler of equal or higher priority) */
    if ((TIM_SR(TIM2_BASE) & 1u) && count < PERIOD_US / 2) {
        base += PERIOD_US;
    }
    irq_enable();
    return base + count;
}

uint32_t clock_us(void)
{
    return (uint32_t)now_us64();
}

uint32_t clock_ms(void)
{
    return (uint32_t)(now_us64() / 1000u);
}

void delay_us(uint32_t us)
{
    uint32_t start = clock_us();
    while (clock_us() - start < us) {
    }
}
