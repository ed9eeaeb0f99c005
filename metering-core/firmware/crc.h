/* The two checksums of the metering firmware. */
#ifndef CRC_H
#define CRC_H
#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32): calibration record, energy and event slots, image. */
uint32_t crc32(const void *data, size_t length);
/* CRC-8 of an STPM34 frame: polynomial 0x07, init 0, MSB first (the chip's reset US_REG1). */
uint8_t crc8_stpm(const uint8_t *data, size_t length);

#endif
