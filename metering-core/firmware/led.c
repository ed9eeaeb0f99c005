/*
 * LED pulses from TIM3 (1 kHz tick, one-pulse timing): a queued pulse sets the pin, TIM3 ends it after
 * PULSE_MS and keeps the pin low for PULSE_MS more before the next queued pulse. At 60 A and 230 V the meter
 * makes 3.8 pulses per second at 1000 imp/kWh, well below the 16 per second this allows.
 */
#include "board.h"
#include "led.h"

#define PULSE_MS 30u

static volatile uint32_t queued;
static volatile int busy;       /* 1: pulse on, 2: gap after a pulse */

static void start_timer(void)
{
    TIM_CNT(TIM3_BASE) = 0;
    TIM_CR1(TIM3_BASE) = 1u | (1u << 3);   /* CEN, OPM */
}

static void begin_pulse(void)
{
    queued--;
    busy = 1;
    pin_high(LED);
    start_timer();
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

void TIM3_IRQHandler(void)
{
    TIM_SR(TIM3_BASE) = 0;
    if (busy == 1) {
        pin_low(LED);
        busy = 2;
        start_timer();
    } else if (queued > 0) {
        begin_pulse();
    } else {
        busy = 0;
    }
}

void led_queue(uint32_t pulses)
{
    if (pulses == 0) {
        return;
    }
    irq_disable();
    queued += pulses;
    if (!busy) {
        begin_pulse();
    }
    irq_enable();
}
