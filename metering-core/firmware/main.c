/*
 * Metering firmware main loop (README.md): boot (image check, calibration, energy restore, STPM34 set-up),
 * then sleep in WFI and wake for the metering period (TIM2), a request on the link (USART2), the LED timer
 * (TIM3) and the supply warnings (supply.c).
 */
#include "board.h"
#include "calibration.h"
#include "clock.h"
#include "eeprom.h"
#include "energy.h"
#include "events.h"
#include "image.h"
#include "led.h"
#include "meter.h"
#include "stpm34.h"
#include "supply.h"
#include "vbus_dispatch.h"
#include "vbus_usart.h"

#define SAVE_EVERY_PERIODS 240u          /* periodic energy save: every minute */
#define INSTANT_EVERY 4u                 /* instantaneous values and events: every second */

static uint32_t periods_done;
static uint64_t led_mwh;                 /* import mWh not yet turned into LED pulses */
static uint64_t import_seen;             /* the import register at the last period */

static uint32_t mwh_per_pulse(void)
{
    return 1000000u / cal.meter_constant;
}

/*
 * Plans a pulse for every whole 1/meter_constant kWh of import in the last period, spread over the next
 * period as the energy crossed each boundary during the last one (power taken as constant within it): the
 * pulses run one period behind the energy and are evenly spaced at a steady load.
 */
static void led_update(void)
{
    uint32_t step = mwh_per_pulse();
    uint64_t d = energy[E_IMPORT] - import_seen;
    uint64_t before = led_mwh;
    import_seen = energy[E_IMPORT];
    led_mwh += d;
    uint32_t pulses = 0;
    for (; led_mwh >= step; led_mwh -= step) {
        pulses++;
    }
    if (pulses > 0) {
        uint32_t period_ms = PERIOD_US / 1000u;
        uint32_t first = (uint32_t)((step - before) * period_ms / d);
        uint32_t spacing = (uint32_t)((uint64_t)step * period_ms / d);
        led_plan(pulses, first, spacing);
    }
}

static void period(void)
{
    if (energy_period() != 0) {
        return;                            /* a bad CRC: this period's energy moves into the next */
    }
    led_update();
    ++periods_done;
    if (supply_powered_down()) {
        return;
    }
    if (periods_done % INSTANT_EVERY == 0 && energy_instant() == 0) {
        meter_check_conditions();
    }
    if (periods_done % SAVE_EVERY_PERIODS == 0) {
        energy_save();
    }
}

int main(void)
{
    RCC_AHB1ENR |= 0x7u;                   /* GPIOA, GPIOB, GPIOC */
    /* PB1 calibration-enable input with pull-up */
    GPIO_PUPDR(GPIOB_BASE) = (GPIO_PUPDR(GPIOB_BASE) & ~(3u << 2)) | (1u << 2);
    clock_start(stpm_latch);               /* the STPM34 is latched at every period end */
    stpm_power_up();                       /* first: the chip measures from its power-up on */
    energy_start();                        /* its energy registers start at 0 there */
    image_check();                         /* during the chip's start-up time */
    eeprom_init();
    led_init();
    vbus_usart_init();
    stpm_wait_ready();

    events_report_to(vbus_dispatch_report);  /* each new record also goes to the management core */
    events_restore();
    energy_restore();
    if (!cal_load()) {
        event_record(EV_CAL_DEFAULT, KIND_INSTANT);
    }
    import_seen = energy[E_IMPORT];
    cal_apply();
    energy_calibrated();
    energy_save();                         /* keeps the new boot number */
    event_record(EV_POWER_UP, KIND_INSTANT);
    if (!image_crc_good) {
        event_record(EV_IMAGE_CRC, KIND_INSTANT);
    }
    supply_watch_init();

    uint32_t seen = periods_elapsed;
    for (;;) {
        supply_watch();
        if (periods_elapsed != seen) {
            seen++;
            period();
            continue;
        }
        if (vbus_usart_pending()) {
            vbus_dispatch_serve();
            continue;
        }
        irq_disable();
        if (periods_elapsed == seen && !vbus_usart_pending() && !supply_warning_pending()) {
            wait_for_interrupt();
        }
        irq_enable();
    }
}
