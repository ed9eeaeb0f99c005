/*
 * The board side of FileSystemPowerCutSweepTest: a fixed workload of writes, appends, renames and removes
 * on a 64-block region of the NOR (0x200000), each operation announced on the console before it starts
 * ("op N write NAME GEN LEN", "op N append NAME K", "op N rename FROM TO", "op N remove NAME"), so that the
 * test knows from the uncut run's line times which operation a cut fell in. A write is open (truncate),
 * writes of 1000 bytes, close; an append is one record (log record K: the content "log/events" gen K, of
 * 60 + 37 K % 150 bytes) added at the end. The commit of each is its close.
 *
 * The RTC's backup register 0 (kept on VBAT through an outage) tells the boots apart: the first formats
 * (the NOR arrives erased) and runs the workload; the boot after a cut mounts, runs fsck, lists every file
 * with its size and CRC-32, then writes one more file and runs fsck again ("recovered ..."), and exits 0.
 * An error in the workload (the NOR lost its supply under it) waits for the reset, and so does the end of the
 * workload when the mains is off (mains-ok, PA8, low): the first boot exits only with the mains on.
 */
#include <stdint.h>

#include "board.h"
#include "nor.h"

#define BLOCKS 64u
#define MAGIC 0x5346544Du
#define REG(a) (*(volatile uint32_t *)(a))

struct op {
    char kind; /* w a r d */
    const char *a, *b;
    uint32_t gen, len;
};

static const struct op OPS[] = {
    {'w', "cfg/meter", 0, 1, 300},       {'w', "freeze/day", 0, 1, 6000},      {'a', "log/events", 0, 1, 0},
    {'w', "img/new", 0, 1, 10000},       {'r', "img/new", "img/cur", 0, 0},   {'a', "log/events", 0, 2, 0},
    {'w', "freeze/day", 0, 2, 7000},     {'w', "cfg/meter", 0, 2, 310},        {'w', "img/new", 0, 2, 14000},
    {'r', "img/new", "img/cur", 0, 0},   {'w', "tmp/scratch", 0, 1, 5000},    {'a', "log/events", 0, 3, 0},
    {'d', "tmp/scratch", 0, 0, 0},       {'w', "freeze/month", 0, 1, 3000},    {'w', "freeze/day", 0, 3, 4100},
    {'r', "freeze/day", "freeze/prev", 0, 0}, {'w', "freeze/day", 0, 4, 5000}, {'d', "freeze/prev", 0, 0, 0},
    {'a', "log/events", 0, 4, 0},        {'w', "cfg/meter", 0, 3, 4088},       {'d', "img/cur", 0, 0, 0},
    {'w', "img/new", 0, 3, 9000},       {'r', "img/new", "img/cur", 0, 0},   {'a', "log/events", 0, 5, 0},
    {'w', "freeze/month", 0, 2, 8200},   {'d', "cfg/meter", 0, 0, 0},          {'w', "cfg/meter", 0, 4, 120},
    {'r', "freeze/month", "freeze/day", 0, 0}, {'a', "log/events", 0, 6, 0},  {'w', "img/cur", 0, 4, 8200},
};

static struct fs fs;
static struct nor_bd nor;

static void announce(uint32_t n, const struct op *o)
{
    out("op ");
    out_u(n);
    if (o->kind == 'w') {
        out(" write ");
        out(o->a);
        out(" ");
        out_u(o->gen);
        out(" ");
        out_u(o->len);
    } else if (o->kind == 'a') {
        out(" append ");
        out(o->a);
        out(" ");
        out_u(o->gen);
    } else if (o->kind == 'r') {
        out(" rename ");
        out(o->a);
        out(" ");
        out(o->b);
    } else {
        out(" remove ");
        out(o->a);
    }
    out("\n");
}

static int perform(const struct op *o)
{
    switch (o->kind) {
    case 'w':
        return write_content(&fs, o->a, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC, o->a, o->gen, o->len, 1000);
    case 'a':
        return write_content(&fs, o->a, FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND, o->a, o->gen,
                             60 + 37 * o->gen % 150, 1000);
    case 'r':
        return fs_rename(&fs, o->a, o->b);
    default:
        return fs_remove(&fs, o->a);
    }
}

static void wait_for_reset(void)
{
    for (;;) {
    }
}

int main(void)
{
    clock_divide(CLOCK_DIVIDE);
    nor_init();
    REG(0x40023840u) |= 1u << 28; /* RCC_APB1ENR.PWREN */
    REG(0x40007000u) |= 1u << 8;  /* PWR_CR.DBP: the backup domain writable */
    volatile uint32_t *boot_mark = (volatile uint32_t *)0x40002850u; /* RTC_BKP0R */
    nor_bd_init(&nor, REGION_BASE, BLOCKS, 0);
    int rc = fs_mount(&fs, &nor.bd);
    if (*boot_mark == MAGIC) {
        out("after the cut: mount ");
        out_i(rc);
        out("\n");
        if (rc != 0) {
            return 1;
        }
        int check = print_fsck(&fs);
        rc = list_files(&fs);
        if (rc != 0) {
            out("list ");
            out_i(rc);
            out("\n");
            return 1;
        }
        rc = write_content(&fs, "after/cut", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC, "after/cut", 1, 300, 1000);
        out("recovered write ");
        out_i(rc);
        out("\n");
        int again = print_fsck(&fs);
        return check != 0 || rc != 0 || again != 0;
    }
    *boot_mark = MAGIC;
    out("first boot: mount ");
    out_i(rc);
    out("\n");
    if (rc == FS_ENOFS) {
        rc = fs_format(&fs, &nor.bd);
        out("format ");
        out_i(rc);
        out("\n");
    }
    if (rc != 0) {
        wait_for_reset();
    }
    for (uint32_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        announce(i + 1, &OPS[i]);
        rc = perform(&OPS[i]);
        if (rc != 0) {
            out("error ");
            out_i(rc);
            out("\n");
            wait_for_reset();
        }
    }
    out("workload done\n");
    while (!(REG(0x40020010u) & 1u << 8)) { /* GPIOA_IDR.8, the supply's mains-ok: a cut came, wait for the reset */
    }
    print_fsck(&fs);
    list_files(&fs);
    out("erases ");
    out_u(fs.erases);
    out("\n");
    return 0;
}
