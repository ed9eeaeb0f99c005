/*
 * LED pulses from TIM3 (1 kHz, one-pulse mode). The main loop plans each period's pulses where the energy
 * crossed each pulse boundary, spread over the next period (see main.c); TIM3 times the wait before a pulse,
 * the pulse (PULSE_MS high) and the gap to the next one. At 60 A and 230 V the meter makes 3.8 pulses per
 * second at 1000 imp/kWh; the spacing never goes below 2 x PULSE_MS (16 pulses a second).
 */
#include "board.h"
#include "led.h"

enum { IDLE, WAITING, ON };

static volatile uint32_t queued;
static volatile uint32_t spacing = 2 * PULSE_MS;
static volatile int state = IDLE;

static void after_ms(uint32_t ms)
{
    TIM_ARR(TIM3_BASE) = ms < 2 ? 1 : ms - 1;   /* the update comes ARR + 1 ticks after the start */
    TIM_CNT(TIM3_BASE) = 0;
    TIM_CR1(TIM3_BASE) = 1u | (1u << 3);   /* CEN, OPM */
}

void led_init(void)
{
    pin_low(LED);
    GPIO_MODER(GPIOB_BASE) = (GPIO_MODER(GPIOB_BASE) & ~3u) | 1u;
    RCC_APB1ENR |= 1u << 1;                 /* TIM3EN */
    TIM_PSC(TIM3_BASE) = 16000u - 1u;       /* 1 kHz */
    TIM_ARR(TIM3_BASE) = PULSE_MS;
    TIM_EGR(TIM3_BASE) = 1u;
    TIM_SR(TIM3_BASE) = 0;
    TIM_DIER(TIM3_BASE) = 1u;
    nvic_enable(TIM3_IRQn, 3);
}

static void pulse(void)
{
    queued--;
    state = ON;
    pin_high(LED);
    after_ms(PULSE_MS);
}

void TIM3_IRQHandler(void)
{
    TIM_SR(TIM3_BASE) = 0;
    if (state == ON) {
        pin_low(LED);
        if (queued > 0) {
            state = WAITING;
            after_ms(spacing - PULSE_MS);
        } else {
            state = IDLE;
        }
    } else if (state == WAITING && queued > 0) {
        pulse();
    } else {
        state = IDLE;
    }
}

void led_plan(uint32_t pulses, uint32_t first_ms, uint32_t spacing_ms)
{
    if (pulses == 0) {
        return;
    }
    irq_disable();
    spacing = spacing_ms < 2 * PULSE_MS ? 2 * PULSE_MS : spacing_ms;
    queued += pulses;
    if (state == IDLE) {
        if (first_ms == 0) {
            pulse();
        } else {
            state = WAITING;
            after_ms(first_ms);
        }
    }
    irq_enable();
}
