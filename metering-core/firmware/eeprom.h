/* M95256 SPI EEPROM on SPI2 (32 KiB, 64-byte pages, tW 5 ms). */
#ifndef EEPROM_H
#define EEPROM_H
#include <stddef.h>
#include <stdint.h>

#define EEPROM_PAGE 64u

void eeprom_init(void);
void eeprom_read(uint16_t address, void *data, size_t length);
/* Writes within one page and waits for the write cycle to end; returns 0 on success, -1 when the chip
   stayed busy (no supply). */
int eeprom_write(uint16_t address, const void *data, size_t length);

#endif
