/*
 * The supply warnings. Either warning sets the same flag; the main loop then latches the chip, adds the
 * energy up to that moment, saves it and logs event 0x01, and writes nothing more until mains-ok is high
 * again or the power-on reset restarts the core.
 */
#include "board.h"
#include "energy.h"
#include "events.h"
#include "stpm34.h"
#include "supply.h"

static volatile int power_fail;          /* set by the supply warnings */
static int powered_down;                 /* energy saved for a power cut; no more EEPROM writes */

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

void supply_watch_init(void)
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

int supply_warning_pending(void)
{
    return power_fail && !powered_down;
}

int supply_powered_down(void)
{
    return powered_down;
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

void supply_watch(void)
{
    if (power_fail && !powered_down) {
        save_for_power_cut();
    }
    if (powered_down && pin_read(MAINS_OK)) {
        powered_down = 0;              /* a dip the hold-up rode through: carry on */
        power_fail = 0;
    }
}
