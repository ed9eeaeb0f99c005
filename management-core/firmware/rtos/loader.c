/*
 * The loader (docs/rtos.md, "The loader"): SYS_PROCESS_LOAD starts an application from an image file in
 * /data. The application is linked separately, position-independent (arm-none-eabi-gcc -fPIC
 * -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative: its code reaches its data only
 * through its global offset table, whose address is in r9), its code linked at 0 and its data at
 * 0x10000000 (apps/app.ld), and packed by apps/pack.c into:
 *
 *   offset  size  field
 *   0       4     magic "RTAP"
 *   4       4     format version, 1
 *   8       4     text size (code and constants, loaded at the text block)
 *   12      4     data size (initialised data, the GOT first)
 *   16      4     bss size: the bytes after data to the end of bss, zeroed (alignment padding included)
 *   20      4     GOT size in bytes (at the start of data)
 *   24      4     entry, an offset in text with the Thumb bit
 *   28      4     stack size
 *   32      4     priority
 *   36      4     manifest: an offset in text of its NUL-terminated manifest
 *   40      16    name (NUL-padded)
 *   56      4     CRC-32 of the bytes that follow the header (text, data, relocation table)
 *   60      4     the GOT origin (what r9 holds: the start of .got, from which GCC's GOT_BREL offsets count) as
 *                 an offset in data
 *   64            text, then data, then the relocation table: a count, then that many offsets in data of
 *                 words holding link-time addresses (pointers in initialised data: R_ARM_ABS32 of .rel.data)
 *
 * The loader takes three blocks from the application pool (each a power of two aligned to its size: an MPU
 * region): text (mapped read-only and executable, region 5), data + bss (the main thread's data region)
 * and the stack; copies text and data, zeroes bss, adds the blocks' bases to every GOT entry and every word
 * of the relocation table (a value at or above 0x10000000 points into data, one below into text), and spawns the process with the image's
 * manifest, which must be within the caller's (as for SYS_PROCESS_SPAWN). A restart reloads data and bss
 * from the file; the blocks are freed when the process is over for good.
 */
#include <stddef.h>
#include <string.h>

#include "fs.h" /* fs_crc32: the CRC-32 of zlib, as the packer computes it */
#include "kernel_private.h"

#define APP_POOL 65536u
#define APP_UNIT 256u
#define APP_UNITS (APP_POOL / APP_UNIT)
#define DATA_LINK 0x10000000u
#define HEADER 64u

static uint8_t app_pool[APP_POOL] __attribute__((aligned(APP_POOL)));
static uint32_t pool_used[APP_UNITS / 32];

struct header {
    uint32_t magic, version, text, data, bss, got, entry, stack, priority, manifest;
    char name[16];
    uint32_t crc, got_base;
};
_Static_assert(sizeof(struct header) == HEADER, "the image header is 64 bytes");

static uint32_t region_size(uint32_t n)
{
    uint32_t r = APP_UNIT;
    while (r < n) {
        r <<= 1;
    }
    return r;
}

static bool units_free(uint32_t first, uint32_t count)
{
    for (uint32_t u = first; u < first + count; u++) {
        if (pool_used[u / 32] & (1u << (u % 32))) {
            return false;
        }
    }
    return true;
}

static void units_mark(uint32_t first, uint32_t count, bool used)
{
    for (uint32_t u = first; u < first + count; u++) {
        if (used) {
            pool_used[u / 32] |= 1u << (u % 32);
        } else {
            pool_used[u / 32] &= ~(1u << (u % 32));
        }
    }
}

/* a block of size bytes (a power of two >= 256) aligned to its size, or 0 */
static uint32_t allocate(uint32_t size)
{
    uint32_t count = size / APP_UNIT;
    for (uint32_t u = 0; u + count <= APP_UNITS; u += count) {
        if (units_free(u, count)) {
            units_mark(u, count, true);
            return (uint32_t)app_pool + u * APP_UNIT;
        }
    }
    return 0;
}

static void release(uint32_t base, uint32_t size)
{
    if (base != 0) {
        units_mark((base - (uint32_t)app_pool) / APP_UNIT, size / APP_UNIT, false);
    }
}

void loader_free(struct process *p)
{
    for (int i = 0; i < 3; i++) {
        release(p->blocks[i][0], p->blocks[i][1]);
        p->blocks[i][0] = 0;
    }
    p->loaded = false;
}

static uint32_t relocated(uint32_t link, uint32_t text_base, uint32_t data_base)
{
    return link >= DATA_LINK ? data_base + (link - DATA_LINK) : text_base + link;
}

static int32_t load_data(int32_t file, const struct header *h, uint32_t text_base, uint32_t data_base,
                         uint32_t *crc)
{
    int32_t r = files_data_pread(file, HEADER + h->text, (void *)data_base, h->data);
    if (r != (int32_t)h->data) {
        return r < 0 ? r : -RTOS_EINVAL;
    }
    uint32_t c = fs_crc32(fs_crc32(0, (const uint8_t *)text_base, h->text), (const uint8_t *)data_base, h->data);
    /* the relocation table, in pieces, checked against the data before any word is changed */
    uint32_t at = HEADER + h->text + h->data, count;
    if (files_data_pread(file, at, &count, 4) != 4 || count > h->data / 4) {
        return -RTOS_EINVAL;
    }
    c = fs_crc32(c, (const uint8_t *)&count, 4);
    static uint32_t piece[64];
    for (uint32_t done = 0; done < count;) {
        uint32_t k = count - done < 64 ? count - done : 64;
        if (files_data_pread(file, at + 4 + 4 * done, piece, 4 * k) != (int32_t)(4 * k)) {
            return -RTOS_EINVAL;
        }
        c = fs_crc32(c, (const uint8_t *)piece, 4 * k);
        done += k;
    }
    if (crc != NULL) {
        *crc = c;
    }
    if (c != h->crc) {
        return -RTOS_EINVAL; /* damaged: nothing is relocated */
    }
    for (uint32_t done = 0; done < count;) {
        uint32_t k = count - done < 64 ? count - done : 64;
        files_data_pread(file, at + 4 + 4 * done, piece, 4 * k);
        for (uint32_t i = 0; i < k; i++) {
            if (piece[i] % 4 != 0 || piece[i] + 4 > h->data) {
                return -RTOS_EINVAL;
            }
            if (piece[i] < h->got) {
                continue; /* a GOT entry (the linker may list them): relocated with the GOT below */
            }
            uint32_t *word = (uint32_t *)(data_base + piece[i]);
            *word = relocated(*word, text_base, data_base);
        }
        done += k;
    }
    memset((uint8_t *)data_base + h->data, 0, h->bss);
    uint32_t *got = (uint32_t *)data_base;
    for (uint32_t i = 0; i < h->got / 4; i++) {
        got[i] = relocated(got[i], text_base, data_base);
    }
    return 0;
}

bool loader_reload(struct process *p)
{
    struct header h;
    int32_t fd = files_data_open(p->file);
    if (fd < 0) {
        return false;
    }
    bool ok = files_data_pread(fd, 0, &h, sizeof h) == (int32_t)sizeof h
              && load_data(fd, &h, p->text_lo, p->blocks[1][0], NULL) == 0;
    files_data_close(fd);
    return ok;
}

static int32_t load(struct tcb *c, int32_t fd, const char *file, const struct rtos_load_params *params);

int32_t loader_load(struct tcb *c, const char *user_path, const struct rtos_load_params *user)
{
    char path[40];
    int len = kernel_user_string(c, user_path, path, sizeof path);
    if (len < 0) {
        return len;
    }
    if (strncmp(path, "/data/", 6) != 0 || !files_may_open(c->proc, path)) {
        return -RTOS_EACCES;
    }
    if (!kernel_user_readable(c, user, sizeof *user)) {
        return -RTOS_EFAULT;
    }
    struct rtos_load_params lp = *user; /* read once: checked and used the same */
    const char *file = path + 6;
    int32_t fd = files_data_open(file); /* once: each open reads the file's index block again */
    if (fd < 0) {
        return fd;
    }
    int32_t r = load(c, fd, file, &lp);
    files_data_close(fd);
    return r;
}

/* loader_load's work, on file's descriptor fd */
static int32_t load(struct tcb *c, int32_t fd, const char *file, const struct rtos_load_params *params)
{
    const struct rtos_load_params lp = *params;
    struct header h;
    int32_t r = files_data_pread(fd, 0, &h, sizeof h);
    if (r != (int32_t)sizeof h) {
        return r < 0 ? r : -RTOS_EINVAL;
    }
    if (h.magic != 0x50415452u || h.version != 1 || h.text == 0 || h.text > APP_POOL / 2
        || h.got > h.data || h.got % 4 != 0 || h.got_base > h.data || h.data + h.bss > APP_POOL / 2 || h.stack < 256
        || h.stack > APP_POOL / 4 || h.priority >= RTOS_PRIORITIES || !(h.entry & 1u) || h.entry >= h.text
        || h.manifest >= h.text || lp.restart > RTOS_RESTART_ALWAYS || lp.on_give_up > RTOS_ON_GIVE_UP_RESET) {
        return -RTOS_EINVAL; /* not an application image of this format */
    }
    uint32_t sizes[3] = {region_size(h.text), region_size(h.data + h.bss), region_size(h.stack)};
    struct process image;
    memset(&image, 0, sizeof image);
    for (int i = 0; i < 3; i++) {
        image.blocks[i][1] = sizes[i];
        image.blocks[i][0] = allocate(sizes[i]);
        if (image.blocks[i][0] == 0) {
            loader_free(&image);
            return -RTOS_ENOMEM;
        }
    }
    uint32_t text = image.blocks[0][0], data = image.blocks[1][0], stack = image.blocks[2][0];
    r = files_data_pread(fd, HEADER, (void *)text, h.text);
    uint32_t crc = 0;
    if (r == (int32_t)h.text) {
        r = load_data(fd, &h, text, data, &crc);
    } else if (r >= 0) {
        r = -RTOS_EINVAL;
    }
    const char *manifest = (const char *)text + h.manifest;
    if (r == 0 && memchr(manifest, 0, h.text - h.manifest) == NULL) {
        r = -RTOS_EINVAL; /* a manifest that runs off the code */
    }
    if (r != 0) {
        loader_free(&image);
        return r;
    }
    uint32_t rasr;
    kernel_mpu_region(text, sizes[0], &rasr);
    image.loaded = true;
    image.text_lo = text;
    image.text_hi = text + h.text;
    image.text_rbar = text | RBAR_VALID | MPU_REGION_APP_TEXT;
    image.text_rasr = rasr | (6u << 24) | (1u << 17); /* read-only for all, executable; normal, write-through */
    image.pic_base = data + h.got_base;
    memcpy(image.file, file, strlen(file) + 1);
    if (!files_manifest_within(manifest, c->proc)) {
        loader_free(&image);
        return -RTOS_EACCES;
    }
    char name[16] = {0};
    memcpy(name, h.name, sizeof name - 1);
    struct rtos_process_params q = {.name = NULL, .entry = (int (*)(void *))(text + h.entry), .arg = lp.arg,
                                    .priority = h.priority, .stack = (void *)stack, .stack_size = h.stack,
                                    .data = (void *)data, .data_size = sizes[1], .manifest = manifest,
                                    .restart = lp.restart, .restart_delay = lp.restart_delay,
                                    .max_restarts = lp.max_restarts, .heartbeat = lp.heartbeat,
                                    .on_give_up = lp.on_give_up};
    int pid = process_create(&q, name, (uint8_t)(c->proc - kernel_processes), &image);
    if (pid < 0) {
        loader_free(&image);
    }
    return pid;
}
