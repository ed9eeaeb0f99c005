/* The calibration LED: one pulse per 1/meter_constant kWh of active import. */
#ifndef LED_H
#define LED_H
#include <stdint.h>

void led_init(void);
/* Queues pulses; they go out one after another, PULSE_MS on and at least PULSE_MS off. */
void led_queue(uint32_t pulses);

#endif
