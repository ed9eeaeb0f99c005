/* The host tests' RAM block device (ram_bd.h). */
#include "ram_bd.h"

#include <string.h>

uint64_t ram_bd_next(uint64_t *state) /* splitmix64 */
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int bd_read(void *ctx, uint32_t block, uint32_t offset, void *out, uint32_t size)
{
    struct ram_bd *r = ctx;
    if (r->dead || block >= r->blocks || offset + size > FS_BLOCK_SIZE) {
        return -1;
    }
    memcpy(out, r->mem + (uint64_t)block * FS_BLOCK_SIZE + offset, size);
    return 0;
}

static int bd_prog(void *ctx, uint32_t block, uint32_t offset, const void *data, uint32_t size)
{
    struct ram_bd *r = ctx;
    if (r->dead || block >= r->blocks || offset + size > FS_BLOCK_SIZE
        || offset / FS_PROG_SIZE != (offset + size - 1) / FS_PROG_SIZE) {
        return -1;
    }
    uint8_t *cells = r->mem + (uint64_t)block * FS_BLOCK_SIZE + offset;
    const uint8_t *in = data;
    for (uint32_t i = 0; i < size; i++) {
        if ((cells[i] & in[i]) != in[i]) {
            r->overwrites++;
        }
    }
    if (r->calls == r->cut_at && r->cut_after) {
        r->dead = 1;
        r->torn = "nothing (after a program)";
    }
    if (r->calls++ == r->cut_at && !r->cut_after) {
        r->dead = 1;
        r->torn = "program";
        uint64_t draw = ram_bd_next(&r->rng);
        uint32_t f = (uint32_t)(draw % 1001); /* per mille */
        if (draw >> 32 & 1) {                 /* each bit with probability f */
            for (uint32_t i = 0; i < size; i++) {
                uint8_t clear = (uint8_t)(cells[i] & ~in[i]), mask = 0;
                for (int b = 0; b < 8; b++) {
                    if (ram_bd_next(&r->rng) % 1000 < f) {
                        mask |= (uint8_t)(1u << b);
                    }
                }
                cells[i] &= (uint8_t)~(clear & mask);
            }
        } else { /* in order: the bytes before a point, that one partly */
            uint32_t upto = size * f / 1000;
            for (uint32_t i = 0; i < upto; i++) {
                cells[i] &= in[i];
            }
            if (upto < size) {
                cells[upto] &= (uint8_t)(in[upto] | (uint8_t)ram_bd_next(&r->rng));
            }
        }
        return -1;
    }
    for (uint32_t i = 0; i < size; i++) {
        cells[i] &= in[i];
    }
    return 0;
}

static int bd_erase(void *ctx, uint32_t block)
{
    struct ram_bd *r = ctx;
    if (r->dead || block >= r->blocks) {
        return -1;
    }
    uint8_t *cells = r->mem + (uint64_t)block * FS_BLOCK_SIZE;
    if (r->calls == r->cut_at && r->cut_after) {
        r->dead = 1;
        r->torn = "nothing (after an erase)";
    }
    if (r->calls++ == r->cut_at && !r->cut_after) {
        r->dead = 1;
        r->torn = "erase";
        uint64_t draw = ram_bd_next(&r->rng);
        uint32_t f = (uint32_t)(draw % 1001);
        if (draw >> 32 & 1) {
            for (uint32_t i = 0; i < FS_BLOCK_SIZE; i++) {
                if (ram_bd_next(&r->rng) % 1000 < f) {
                    cells[i] = 0xFF;
                }
            }
        } else {
            memset(cells, 0xFF, FS_BLOCK_SIZE * f / 1000);
        }
        return -1;
    }
    memset(cells, 0xFF, FS_BLOCK_SIZE);
    r->erases[block]++;
    return 0;
}

void ram_bd_init(struct ram_bd *r, uint8_t *mem, uint32_t blocks, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->mem = mem;
    r->blocks = blocks;
    r->rng = seed;
    r->cut_at = UINT64_MAX;
    r->bd = (struct fs_bd){blocks, r, bd_read, bd_prog, bd_erase};
}

void ram_bd_power_on(struct ram_bd *r)
{
    r->dead = 0;
    r->calls = 0;
    r->cut_at = UINT64_MAX;
    r->cut_after = 0;
    r->torn = 0;
}
