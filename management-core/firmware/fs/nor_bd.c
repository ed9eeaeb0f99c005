/* The file system on the NOR through boot/nor.c (nor_bd.h). nor.c waits for every page and erase. */
#include "nor_bd.h"

#include "nor.h"

static int bd_read(void *ctx, uint32_t block, uint32_t offset, void *out, uint32_t size)
{
    const struct nor_bd *n = ctx;
    nor_read(n->base + block * FS_BLOCK_SIZE + offset, out, size);
    return 0;
}

static int bd_prog(void *ctx, uint32_t block, uint32_t offset, const void *data, uint32_t size)
{
    const struct nor_bd *n = ctx;
    nor_program(n->base + block * FS_BLOCK_SIZE + offset, data, size);
    return 0;
}

static int bd_erase(void *ctx, uint32_t block)
{
    struct nor_bd *n = ctx;
    nor_erase_sector(n->base + block * FS_BLOCK_SIZE);
    if (n->erases) {
        n->erases[block]++;
    }
    return 0;
}

void nor_bd_init(struct nor_bd *n, uint32_t base, uint32_t blocks, uint32_t *erases)
{
    n->base = base;
    n->erases = erases;
    n->bd = (struct fs_bd){blocks, n, bd_read, bd_prog, bd_erase};
}
