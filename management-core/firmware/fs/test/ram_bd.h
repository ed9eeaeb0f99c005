/*
 * A RAM block device for the host tests (fs/test/host_test.c): NOR rules (program only clears bits, erase
 * sets a block to FF), a count of program and erase calls, erases per block, and a power cut at the Nth
 * call, which tears that call (as the w25q-flash model does: each bit a program was clearing cleared with
 * probability f, or the page programmed up to a point; each byte of an erase FF with probability f, or up to
 * a point) and fails every later call, reads included, as a chip without supply does.
 */
#ifndef RAM_BD_H
#define RAM_BD_H

#include <stdint.h>

#include "fs.h"

struct ram_bd {
    struct fs_bd bd;
    uint8_t *mem;
    uint32_t blocks;
    uint64_t calls;       /* program (one per page) and erase calls so far */
    uint64_t cut_at;      /* the call that is torn and loses the supply; UINT64_MAX: none */
    int cut_after;        /* instead: that call completes, the supply is lost right after it */
    int dead;             /* after the cut: every call fails */
    uint64_t rng;         /* decides the tears */
    uint32_t overwrites;  /* programs of bytes that were not erased: a file-system bug */
    uint32_t erases[FS_MAX_BLOCKS];
    const char *torn;     /* what the cut tore: "program", "erase" */
};

void ram_bd_init(struct ram_bd *r, uint8_t *mem, uint32_t blocks, uint64_t seed);
/* power back: the cells stay, the counters and the cut are reset */
void ram_bd_power_on(struct ram_bd *r);
uint64_t ram_bd_next(uint64_t *state);

#endif
