/* The status word and calibration changes (meter.h). */
#include "board.h"
#include "calibration.h"
#include "energy.h"
#include "events.h"
#include "image.h"
#include "meter.h"
#include "supply.h"

static uint32_t status_flags;            /* sag .. tamper, as the last check saw them */

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

void meter_check_conditions(void)
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
    if (supply_powered_down() || cal_store(c) != 0) {
        return -1;
    }
    cal_apply();
    energy_calibrated();
    event_record(EV_CAL_WRITTEN, KIND_INSTANT);
    return 0;
}
