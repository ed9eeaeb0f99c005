/* Reading the slots, and copying an image between them in 256-byte pieces (one NOR page). */
#include "slots.h"

#include <string.h>

#include "flash.h"
#include "nor.h"
#include "records.h"

static int read_application(void *context, uint32_t offset, uint8_t *out, uint32_t size)
{
    (void)context;
    memcpy(out, (const uint8_t *)IMAGE_SLOT_ADDRESS + offset, size);
    return 0;
}

static int read_nor(void *context, uint32_t offset, uint8_t *out, uint32_t size)
{
    nor_read((uint32_t)(uintptr_t)context + offset, out, size);
    return 0;
}

const image_source APPLICATION_SLOT = {read_application, 0, IMAGE_SLOT_SIZE};
const image_source DOWNLOAD_SLOT = {read_nor, (void *)NOR_DOWNLOAD_SLOT, IMAGE_SLOT_SIZE};
const image_source BACKUP_SLOT = {read_nor, (void *)NOR_BACKUP_SLOT, IMAGE_SLOT_SIZE};

uint32_t image_total_size(const image_header *header)
{
    return IMAGE_HEADER_SIZE + header->body_size + IMAGE_TRAILER_SIZE;
}

int backup_application(uint32_t size)
{
    static uint8_t page[NOR_PAGE];
    const uint8_t *application = (const uint8_t *)IMAGE_SLOT_ADDRESS;
    for (uint32_t at = 0; at < size; at += NOR_BLOCK) {
        nor_erase_block(NOR_BACKUP_SLOT + at);
    }
    for (uint32_t at = 0; at < size; at += NOR_PAGE) {
        uint32_t n = size - at < NOR_PAGE ? size - at : NOR_PAGE;
        nor_program(NOR_BACKUP_SLOT + at, application + at, n);
        nor_read(NOR_BACKUP_SLOT + at, page, n);
        if (memcmp(page, application + at, n) != 0) {
            return -1;
        }
    }
    return 0;
}

int program_application(uint32_t from, uint32_t size)
{
    static uint8_t page[NOR_PAGE];
    const uint8_t *application = (const uint8_t *)IMAGE_SLOT_ADDRESS;
    for (uint32_t at = 0; at < size; at += APPLICATION_SECTOR_SIZE) {
        if (flash_erase_sector(APPLICATION_SLOT_SECTOR + at / APPLICATION_SECTOR_SIZE) != 0) {
            flash_lock();
            return -1;
        }
    }
    int status = 0;
    for (uint32_t at = 0; at < size && status == 0; at += NOR_PAGE) {
        uint32_t n = size - at < NOR_PAGE ? size - at : NOR_PAGE;
        nor_read(from + at, page, n);
        if (flash_program(IMAGE_SLOT_ADDRESS + at, page, n) != 0 || memcmp(application + at, page, n) != 0) {
            status = -1;
        }
    }
    flash_lock();
    return status;
}
