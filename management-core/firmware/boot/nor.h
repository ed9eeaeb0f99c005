/*
 * The W25Q64JV serial NOR flash on SPI1, chip select PA4 (machines/management.yaml), in standard SPI mode 0
 * (Winbond W25Q64JV datasheet: Read Data 03h, Page Program 02h, 64KB Block Erase D8h, Sector Erase 20h, Read Status
 * Register-1 05h, Write Enable 06h, Release Power-down ABh).
 */
#ifndef NOR_H
#define NOR_H

#include <stdint.h>

#define NOR_PAGE 256u
#define NOR_SECTOR 0x1000u
#define NOR_BLOCK 0x10000u

/* clocks and pins, SPI1 as master at fPCLK/2, the chip out of power-down and not busy */
void nor_init(void);

void nor_read(uint32_t address, uint8_t *out, uint32_t size);

/* erases the 64 KiB block holding `address` and waits for it */
void nor_erase_block(uint32_t address);

/* erases the 4 KiB sector holding `address` (20h: 45 ms typical where a block takes 150 ms) */
void nor_erase_sector(uint32_t address);

/* programs `size` bytes from `address` (split at page boundaries), each page waited for */
void nor_program(uint32_t address, const uint8_t *data, uint32_t size);

#endif
