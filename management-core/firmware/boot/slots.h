/*
 * The three image slots (docs/firmware-update.md, "Where images live"): the application slot in internal
 * flash, the download and backup slots in the NOR flash; each readable as an image_source, and the two
 * copies the bootloader makes between them.
 */
#ifndef SLOTS_H
#define SLOTS_H

#include <stdint.h>

#include "image/image.h"

#define APPLICATION_SLOT_SECTOR 5u /* sectors 5-11, 128 KiB each */
#define APPLICATION_SECTOR_SIZE 0x20000u

extern const image_source APPLICATION_SLOT;
extern const image_source DOWNLOAD_SLOT;
extern const image_source BACKUP_SLOT;

/* the bytes an image with this header occupies: header, body, trailer */
uint32_t image_total_size(const image_header *header);

/* copies `size` bytes of the application slot to the backup slot; 0 when the copy reads back equal */
int backup_application(uint32_t size);

/* erases the application sectors `size` bytes need and programs them from the NOR at `from`; 0 when the
   programmed bytes read back equal to the source */
int program_application(uint32_t from, uint32_t size);

#endif
