/* Virtual-time keeping: TIM2 counts microseconds and ends a metering period every PERIOD_US. */
#ifndef CLOCK_H
#define CLOCK_H
#include <stdint.h>

#define PERIOD_US 250000u          /* the metering period */

/* Starts TIM2; at_period_end runs in its interrupt at the end of every metering period. */
void clock_start(void (*at_period_end)(void));
/* Microseconds since boot (wraps after 71 minutes; use differences). */
uint32_t clock_us(void);
/* Milliseconds since boot. */
uint32_t clock_ms(void);
void delay_us(uint32_t us);
/* Set by the TIM2 interrupt at the end of each metering period, right after the period-end callback. */
extern volatile uint32_t periods_elapsed;

#endif
