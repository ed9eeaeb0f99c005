/* The calibration LED: one pulse per 1/meter_constant kWh of active import. */
#ifndef LED_H
#define LED_H
#include <stdint.h>

#define PULSE_MS 30u

void led_init(void);
/* Plans pulses: the first first_ms from now, the next ones spacing_ms apart (at least 2 x PULSE_MS). Pulses
   planned while others are still under way follow them at the new spacing. */
void led_plan(uint32_t pulses, uint32_t first_ms, uint32_t spacing_ms);

#endif
