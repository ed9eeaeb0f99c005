/*
 * Calibration: the factory defaults come from the board's sensor network and the DS10272 LSB formulas (as
 * docs/meter-devices.md writes them), evaluated by the compiler from the constants below.
 */
#include <string.h>
#include "calibration.h"
#include "crc.h"
#include "eeprom.h"
#include "stpm34.h"

/* Board (machines/metrology.yaml): divider 810 kOhm / 470 Ohm, 200 uOhm shunt (phase, gain x16),
   2500:1 CT with 5 Ohm burden (neutral, ks = 2 mOhm, gain x2); VREF 1.18 V (TC reset value), Av = 2 */
#define VREF 1.18
#define R1 810000.0
#define R2 470.0
#define KS1 0.0002
#define KS2 (5.0 / 2500.0)
#define AV 2.0
#define AI1 16.0
#define AI2 2.0
#define CH_DEFAULT 0x800
#define CAL_GAIN (0.75 + 0.25 * CH_DEFAULT / 4096.0)   /* 0.875 */

#define V_RMS_LSB_V  (VREF * (1 + R1 / R2) / (CAL_GAIN * AV * 32768.0))
#define I1_RMS_LSB_A (VREF / (CAL_GAIN * AI1 * 131072.0 * KS1))
#define I2_RMS_LSB_A (VREF / (CAL_GAIN * AI2 * 131072.0 * KS2))
#define P_LSB_W      (VREF * VREF * (1 + R1 / R2) / (AV * AI1 * KS1 * CAL_GAIN * CAL_GAIN * 268435456.0))
#define E_LSB_WH     (P_LSB_W * 268435456.0 / (3600.0 * 131072.0 * 7812.5))
#define Q16(x) ((uint32_t)((x) * 65536.0 + 0.5))

static const struct calibration FACTORY = {
    .magic = CAL_MAGIC, .version = CAL_VERSION, .size = CAL_SIZE,
    .chv1 = CH_DEFAULT, .chc1 = CH_DEFAULT, .chv2 = CH_DEFAULT, .chc2 = CH_DEFAULT,
    .phc1 = 0, .phc2 = 0,
    .v_lsb = Q16(V_RMS_LSB_V * 1e3), .i1_lsb = Q16(I1_RMS_LSB_A * 1e3), .i2_lsb = Q16(I2_RMS_LSB_A * 1e3),
    .p_lsb = Q16(P_LSB_W * 1e3), .e_counts = Q16(1.0 / (E_LSB_WH * 1e3)),
    .meter_constant = 1000, .start_current = 20, .nominal_voltage = 230000,
    .tamper_permille = 100, .tamper_min_current = 500,
};

struct calibration cal;
int cal_is_default;

static void seal(struct calibration *c)
{
    c->crc = crc32(c, CAL_SIZE - 4);
}

int cal_valid(const struct calibration *c)
{
    return c->magic == CAL_MAGIC && c->version == CAL_VERSION && c->size == CAL_SIZE
           && c->crc == crc32(c, CAL_SIZE - 4) && c->e_counts != 0 && c->meter_constant != 0
           && c->meter_constant <= 1000000u && c->chv1 < 4096 && c->chc1 < 4096 && c->chv2 < 4096
           && c->chc2 < 4096 && c->phc1 < 1024 && c->phc2 < 1024;
}

int cal_load(void)
{
    struct calibration c;
    eeprom_read(CAL_ADDRESS, &c, sizeof c);
    if (cal_valid(&c)) {
        cal = c;
        cal_is_default = 0;
        return 1;
    }
    cal = FACTORY;
    seal(&cal);
    cal_is_default = 1;
    return 0;
}

int cal_store(const struct calibration *c)
{
    if (eeprom_write(CAL_ADDRESS, c, CAL_SIZE) != 0) {
        return -1;
    }
    struct calibration check;
    eeprom_read(CAL_ADDRESS, &check, sizeof check);
    if (memcmp(&check, c, CAL_SIZE) != 0) {
        return -1;
    }
    cal = *c;
    cal_is_default = 0;
    return 0;
}

void cal_apply(void)
{
    /* DSP_CR5..8: reset value 0x003FF800 with CHx in [11:0] */
    stpm_write(STPM_DSP_CR5, 0x003FF000u | cal.chv1);
    stpm_write(STPM_DSP_CR6, 0x003FF000u | cal.chc1);
    stpm_write(STPM_DSP_CR7, 0x003FF000u | cal.chv2);
    stpm_write(STPM_DSP_CR8, 0x003FF000u | cal.chc2);
    stpm_write(STPM_DSP_CR4, (uint32_t)cal.phc1 << 12 | cal.phc2);
}
