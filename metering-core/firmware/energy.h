/* Energy registers, their accumulation from the STPM34 and their storage in EEPROM. */
#ifndef ENERGY_H
#define ENERGY_H
#include <stdint.h>

/* Register order of docs/virtual-bus.md DI 00.80.00.00 */
enum { E_IMPORT, E_EXPORT, E_Q1, E_Q2, E_Q3, E_Q4, E_APPARENT, E_COUNT };

/* mWh / mvarh / mVAh since the factory reset of the registers */
extern uint64_t energy[E_COUNT];
extern uint16_t boot_number;

/* What one metering period saw: instantaneous values of docs/virtual-bus.md and the status of the channel. */
struct readings {
    uint32_t voltage_mv, phase_ma, neutral_ma;
    int32_t active_mw, reactive_mvar;
    uint32_t apparent_mva;
    int16_t power_factor;
    uint16_t frequency_chz;
};
extern struct readings now;

/* Restores the newest valid slot of the ring (0 when none) and takes the next boot number. */
int energy_restore(void);
/* Writes the registers into the next slot of the ring. Returns 0 on success. */
int energy_save(void);
/* Starts from the chip's reset state: its energy registers are 0 right after power-up. */
void energy_start(void);
/* Reads the latched energy registers and adds one period's energy; returns 0 when the read was good. */
int energy_period(void);
/* Reads the latched powers and RMS values into now; returns 0 when the read was good. */
int energy_instant(void);
/* Derives the no-creep threshold from the calibration in use. */
void energy_calibrated(void);

#endif
