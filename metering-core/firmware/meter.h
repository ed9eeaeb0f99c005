/* The metering application: state shared between the link and the main loop. */
#ifndef METER_H
#define METER_H
#include <stdint.h>
#include "calibration.h"

#define FIRMWARE_VERSION "MTW-METRO 1.0.0"

/* Status word bits (docs/virtual-bus.md) */
enum {
    ST_SAG = 1u << 0, ST_SWELL = 1u << 1, ST_LOSS = 1u << 2, ST_REVERSE = 1u << 3, ST_TAMPER = 1u << 4,
    ST_CAL_DEFAULT = 1u << 5, ST_CAL_ENABLE = 1u << 6, ST_IMAGE_CRC = 1u << 7,
};

extern uint32_t image_crc_computed;
extern uint8_t image_crc_good;

uint32_t meter_status(void);
int meter_calibration_enabled(void);
/* Stores a checked record, applies it to the chip and logs event 0x21. */
int meter_set_calibration(const struct calibration *c);

#endif
