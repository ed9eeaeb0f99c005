/*
 * The internal flash interface (RM0430 3.7, the same as RM0090 3.6): unlock, sector erase and word
 * programming, each waiting on BSY. Only the bootloader writes the internal flash.
 */
#ifndef FLASH_H
#define FLASH_H

#include <stdint.h>

/* sector n's first address (RM0430 3.3: 0-3 16 KiB, 4 64 KiB, 5-11 128 KiB) */
uint32_t flash_sector_address(unsigned sector);

/* erases sector n; returns 0, or the SR error flags that ended the operation */
uint32_t flash_erase_sector(unsigned sector);

/* programs `size` bytes at a word-aligned address, 32 bits at a time (a partial last word is padded with
   0xFF, which leaves erased cells erased); returns 0 or the SR error flags */
uint32_t flash_program(uint32_t address, const uint8_t *data, uint32_t size);

void flash_lock(void);

#endif
