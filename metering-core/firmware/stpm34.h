/* The STPM34 metering IC on SPI1 (mode 3, frames with CRC-8), latched by a SYN pulse. */
#ifndef STPM34_H
#define STPM34_H
#include <stdint.h>

/* Register numbers (DS10272 register map; register n is SPI rows 2n and 2n+1) */
enum {
    STPM_DSP_CR4 = 3, STPM_DSP_CR5 = 4, STPM_DSP_CR6 = 5, STPM_DSP_CR7 = 6, STPM_DSP_CR8 = 7,
    STPM_DSP_REG1 = 23, STPM_DSP_REG14 = 36, STPM_DSP_REG15 = 37,
    STPM_PH1_ACTIVE_ENERGY = 42, STPM_PH1_REACTIVE_ENERGY = 44, STPM_PH1_APPARENT_ENERGY = 45,
    STPM_PH1_ACTIVE_POWER = 46, STPM_PH1_REACTIVE_POWER = 48, STPM_PH1_APPARENT_POWER = 49,
};

/* Powers the chip up on SPI (EN low, SCS low, EN high); it measures from then on. */
void stpm_power_up(void);
/* Waits until the chip answers frames (35 ms after power-up, 40 ms here). */
void stpm_wait_ready(void);
/* Writes a 32-bit register as its two 16-bit rows. */
void stpm_write(int reg, uint32_t value);
/* Reads registers regs[0..n-1] into out; returns 0 when every reply's CRC was good. */
int stpm_read(const uint8_t *regs, int n, uint32_t *out);
/* A SYN low pulse: both channels' data registers take the present readings. */
void stpm_latch(void);

#endif
