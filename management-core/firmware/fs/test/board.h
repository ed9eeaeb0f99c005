/*
 * What the board test programs share (board.c): printing, the core clock, the NOR region, and the
 * self-describing test content that the Java side regenerates (FileSystemPowerCutSweepTest.content):
 * "MTFS-TEST <name> gen <gen> len <len>\n", then bytes of the LCG x = x * 1664525 + 1013904223 (the top
 * byte of each step), x starting at the CRC-32 of that header, to `len` bytes in all.
 */
#ifndef FS_BOARD_H
#define FS_BOARD_H

#include <stdint.h>

#include "console.h"
#include "fs.h"
#include "nor_bd.h"

#define REGION_BASE 0x200000u /* the file-system part of the NOR, docs/firmware-update.md */

void out(const char *text);
void out_u(uint32_t value);
void out_i(int32_t value);
void out_x(uint32_t value); /* 8 hex digits */

/* HCLK = 16 MHz HSI / divisor (1, 2, 4 ... 512): the core and SPI1 slow down together */
void clock_divide(uint32_t divisor);

struct content {
    char header[80];
    uint32_t header_len, len, pos, x;
};

void content_start(struct content *c, const char *name, uint32_t gen, uint32_t len);
/* the next bytes (at most what is left): how many */
uint32_t content_next(struct content *c, uint8_t *out, uint32_t size);

/* writes the content as the whole file (open with `flags`, writes of `chunk` bytes, close): 0 or an error */
int write_content(struct fs *fs, const char *name, int flags, const char *content_name, uint32_t gen, uint32_t len,
                  uint32_t chunk);

/* "file NAME SIZE CRC" for every file, then "files N": 0 or the first error */
int list_files(struct fs *fs);
/* "fsck RC files F reachable R free F bad B doubled D lost L" and "usage used U free F pending P": fsck's rc */
int print_fsck(struct fs *fs);

#endif
