/*
 * The board side of FileSystemTest's wear check: a 100-byte file rewritten REWRITES times on a 32-block
 * region at NOR 0x200000 (unmounted and mounted again every 50), the erases per block counted by the block
 * device; prints "wear REWRITES rewrites, BLOCKS blocks, erases E, min A, max B" and every block's count.
 */
#include "board.h"
#include "nor.h"

#define BLOCKS 32u
#define REWRITES 300u

static struct fs fs;
static struct nor_bd nor;
static uint32_t erases[BLOCKS];

int main(void)
{
    clock_divide(CLOCK_DIVIDE);
    nor_init();
    nor_bd_init(&nor, REGION_BASE, BLOCKS, erases);
    if (fs_format(&fs, &nor.bd) != 0) {
        return 1;
    }
    for (uint32_t i = 1; i <= REWRITES; i++) {
        int rc = write_content(&fs, "cfg/meter", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC, "cfg/meter", i, 100, 100);
        if (rc != 0) {
            out("rewrite ");
            out_u(i);
            out(": ");
            out_i(rc);
            out("\n");
            return 1;
        }
        if (i % 50 == 0) {
            fs_unmount(&fs);
            if (fs_mount(&fs, &nor.bd) != 0) {
                return 1;
            }
        }
    }
    uint32_t total = 0, min = 0xFFFFFFFFu, max = 0;
    for (uint32_t b = 0; b < BLOCKS; b++) {
        total += erases[b];
        min = erases[b] < min ? erases[b] : min;
        max = erases[b] > max ? erases[b] : max;
    }
    out("wear ");
    out_u(REWRITES);
    out(" rewrites, ");
    out_u(BLOCKS);
    out(" blocks, erases ");
    out_u(total);
    out(", min ");
    out_u(min);
    out(", max ");
    out_u(max);
    out("\nper block");
    for (uint32_t b = 0; b < BLOCKS; b++) {
        out(" ");
        out_u(erases[b]);
    }
    out("\n");
    list_files(&fs);
    return print_fsck(&fs) != 0;
}
