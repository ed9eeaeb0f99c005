/* The firmware's identity (docs/virtual-bus.md, "Identification"): its version and its image self-check. */
#ifndef IMAGE_H
#define IMAGE_H
#include <stdint.h>

#define FIRMWARE_VERSION "MTW-METRO 1.0.0"

/* The image's CRC-32 as computed at boot, and whether it equals the one stored at link time. */
extern uint32_t image_crc_computed;
extern uint8_t image_crc_good;

/* Computes the image's CRC-32 (README.md, "Building") and compares it with the stored one. */
void image_check(void);

#endif
