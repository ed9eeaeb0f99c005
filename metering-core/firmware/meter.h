/*
 * The meter's status word (docs/virtual-bus.md, "Status and events") with the conditions behind it, and
 * calibration changes: what the link asks of the meter beyond the data modules' values.
 */
#ifndef METER_H
#define METER_H
#include <stdint.h>
#include "calibration.h"

/* Status word bits (docs/virtual-bus.md) */
enum {
    ST_SAG = 1u << 0, ST_SWELL = 1u << 1, ST_LOSS = 1u << 2, ST_REVERSE = 1u << 3, ST_TAMPER = 1u << 4,
    ST_CAL_DEFAULT = 1u << 5, ST_CAL_ENABLE = 1u << 6, ST_IMAGE_CRC = 1u << 7,
};

/* Checks voltage quality, reverse power and tamper on the last instantaneous values (README.md, "Events"). */
void meter_check_conditions(void);
uint32_t meter_status(void);
/* Whether the calibration-enable input is asserted. */
int meter_calibration_enabled(void);
/* Stores a checked record, applies it to the chip and logs event 0x21. */
int meter_set_calibration(const struct calibration *c);

#endif
