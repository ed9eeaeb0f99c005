/*
 * The calibration record (README.md, "Calibration record"): 64 bytes, little-endian, CRC-32 in the last
 * four bytes over the first 60. Kept in EEPROM page 0.
 */
#ifndef CALIBRATION_H
#define CALIBRATION_H
#include <stdint.h>

#define CAL_MAGIC   0x4C43544Du   /* "MTCL" */
#define CAL_VERSION 1u
#define CAL_SIZE    64u
#define CAL_ADDRESS 0x0000u

struct calibration {
    uint32_t magic;
    uint16_t version, size;
    uint16_t chv1, chc1, chv2, chc2;      /* STPM34 DSP_CR5..8 [11:0]: gain trims of V1, C1, V2, C2 */
    uint16_t phc1, phc2;                  /* DSP_CR4 PHC1 [21:12], PHC2 [9:0]: current delay, 1 us steps */
    uint32_t v_lsb;                       /* mV per V_RMS count, x 2^16 */
    uint32_t i1_lsb;                      /* mA per C1_RMS count (phase), x 2^16 */
    uint32_t i2_lsb;                      /* mA per C2_RMS count (neutral), x 2^16 */
    uint32_t p_lsb;                       /* mW per channel-1 power count, x 2^16 */
    uint32_t e_counts;                    /* channel-1 energy counts per mWh, x 2^16 */
    uint32_t meter_constant;              /* LED pulses per kWh */
    uint32_t start_current;               /* mA: below it nothing accumulates (no creep) */
    uint32_t nominal_voltage;             /* Un, mV */
    uint16_t tamper_permille;             /* |I1 - I2| above this share of the larger current: tamper */
    uint16_t tamper_min_current;          /* mA: no tamper decision below this current */
    uint32_t reserved;
    uint32_t crc;
};

_Static_assert(sizeof(struct calibration) == CAL_SIZE, "calibration record is 64 bytes");

extern struct calibration cal;
/* Whether the record in use is the factory default (EEPROM blank or corrupt). */
extern int cal_is_default;

/* Loads the record from EEPROM, or the factory defaults (then returns 0; 1 when a valid record was read). */
int cal_load(void);
/* Checks a record from the link: magic, version, size and CRC. */
int cal_valid(const struct calibration *c);
/* Stores a valid record and makes it the one in use. Returns 0 on success. */
int cal_store(const struct calibration *c);
/* Writes the record's STPM34 settings to the chip. */
void cal_apply(void);

#endif
