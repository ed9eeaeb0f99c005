/*
 * Metering firmware main loop (README.md): boot (image check, calibration, energy restore, STPM34 set-up),
 * then sleep in WFI and wake for the metering period (TIM2), a request on the link (USART2), the LED timer
 * (TIM3) and the supply warnings (mains-ok on EXTI line 8, PVD on EXTI line 16).
 */
#include "board.h"
#include "calibration.h"
#include "clock.h"
#include "crc.h"
#include "eeprom.h"
#include "energy.h"
#include "events.h"
#include "led.h"
#include "meter.h"
#include "stpm34.h"
#include "vbus.h"

#define SAVE_EVERY_PERIODS 240u          /* periodic energy save: every minute */
#define INSTANT_EVERY 4u                 /* instantaneous values and events: every second */

/* The image's CRC-32, patched in after linking (build.sh); the image is everything before it. */
__attribute__((section(".image_crc"), used)) const uint32_t image_crc_stored = 0xFFFFFFFFu;
extern const uint8_t _image_start[];

uint32_t image_crc_computed;
uint8_t image_crc_good;

static volatile int power_fail;          /* set by the supply warnings */
static int powered_down;                 /* energy saved for a power cut; no more EEPROM writes */
static uint32_t status_flags;            /* sag .. tamper, as the last period saw them */
static uint32_t periods_done;
static uint64_t led_mwh;                 /* import mWh not yet turned into LED pulses */
static uint64_t import_seen;             /* the import register at the last period */

int meter_calibration_enabled(void)
{
    return pin_read(CAL_EN) == 0;
}

uint32_t meter_status(void)
{
    return status_flags | (cal_is_default ? ST_CAL_DEFAULT : 0) | (meter_calibration_enabled() ? ST_CAL_ENABLE : 0)
           | (image_crc_good ? 0 : ST_IMAGE_CRC);
}

int meter_set_calibration(const struct calibration *c)
{
    if (powered_down || cal_store(c) != 0) {
        return -1;
    }
    cal_apply();
    energy_calibrated();
    event_record(EV_CAL_WRITTEN, KIND_INSTANT);
    return 0;
}

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

/* One status condition with hysteresis: start and end events when it changes. */
static void condition(uint32_t bit, int start, int end, uint8_t code)
{
    if (!(status_flags & bit) && start) {
        status_flags |= bit;
        event_record(code, KIND_START);
    } else if ((status_flags & bit) && end) {
        status_flags &= ~bit;
        event_record(code, KIND_END);
    }
}

/* Voltage quality, reverse power and tamper (README.md, "Events"), once per period. */
static void check_events(void)
{
    uint64_t v = now.voltage_mv, un = cal.nominal_voltage;
    condition(ST_LOSS, v * 100 < un * 60, v * 100 >= un * 65, EV_LOSS);
    condition(ST_SAG, v * 100 < un * 90 && v * 100 >= un * 60, v * 100 >= un * 92 || v * 100 < un * 60, EV_SAG);
    condition(ST_SWELL, v * 100 > un * 110, v * 100 <= un * 108, EV_SWELL);
    int32_t threshold = (int32_t)(cal.start_current * un / 1000u);      /* mW at the starting current, Un */
    condition(ST_REVERSE, now.active_mw < -threshold, now.active_mw >= 0, EV_REVERSE);
    uint32_t i1 = now.phase_ma, i2 = now.neutral_ma, big = i1 > i2 ? i1 : i2;
    uint32_t diff = i1 > i2 ? i1 - i2 : i2 - i1;
    int mismatch = big >= cal.tamper_min_current && (uint64_t)diff * 1000 > (uint64_t)big * cal.tamper_permille;
    condition(ST_TAMPER, mismatch, !mismatch, EV_TAMPER);
}

static void period(void)
{
    if (energy_period() != 0) {
        return;                            /* a bad CRC: this period's energy moves into the next */
    }
    led_update();
    ++periods_done;
    if (powered_down) {
        return;
    }
    if (periods_done % INSTANT_EVERY == 0 && energy_instant() == 0) {
        check_events();
    }
    if (periods_done % SAVE_EVERY_PERIODS == 0) {
        energy_save();
    }
}

/* The supply is going: take the energy up to now and save it while the hold-up lasts. */
static void save_for_power_cut(void)
{
    stpm_latch();
    energy_period();
    energy_save();
    event_record(EV_POWER_DOWN, KIND_INSTANT);
    powered_down = 1;
}

void EXTI9_5_IRQHandler(void)
{
    EXTI_PR = 1u << 8;
    power_fail = 1;
}

void PVD_IRQHandler(void)
{
    EXTI_PR = 1u << 16;
    power_fail = 1;
}

static void supply_watch_init(void)
{
    /* mains-ok (PA8) falling edge on EXTI line 8 (SYSCFG_EXTICR3[3:0] = 0: port A) */
    RCC_APB2ENR |= 1u << 14;               /* SYSCFGEN */
    SYSCFG_EXTICR3 &= ~0xFu;
    EXTI_FTSR |= 1u << 8;
    EXTI_IMR |= 1u << 8;
    nvic_enable(EXTI9_5_IRQn, 0);
    /* PVD at PLS = 7 (2.9 V), falling supply: EXTI line 16 rising edge (PVDO goes 1) */
    RCC_APB1ENR |= 1u << 28;               /* PWREN */
    PWR_CR = (PWR_CR & ~(7u << 5)) | (7u << 5) | (1u << 4);
    EXTI_RTSR |= 1u << 16;
    EXTI_IMR |= 1u << 16;
    nvic_enable(PVD_IRQn, 0);
}

static void check_image(void)
{
    image_crc_computed = crc32(_image_start, (uint32_t)((const uint8_t *)&image_crc_stored - _image_start));
    /* read the word from flash: the compiler would otherwise use its initial value */
    image_crc_good = image_crc_computed == *(const volatile uint32_t *)&image_crc_stored;
}

int main(void)
{
    RCC_AHB1ENR |= 0x7u;                   /* GPIOA, GPIOB, GPIOC */
    /* PB1 calibration-enable input with pull-up */
    GPIO_PUPDR(GPIOB_BASE) = (GPIO_PUPDR(GPIOB_BASE) & ~(3u << 2)) | (1u << 2);
    clock_start();
    stpm_power_up();                       /* first: the chip measures from its power-up on */
    energy_start();                        /* its energy registers start at 0 there */
    check_image();                         /* during the chip's start-up time */
    eeprom_init();
    led_init();
    vbus_init();
    stpm_wait_ready();

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
        if (power_fail && !powered_down) {
            save_for_power_cut();
        }
        if (powered_down && pin_read(MAINS_OK)) {
            powered_down = 0;              /* a dip the hold-up rode through: carry on */
            power_fail = 0;
        }
        if (periods_elapsed != seen) {
            seen++;
            period();
            continue;
        }
        if (vbus_pending()) {
            vbus_serve();
            continue;
        }
        irq_disable();
        if (periods_elapsed == seen && !vbus_pending() && !(power_fail && !powered_down)) {
            wait_for_interrupt();
        }
        irq_enable();
    }
}
