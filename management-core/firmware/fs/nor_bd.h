/*
 * The file system's block device on the W25Q64JV (../boot/nor.c): a region of whole 4 KiB sectors from
 * `base`, block n at base + n * 4096. For the kernel's /dev/nor: NOR 0x200000 - 0x7FFFFF, 1536 blocks
 * (docs/firmware-update.md); tests format smaller regions.
 */
#ifndef NOR_BD_H
#define NOR_BD_H

#include <stdint.h>

#include "fs.h"

struct nor_bd {
    struct fs_bd bd;
    uint32_t base;
    uint32_t *erases; /* erases per block since init, when not NULL (tests) */
};

void nor_bd_init(struct nor_bd *n, uint32_t base, uint32_t blocks, uint32_t *erases);

#endif
