/*
 * Files (docs/rtos.md, "Files"): each process has 8 file descriptors; SYS_OPEN finds what a path names
 * under three roots, each allowed only when the process's manifest lists it:
 *   /dev/NAME   a device (the table `devices`: read, write, ioctl, poll by driver)
 *   /pipe/NAME  a named pipe: a 256-byte ring between processes, created by O_CREAT, opened for reading
 *               or for writing (each open is one end); the ring remembers which process wrote each run of
 *               bytes, so that SYS_READ_FROM can tell a reader who wrote what it reads
 *   /shm/NAME   shared memory: created by O_CREAT with its size, mapped by SYS_MMAP as an MPU region of
 *               the process (two windows per process), read-only when opened O_RDONLY
 * Blocking reads and writes wait in the object's own wait queue, with the descriptor's timeout; SYS_POLL
 * waits in one queue for all, and is re-checked whenever a pipe or a device changes.
 */
#include <stddef.h>
#include <string.h>

#include "console.h"
#include "device.h"
#include "fs.h"
#include "kernel_private.h"
#include "nor.h"
#include "nor_bd.h"

#define RASR_AP_URO (2u << 24) /* privileged read-write, unprivileged read-only */

#define PATH_MAX_ 40 /* "/data/" and a 31-character name, with room */
#define NAME_MAX_ 24

/* --- devices (device.h) */

static int32_t null_read(unsigned u, struct fd *f, uint8_t *b, uint32_t n)
{
    (void)u, (void)f, (void)b, (void)n;
    return 0; /* always at its end */
}

static int32_t null_write(unsigned u, struct fd *f, const uint8_t *d, uint32_t n)
{
    (void)u, (void)f, (void)d;
    return (int32_t)n;
}

static uint32_t always_ready(unsigned u)
{
    (void)u;
    return RTOS_POLLIN | RTOS_POLLOUT;
}

static uint32_t write_ready(unsigned u)
{
    (void)u;
    return RTOS_POLLOUT;
}

/* the kernel's console (semihosting in the test programs), for processes that have no UART of their own */
static int32_t console_device_write(unsigned u, struct fd *f, const uint8_t *d, uint32_t n)
{
    (void)u, (void)f;
    char chunk[65];
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done > 64 ? 64 : n - done;
        memcpy(chunk, d + done, k);
        chunk[k] = 0;
        console_write(chunk);
        done += k;
    }
    return (int32_t)n;
}

#define UART(name, unit) {name, unit, uart_open, uart_read, uart_write, uart_ioctl, uart_poll, 0}
#define RELAY 2
#define RTC 4
#define FIRST_UART 7

static const struct device devices[] = {
    {"null", 0, NULL, null_read, null_write, NULL, always_ready, 0},
    {"console", 0, NULL, NULL, console_device_write, NULL, write_ready, 0},
    [RELAY] = {"relay", 0, relay_open, relay_read, relay_write, NULL, relay_poll, 0},
    {"eeprom", 0, eeprom_open, eeprom_read, eeprom_write, NULL, eeprom_poll, EEPROM_SIZE},
    [RTC] = {"rtc", 0, rtc_open, rtc_read, rtc_write, NULL, rtc_poll, 0},
    {"lcd", 0, lcd_open, lcd_read, lcd_write, NULL, always_ready, LCD_SIZE},
    {"nor", 0, nor_dev_open, nor_dev_read, nor_dev_write, nor_dev_ioctl, always_ready, NOR_DEVICE_SIZE},
    UART("ttyS0", 0), UART("ttyS1", 1), UART("ttyS2", 2), UART("ttyS3", 3), UART("vbus", 4),
};
#define DEVICES (sizeof devices / sizeof devices[0])
_Static_assert(FIRST_UART + UART_DEVICES == DEVICES, "the UARTs end the table, in dev_uart.c's order");

bool files_next_deadline(uint32_t *next)
{
    return board_devices_deadline(next);
}

void files_timer(uint32_t t)
{
    board_devices_timer(t);
}

/* threads blocked reading or writing each device */
static struct waitq device_readers[DEVICES], device_writers[DEVICES];

/* --- named pipes */

#define MAX_PIPES 8
#define PIPE_SIZE 256
#define PIPE_RUNS 16 /* runs of bytes by one writer held at once; a new writer waits for room as for a full ring */
#define PIPE_READ_FROM 0x52454144u /* a blocked reader's tcb options: SYS_READ_FROM, its writer's id in bits */

struct pipe {
    bool used, unlinked;
    bool had_reader, had_writer; /* a write fails (-EPIPE) and a read ends (0) only once the other end has
                                    been open and is closed again, not before it was ever opened */
    uint8_t readers, writers;    /* open ends */
    char name[NAME_MAX_];
    uint32_t head, count;
    struct waitq blocked_readers, blocked_writers;
    uint8_t run_head, runs;      /* the oldest run, how many */
    struct {
        uint8_t pid;             /* the writing process */
        uint16_t count;          /* its bytes, in the ring's order */
    } run[PIPE_RUNS];
    uint8_t ring[PIPE_SIZE];
};

static struct pipe pipes[MAX_PIPES];

/* --- shared memory: a 16 KiB pool in 256-byte units, each object a power of two from 256 bytes to 8 KiB
   aligned to its size, so that it is one MPU region */

#define MAX_SHM 8
#define SHM_POOL 16384u
#define SHM_UNIT 256u
#define SHM_UNITS (SHM_POOL / SHM_UNIT)

struct shm {
    bool used, unlinked;
    uint8_t opens, maps;
    char name[NAME_MAX_];
    uint32_t base, size, rasr; /* rasr: SIZE and ENABLE */
};

static struct shm shms[MAX_SHM];
static uint8_t shm_pool[SHM_POOL] __attribute__((aligned(SHM_POOL)));
static uint64_t shm_units_used; /* bit u: unit u of the pool taken */

/* --- /data: the power-safe file system on the NOR (../fs). Its calls run to their end inside the system
   call: the kernel waits for the NOR (a 4 KiB erase takes 45 ms typical) with every thread stopped. */

static struct fs data_fs;
static struct nor_bd data_bd;
static bool data_mounted;

int kernel_mount_data(uint32_t first_block, uint32_t blocks, int format_if_blank)
{
    nor_init();
    nor_bd_init(&data_bd, first_block * FS_BLOCK_SIZE, blocks, NULL);
    int rc = fs_mount(&data_fs, &data_bd.bd);
    if (rc == FS_ENOFS && format_if_blank) {
        rc = fs_format(&data_fs, &data_bd.bd);
        if (rc == 0) {
            rc = fs_mount(&data_fs, &data_bd.bd);
        }
    }
    data_mounted = rc == 0;
    return rc;
}

int32_t files_data_open(const char *name)
{
    return data_mounted ? fs_open(&data_fs, name, FS_O_RDONLY) : -RTOS_ENODEV;
}

int32_t files_data_pread(int32_t fd, uint32_t offset, void *out, uint32_t n)
{
    int32_t r = fs_seek(&data_fs, fd, (int32_t)offset, FS_SEEK_SET);
    return r < 0 ? r : fs_read(&data_fs, fd, out, n);
}

void files_data_close(int32_t fd)
{
    fs_close(&data_fs, fd);
}

static int fs_flags(uint32_t flags)
{
    uint32_t mode = flags & RTOS_O_ACCMODE;
    return (mode == RTOS_O_RDONLY ? FS_O_RDONLY : mode == RTOS_O_WRONLY ? FS_O_WRONLY : FS_O_RDWR)
           | ((flags & RTOS_O_CREAT) ? FS_O_CREAT : 0) | ((flags & RTOS_O_EXCL) ? FS_O_EXCL : 0)
           | ((flags & RTOS_O_TRUNC) ? FS_O_TRUNC : 0) | ((flags & RTOS_O_APPEND) ? FS_O_APPEND : 0);
}

/* Pipes and shared memories are named objects: both structs begin with `bool used, unlinked`. The index of
   the one called name (not unlinked), or -1; *spare: the first unused slot, or -1. */
struct named {
    bool used, unlinked;
};

static int find_named(const void *objects, size_t stride, size_t name_at, int count, const char *name, int *spare)
{
    int found = -1;
    *spare = -1;
    for (int i = 0; i < count; i++) {
        const uint8_t *o = (const uint8_t *)objects + (size_t)i * stride;
        const struct named *n = (const struct named *)o;
        if (n->used && !n->unlinked && strcmp((const char *)o + name_at, name) == 0) {
            found = i;
        } else if (!n->used && *spare < 0) {
            *spare = i;
        }
    }
    return found;
}
#define FIND_NAMED(array, count, name, spare) \
    find_named((array), sizeof (array)[0], offsetof(__typeof__((array)[0]), name), (count), (name), (spare))

/* threads in SYS_POLL */
static struct waitq pollers;

void files_init(uint32_t pclk_hz)
{
    uart_init(pclk_hz, FIRST_UART);
    board_devices_init(RELAY, RTC);
    memset(device_readers, 0, sizeof device_readers);
    memset(device_writers, 0, sizeof device_writers);
    memset(pipes, 0, sizeof pipes);
    memset(shms, 0, sizeof shms);
    shm_units_used = 0;
    pollers.head = NULL;
}

bool files_shm_contains(int i, uint32_t a, uint32_t n)
{
    return inside(shms[i].base, shms[i].base + shms[i].size, a, n);
}

/* --- manifests: space-separated patterns, a final '*' matching any rest */

static bool pattern_matches(const char *pattern, uint32_t length, const char *path)
{
    if (length > 0 && pattern[length - 1] == '*') {
        return strncmp(pattern, path, length - 1) == 0;
    }
    return strlen(path) == length && strncmp(pattern, path, length) == 0;
}

static bool trusted(const struct process *p)
{
    return p->parent == 0 && p->params.manifest == NULL;
}

/* /dev/nor's ranges, "/dev/nor:FIRST-LAST" (hex, inclusive) in the manifest: the one device whose reach is
   named, not implied, so a process without a manifest reaches none of it */
#define NOR_TOKEN "/dev/nor:"
#define NOR_TOKEN_LENGTH 9u

static bool hex_value(const char *s, uint32_t n, uint32_t *out);

static bool nor_range(const char *t, uint32_t n, uint32_t *first, uint32_t *last)
{
    if (n <= NOR_TOKEN_LENGTH || strncmp(t, NOR_TOKEN, NOR_TOKEN_LENGTH) != 0) {
        return false;
    }
    t += NOR_TOKEN_LENGTH;
    n -= NOR_TOKEN_LENGTH;
    const char *dash = memchr(t, '-', n);
    return dash != NULL && hex_value(t, (uint32_t)(dash - t), first)
           && hex_value(dash + 1, n - (uint32_t)(dash - t) - 1, last) && *first <= *last;
}

/* the manifest's next token from m (spaces skipped): its start, *n its length; NULL at the end */
static const char *manifest_token(const char *m, uint32_t *n)
{
    while (m != NULL && *m == ' ') {
        m++;
    }
    if (m == NULL || *m == 0) {
        return NULL;
    }
    for (*n = 0; m[*n] != 0 && m[*n] != ' ';) {
        ++*n;
    }
    return m;
}

bool files_nor_reach(const struct process *p, uint32_t address, uint32_t *length)
{
    uint32_t n, first, last;
    for (const char *t = p->params.manifest; (t = manifest_token(t, &n)) != NULL; t += n) {
        if (nor_range(t, n, &first, &last) && address >= first && address <= last) {
            if (*length > last - address + 1) {
                *length = last - address + 1;
            }
            return true;
        }
    }
    return false;
}

static bool nor_named(const struct process *p)
{
    uint32_t n, first, last;
    for (const char *t = p->params.manifest; (t = manifest_token(t, &n)) != NULL; t += n) {
        if (nor_range(t, n, &first, &last)) {
            return true;
        }
    }
    return false;
}

bool files_may_open(const struct process *p, const char *path)
{
    if (strcmp(path, "/dev/nor") == 0) {
        return nor_named(p); /* not even a trusted process: its reach is what its manifest names */
    }
    if (trusted(p)) {
        return true;
    }
    for (const char *m = p->params.manifest; m != NULL && *m != 0;) {
        while (*m == ' ') {
            m++;
        }
        uint32_t n = 0;
        while (m[n] != 0 && m[n] != ' ') {
            n++;
        }
        if (n > 0 && pattern_matches(m, n, path)) {
            return true;
        }
        m += n;
    }
    return false;
}

bool files_manifest_within(const char *child, const struct process *parent)
{
    if (trusted(parent)) {
        return true;
    }
    for (const char *m = child; *m != 0;) {
        while (*m == ' ') {
            m++;
        }
        uint32_t n = 0;
        while (m[n] != 0 && m[n] != ' ') {
            n++;
        }
        if (n == 0) {
            break;
        }
        if (n >= PATH_MAX_) {
            return false;
        }
        uint32_t first, last, span;
        if (nor_range(m, n, &first, &last)) { /* within one of the parent's NOR ranges, never by a pattern */
            span = last - first + 1;
            if (!files_nor_reach(parent, first, &span) || span != last - first + 1) {
                return false;
            }
            m += n;
            continue;
        }
        /* a pattern is allowed when its fixed part, and everything a '*' adds to it, is: the parent has the
           exact path (no '*'), or a prefix pattern covering the fixed part */
        char fixed[PATH_MAX_];
        bool prefix = m[n - 1] == '*';
        memcpy(fixed, m, prefix ? n - 1 : n);
        fixed[prefix ? n - 1 : n] = 0;
        bool ok = false;
        for (const char *pm = parent->params.manifest; pm != NULL && *pm != 0 && !ok;) {
            while (*pm == ' ') {
                pm++;
            }
            uint32_t k = 0;
            while (pm[k] != 0 && pm[k] != ' ') {
                k++;
            }
            if (k > 0) {
                ok = pm[k - 1] == '*' ? strncmp(pm, fixed, k - 1) == 0
                                      : !prefix && pattern_matches(pm, k, fixed);
            }
            pm += k;
        }
        if (!ok) {
            return false;
        }
        m += n;
    }
    return true;
}

/* --- virtual-bus manifests (docs/rtos.md, "Manifests"): the tokens that are not paths.
     vbus:XX                 the process's virtual-bus address (hex)
     get:AAAAAAAA[-BBBBBBBB] a DI or an inclusive DI range (hex, DI3 first) it may get; set:, action:, serve:
                             likewise (serve: the DIs it may register with the router as their server)
     vbus-router             it may read other processes' virtual-bus manifests (SYS_VBUS_MANIFEST)
   A path never matches them (paths begin with '/'), and a parent must hold each of them to give it
   (files_manifest_within compares them as it compares paths). */

static bool hex_value(const char *s, uint32_t n, uint32_t *out)
{
    uint32_t v = 0;
    if (n == 0 || n > 8) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        char ch = s[i];
        uint32_t d = ch >= '0' && ch <= '9' ? (uint32_t)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (uint32_t)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (uint32_t)(ch - 'A' + 10) : 16u;
        if (d > 15) {
            return false;
        }
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static const struct {
    char name[8];
    uint8_t length, functions;
} VBUS_GRANTS[] = {
    {"get:", 4, RTOS_VBUS_GET}, {"set:", 4, RTOS_VBUS_SET}, {"action:", 7, RTOS_VBUS_ACTION},
    {"serve:", 6, RTOS_VBUS_SERVE},
};

/* one token of a manifest into out; false if it is not a well-formed virtual-bus token */
static bool vbus_token(const char *t, uint32_t n, struct rtos_vbus_manifest *out, bool *router)
{
    uint32_t a, b;
    if (n == 11 && strncmp(t, "vbus-router", 11) == 0) {
        *router = true;
        return true;
    }
    if (n > 5 && strncmp(t, "vbus:", 5) == 0) {
        if (!hex_value(t + 5, n - 5, &a) || a > 0xFF) {
            return false;
        }
        out->address = (uint8_t)a;
        return true;
    }
    for (unsigned g = 0; g < sizeof VBUS_GRANTS / sizeof VBUS_GRANTS[0]; g++) {
        uint32_t k = VBUS_GRANTS[g].length;
        if (n > k && strncmp(t, VBUS_GRANTS[g].name, k) == 0) {
            const char *range = t + k;
            uint32_t rn = n - k, dash = 0;
            while (dash < rn && range[dash] != '-') {
                dash++;
            }
            if (!hex_value(range, dash, &a)) {
                return false;
            }
            b = a;
            if (dash < rn && (!hex_value(range + dash + 1, rn - dash - 1, &b) || b < a)) {
                return false;
            }
            if (out->count < RTOS_VBUS_GRANTS) {
                out->grant[out->count++] = (struct rtos_vbus_grant){.functions = VBUS_GRANTS[g].functions,
                                                                    .first = a, .last = b};
            }
            return true;
        }
    }
    return false;
}

/* p's virtual-bus manifest into out; false if it names no address */
static bool vbus_parse(const struct process *p, struct rtos_vbus_manifest *out, bool *router)
{
    memset(out, 0, sizeof *out);
    *router = false;
    bool named = false;
    for (const char *m = p->params.manifest; m != NULL && *m != 0;) {
        while (*m == ' ') {
            m++;
        }
        uint32_t n = 0;
        while (m[n] != 0 && m[n] != ' ') {
            n++;
        }
        if (n > 0 && m[0] != '/' && vbus_token(m, n, out, router) && n > 5 && strncmp(m, "vbus:", 5) == 0) {
            named = true;
        }
        m += n;
    }
    return named;
}

static int32_t vbus_manifest(struct tcb *c, uint32_t pid, struct rtos_vbus_manifest *out)
{
    struct rtos_vbus_manifest own;
    bool router;
    if (!kernel_user_memory(c, out, sizeof *out)) {
        return -RTOS_EFAULT;
    }
    vbus_parse(c->proc, &own, &router);
    if (!router && !trusted(c->proc)) {
        return -RTOS_EPERM; /* only the router (by its manifest) learns what others may do */
    }
    if (pid == 0 || pid >= MAX_PROCESSES || kernel_processes[pid].state == P_FREE) {
        return -RTOS_ESRCH;
    }
    return vbus_parse(&kernel_processes[pid], out, &router) ? 0 : -RTOS_ENOENT;
}

/* --- poll */

static uint32_t fd_events(struct fd *f)
{
    switch (f->kind) {
    case FD_DEVICE:
        return devices[f->index].poll(devices[f->index].unit);
    case FD_PIPE_READ: {
        struct pipe *p = &pipes[f->index];
        uint32_t e = p->count > 0 ? RTOS_POLLIN : 0;
        if (p->writers == 0 && p->had_writer) {
            e |= RTOS_POLLIN | RTOS_POLLHUP; /* a read returns 0 */
        }
        return e;
    }
    case FD_PIPE_WRITE: {
        struct pipe *p = &pipes[f->index];
        if (p->readers == 0 && p->had_reader) {
            return RTOS_POLLERR; /* a write fails with -EPIPE */
        }
        return p->count < PIPE_SIZE ? RTOS_POLLOUT : 0;
    }
    case FD_SHM:
        return RTOS_POLLIN | RTOS_POLLOUT;
    default:
        return RTOS_POLLNVAL;
    }
}

/* fills the revents of t's pollfds (in t's memory, checked when it called); returns how many are set */
static int32_t poll_scan(struct tcb *t, struct rtos_pollfd *fds, uint32_t n)
{
    int32_t ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct rtos_pollfd *pf = &fds[i];
        uint32_t e;
        if (pf->fd < 0) {
            e = 0; /* ignored, as POSIX has it */
        } else if ((uint32_t)pf->fd >= PROCESS_FILES || t->proc->files[pf->fd].kind == FD_NONE) {
            e = RTOS_POLLNVAL;
        } else {
            e = fd_events(&t->proc->files[pf->fd]);
            e &= pf->events | RTOS_POLLERR | RTOS_POLLHUP | RTOS_POLLNVAL;
        }
        pf->revents = (uint16_t)e;
        ready += e != 0;
    }
    return ready;
}

/* does t's poll watch device index? */
static bool polls_device(const struct tcb *t, unsigned index)
{
    const struct rtos_pollfd *fds = t->buffer;
    for (uint32_t i = 0; i < t->bits; i++) {
        if (fds[i].fd >= 0 && (uint32_t)fds[i].fd < PROCESS_FILES) {
            const struct fd *f = &t->proc->files[fds[i].fd];
            if (f->kind == FD_DEVICE && f->index == index) {
                return true;
            }
        }
    }
    return false;
}

/* something a poller may wait for changed: device index, or anything (-1). A device's change (each character
   a UART moves) rescans only the polls that watch it: the other ports' poll functions cost a character time
   on the link otherwise (docs/services.md, "Known limits") */
static void changed_for(int device)
{
    for (struct tcb *t = pollers.head, *after; t != NULL; t = after) {
        after = t->next;
        if (device >= 0 && !polls_device(t, (unsigned)device)) {
            continue;
        }
        int32_t ready = poll_scan(t, t->buffer, t->bits);
        if (ready > 0) {
            kernel_wake(t, ready);
        }
    }
}

static void changed(void)
{
    changed_for(-1);
}

/* --- device reads and writes: the driver moves what it can, the thread waits for the rest */

static int32_t device_read(struct tcb *c, struct fd *f, uint8_t *buffer, uint32_t n)
{
    const struct device *d = &devices[f->index];
    if (n == 0) {
        return 0;
    }
    int32_t r = d->read(d->unit, f, buffer, n);
    if (r != -RTOS_EAGAIN) {
        return r;
    }
    if (f->nonblock || f->timeout == 0) {
        return -RTOS_EAGAIN;
    }
    c->buffer = buffer;
    c->length = n;
    c->done = 0;
    c->file = f;
    kernel_block(c, W_READ, &device_readers[f->index], (void *)d, f->timeout);
    return BLOCKED;
}

static int32_t device_write(struct tcb *c, struct fd *f, const uint8_t *data, uint32_t n)
{
    const struct device *d = &devices[f->index];
    int32_t r = d->write(d->unit, f, data, n);
    if (r < 0 || (uint32_t)r == n) {
        return r;
    }
    if (f->nonblock || f->timeout == 0) {
        return r > 0 ? r : -RTOS_EAGAIN;
    }
    c->buffer = (void *)data;
    c->length = n;
    c->done = (uint32_t)r;
    c->file = f;
    kernel_block(c, W_WRITE, &device_writers[f->index], (void *)d, f->timeout);
    return BLOCKED;
}

void files_device_ready(unsigned index)
{
    const struct device *d = &devices[index];
    for (struct tcb *t = device_readers[index].head, *after; t != NULL; t = after) {
        after = t->next;
        int32_t r = d->read(d->unit, t->file, t->buffer, t->length);
        if (r == -RTOS_EAGAIN) {
            break; /* nothing more for the next either */
        }
        kernel_wake(t, r);
    }
    for (struct tcb *t = device_writers[index].head, *after; t != NULL; t = after) {
        after = t->next;
        int32_t r = d->write(d->unit, t->file, (const uint8_t *)t->buffer + t->done, t->length - t->done);
        if (r < 0) {
            kernel_wake(t, t->done > 0 ? (int32_t)t->done : r);
            continue;
        }
        t->done += (uint32_t)r;
        if (t->done < t->length) {
            break; /* full again: the first writer keeps its place */
        }
        kernel_wake(t, (int32_t)t->done);
    }
    changed_for((int)index);
    kernel_after_interrupt();
}

/* --- pipes */

static uint8_t pid_of(const struct tcb *t)
{
    return (uint8_t)(t->proc - kernel_processes);
}

/* room in p for one more byte of process pid: the ring has a byte free and the byte extends pid's run or a
   new run fits */
static bool pipe_room(const struct pipe *p, uint8_t pid)
{
    if (p->count >= PIPE_SIZE) {
        return false;
    }
    return p->runs < PIPE_RUNS || p->run[(p->run_head + p->runs - 1) % PIPE_RUNS].pid == pid;
}

static void pipe_put(struct pipe *p, uint8_t pid, uint8_t byte)
{
    p->ring[(p->head + p->count++) % PIPE_SIZE] = byte;
    if (p->runs > 0 && p->run[(p->run_head + p->runs - 1) % PIPE_RUNS].pid == pid) {
        p->run[(p->run_head + p->runs - 1) % PIPE_RUNS].count++;
    } else {
        unsigned last = (p->run_head + p->runs++) % PIPE_RUNS;
        p->run[last].pid = pid;
        p->run[last].count = 1;
    }
}

/* k bytes read from the ring's head: the runs they belonged to shrink or end */
static void pipe_take(struct pipe *p, uint32_t k)
{
    p->head = (p->head + k) % PIPE_SIZE;
    p->count -= k;
    while (k > 0) {
        uint32_t n = p->run[p->run_head].count < k ? p->run[p->run_head].count : k;
        p->run[p->run_head].count = (uint16_t)(p->run[p->run_head].count - n);
        k -= n;
        if (p->run[p->run_head].count == 0) {
            p->run_head = (uint8_t)((p->run_head + 1) % PIPE_RUNS);
            p->runs--;
        }
    }
}

/* SYS_READ and, with writer (in the caller's memory), SYS_READ_FROM: bytes of one writer only */
static int32_t pipe_read(struct tcb *c, struct fd *f, uint8_t *buffer, uint32_t n, int32_t *writer)
{
    struct pipe *p = &pipes[f->index];
    if (n == 0) {
        return 0;
    }
    if (p->count == 0) {
        if (p->writers == 0 && p->had_writer) {
            return 0; /* the end */
        }
        if (f->nonblock || f->timeout == 0) {
            return -RTOS_EAGAIN;
        }
        c->buffer = buffer;
        c->length = n;
        c->done = 0;
        c->options = writer != NULL ? PIPE_READ_FROM : 0; /* the writer that fills it tells who it is */
        c->bits = (uint32_t)writer;
        kernel_block(c, W_READ, &p->blocked_readers, p, f->timeout);
        return BLOCKED;
    }
    uint32_t k = n < p->count ? n : p->count;
    if (writer != NULL) {
        if (p->run[p->run_head].count < k) {
            k = p->run[p->run_head].count;
        }
        *writer = p->run[p->run_head].pid;
    }
    for (uint32_t i = 0; i < k; i++) {
        buffer[i] = p->ring[(p->head + i) % PIPE_SIZE];
    }
    pipe_take(p, k);
    /* the space freed takes what blocked writers still have to write, first come first */
    while (p->blocked_writers.head != NULL && p->count < PIPE_SIZE) {
        struct tcb *w = p->blocked_writers.head;
        const uint8_t *data = w->buffer;
        while (w->done < w->length && pipe_room(p, pid_of(w))) {
            pipe_put(p, pid_of(w), data[w->done++]);
        }
        if (w->done < w->length) {
            break;
        }
        kernel_wake(w, (int32_t)w->done);
    }
    changed();
    return (int32_t)k;
}

static int32_t pipe_write(struct tcb *c, struct fd *f, const uint8_t *data, uint32_t n)
{
    struct pipe *p = &pipes[f->index];
    if (p->readers == 0 && p->had_reader) {
        return -RTOS_EPIPE;
    }
    uint32_t done = 0;
    uint8_t pid = pid_of(c);
    /* an empty pipe with a reader waiting: straight into its buffer */
    while (done < n && p->count == 0 && p->blocked_readers.head != NULL) {
        struct tcb *r = p->blocked_readers.head;
        uint32_t k = n - done < r->length ? n - done : r->length;
        memcpy(r->buffer, data + done, k);
        if (r->options == PIPE_READ_FROM) {
            *(int32_t *)r->bits = pid; /* checked as the reader's memory when it called */
        }
        done += k;
        kernel_wake(r, (int32_t)k);
    }
    while (done < n && pipe_room(p, pid)) {
        pipe_put(p, pid, data[done++]);
    }
    changed();
    if (done == n) {
        return (int32_t)n;
    }
    if (f->nonblock || f->timeout == 0) {
        return done > 0 ? (int32_t)done : -RTOS_EAGAIN;
    }
    c->buffer = (void *)data;
    c->length = n;
    c->done = done;
    kernel_block(c, W_WRITE, &p->blocked_writers, p, f->timeout);
    return BLOCKED;
}

static void pipe_free_if_unused(struct pipe *p)
{
    if (p->unlinked && p->readers == 0 && p->writers == 0) {
        p->used = false;
    }
}

static void pipe_close(struct pipe *p, bool read_end)
{
    if (read_end) {
        if (--p->readers == 0) {
            while (p->blocked_writers.head != NULL) { /* nobody will read what they still have */
                struct tcb *w = p->blocked_writers.head;
                kernel_wake(w, w->done > 0 ? (int32_t)w->done : -RTOS_EPIPE);
            }
        }
    } else if (--p->writers == 0) {
        while (p->blocked_readers.head != NULL) {
            kernel_wake(p->blocked_readers.head, 0); /* the end */
        }
    }
    changed();
    pipe_free_if_unused(p);
}

/* --- shared memory */

static int shm_allocate(uint32_t size, uint32_t *base)
{
    uint32_t units = size / SHM_UNIT;
    uint64_t mask = units == 64 ? ~0ull : ((1ull << units) - 1);
    for (uint32_t u = 0; u + units <= SHM_UNITS; u += units) { /* aligned to its size */
        if ((shm_units_used & (mask << u)) == 0) {
            shm_units_used |= mask << u;
            *base = (uint32_t)shm_pool + u * SHM_UNIT;
            return 0;
        }
    }
    return -RTOS_ENOMEM;
}

static void shm_free_if_unused(struct shm *s)
{
    if (s->unlinked && s->opens == 0 && s->maps == 0) {
        uint32_t units = s->size / SHM_UNIT, u = (s->base - (uint32_t)shm_pool) / SHM_UNIT;
        uint64_t mask = units == 64 ? ~0ull : ((1ull << units) - 1);
        shm_units_used &= ~(mask << u);
        s->used = false;
    }
}

static int32_t shm_map(struct tcb *c, struct fd *f)
{
    struct process *p = c->proc;
    struct shm *s = &shms[f->index];
    int free_map = -1;
    for (int i = 0; i < PROCESS_SHM_MAPS; i++) {
        if (p->maps[i].shm == f->index) {
            return (int32_t)s->base; /* mapped already */
        }
        if (p->maps[i].shm < 0 && free_map < 0) {
            free_map = i;
        }
    }
    if (free_map < 0) {
        return -RTOS_ENOMEM;
    }
    p->maps[free_map].shm = (int8_t)f->index;
    p->maps[free_map].rbar = s->base | RBAR_VALID | (MPU_REGION_SHM + (uint32_t)free_map);
    p->maps[free_map].rasr = s->rasr | RASR_XN | RASR_SRAM | (f->mode == RTOS_O_RDONLY ? RASR_AP_URO : RASR_AP_RW);
    s->maps++;
    kernel_map_process(p); /* the caller is running: its new window takes effect on the return */
    return (int32_t)s->base;
}

/* --- open, close */

static const char *under(const char *path, const char *root)
{
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 && path[n] != 0 ? path + n : NULL;
}

static int32_t open_file(struct tcb *c, const char *user_path, uint32_t flags, uint32_t size)
{
    char path[PATH_MAX_];
    int len = kernel_user_string(c, user_path, path, sizeof path);
    if (len < 0) {
        return len;
    }
    uint32_t mode = flags & RTOS_O_ACCMODE;
    if (mode == 3 || (flags & ~(RTOS_O_ACCMODE | RTOS_O_CREAT | RTOS_O_EXCL | RTOS_O_TRUNC | RTOS_O_APPEND
                                | RTOS_O_NONBLOCK)) != 0) {
        return -RTOS_EINVAL;
    }
    if (!files_may_open(c->proc, path)) {
        return -RTOS_EACCES; /* not in its manifest */
    }
    struct process *proc = c->proc;
    int fd = -1;
    for (int i = 0; i < PROCESS_FILES; i++) {
        if (proc->files[i].kind == FD_NONE) {
            fd = i;
            break;
        }
    }
    if (fd < 0) {
        return -RTOS_EMFILE;
    }
    struct fd *f = &proc->files[fd];
    struct fd opened = {.mode = (uint8_t)mode, .nonblock = (flags & RTOS_O_NONBLOCK) != 0, .timeout = RTOS_FOREVER};
    const char *name;
    bool create = (flags & RTOS_O_CREAT) != 0, exclusive = (flags & RTOS_O_EXCL) != 0;
    if ((name = under(path, "/dev/")) != NULL) {
        unsigned i = 0;
        while (i < DEVICES && strcmp(devices[i].name, name) != 0) {
            i++;
        }
        if (i == DEVICES) {
            return -RTOS_ENODEV;
        }
        if ((mode != RTOS_O_WRONLY && devices[i].read == NULL) || (mode != RTOS_O_RDONLY && devices[i].write == NULL)) {
            return -RTOS_EACCES;
        }
        if (devices[i].open != NULL) {
            int32_t r = devices[i].open(devices[i].unit, mode);
            if (r < 0) {
                return r;
            }
        }
        opened.kind = FD_DEVICE;
        opened.index = (uint8_t)i;
    } else if ((name = under(path, "/pipe/")) != NULL) {
        if (strlen(name) >= NAME_MAX_) {
            return -RTOS_ENAMETOOLONG;
        }
        if (mode == RTOS_O_RDWR) {
            return -RTOS_EINVAL; /* one end per open */
        }
        int spare, found = FIND_NAMED(pipes, MAX_PIPES, name, &spare);
        if (found >= 0 && create && exclusive) {
            return -RTOS_EEXIST;
        }
        if (found < 0) {
            if (!create) {
                return -RTOS_ENOENT;
            }
            if (spare < 0) {
                return -RTOS_ENOSPC;
            }
            memset(&pipes[spare], 0, sizeof pipes[spare]);
            pipes[spare].used = true;
            strcpy(pipes[spare].name, name);
            found = spare;
        }
        struct pipe *p = &pipes[found];
        if (mode == RTOS_O_RDONLY) {
            p->readers++;
            p->had_reader = true;
            opened.kind = FD_PIPE_READ;
        } else {
            p->writers++;
            p->had_writer = true;
            opened.kind = FD_PIPE_WRITE;
        }
        opened.index = (uint8_t)found;
        changed();
    } else if ((name = under(path, "/data/")) != NULL) {
        if (!data_mounted) {
            return -RTOS_ENODEV;
        }
        int r = fs_open(&data_fs, name, fs_flags(flags));
        if (r < 0) {
            return r; /* the FS_E* codes are the POSIX numbers where one fits (fs.h) */
        }
        opened.kind = FD_FILE;
        opened.index = (uint8_t)r;
    } else if ((name = under(path, "/shm/")) != NULL) {
        if (strlen(name) >= NAME_MAX_) {
            return -RTOS_ENAMETOOLONG;
        }
        int spare, found = FIND_NAMED(shms, MAX_SHM, name, &spare);
        if (found >= 0 && create && exclusive) {
            return -RTOS_EEXIST;
        }
        if (found < 0) {
            if (!create) {
                return -RTOS_ENOENT;
            }
            if (size == 0 || size > SHM_POOL / 2) {
                return -RTOS_EINVAL;
            }
            if (spare < 0) {
                return -RTOS_ENOSPC;
            }
            uint32_t region = SHM_UNIT;
            while (region < size) {
                region <<= 1;
            }
            uint32_t base, rasr;
            if (shm_allocate(region, &base) < 0) {
                return -RTOS_ENOMEM;
            }
            kernel_mpu_region(base, region, &rasr);
            memset((void *)base, 0, region);
            shms[spare] = (struct shm){.used = true, .base = base, .size = region, .rasr = rasr};
            strcpy(shms[spare].name, name);
            found = spare;
        }
        shms[found].opens++;
        opened.kind = FD_SHM;
        opened.index = (uint8_t)found;
    } else {
        return -RTOS_ENOENT;
    }
    *f = opened;
    return fd;
}

static void close_file(struct fd *f, bool discard)
{
    switch (f->kind) {
    case FD_FILE:
        if (discard) {
            fs_discard(&data_fs, f->index);
        } else {
            fs_close(&data_fs, f->index);
        }
        break;
    case FD_PIPE_READ:
    case FD_PIPE_WRITE:
        pipe_close(&pipes[f->index], f->kind == FD_PIPE_READ);
        break;
    case FD_SHM:
        shms[f->index].opens--;
        shm_free_if_unused(&shms[f->index]);
        break;
    default:
        break;
    }
    f->kind = FD_NONE;
}

void files_close_all(struct process *p, bool discard)
{
    for (int i = 0; i < PROCESS_FILES; i++) {
        if (p->files[i].kind != FD_NONE) {
            close_file(&p->files[i], discard);
        }
    }
    for (int i = 0; i < PROCESS_SHM_MAPS; i++) {
        int s = p->maps[i].shm;
        if (s >= 0) {
            p->maps[i].shm = -1;
            shms[s].maps--;
            shm_free_if_unused(&shms[s]);
        }
    }
}

static int32_t unlink_file(struct tcb *c, const char *user_path)
{
    char path[PATH_MAX_];
    int len = kernel_user_string(c, user_path, path, sizeof path);
    if (len < 0) {
        return len;
    }
    if (!files_may_open(c->proc, path)) {
        return -RTOS_EACCES;
    }
    const char *name;
    if ((name = under(path, "/pipe/")) != NULL) {
        int spare, i = FIND_NAMED(pipes, MAX_PIPES, name, &spare);
        if (i >= 0) {
            pipes[i].unlinked = true; /* the name is free at once; the pipe lives on while it is open */
            pipe_free_if_unused(&pipes[i]);
            return 0;
        }
    } else if ((name = under(path, "/shm/")) != NULL) {
        int spare, i = FIND_NAMED(shms, MAX_SHM, name, &spare);
        if (i >= 0) {
            shms[i].unlinked = true;
            shm_free_if_unused(&shms[i]);
            return 0;
        }
    } else if ((name = under(path, "/data/")) != NULL) {
        return data_mounted ? fs_remove(&data_fs, name) : -RTOS_ENODEV;
    } else if (under(path, "/dev/") != NULL) {
        return -RTOS_EPERM;
    }
    return -RTOS_ENOENT;
}

/* a /data path the caller may use: its name in the file system, or an error */
static int32_t data_path(struct tcb *c, const char *user_path, char *path, const char **name)
{
    int len = kernel_user_string(c, user_path, path, PATH_MAX_);
    if (len < 0) {
        return len;
    }
    if (!files_may_open(c->proc, path)) {
        return -RTOS_EACCES;
    }
    if (strncmp(path, "/data/", 6) != 0) {
        return -RTOS_EINVAL;
    }
    *name = path + 6; /* empty only for a listing of everything */
    return data_mounted ? 0 : -RTOS_ENODEV;
}

static void to_stat(const struct fs_stat *in, struct rtos_stat *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->name, in->name, sizeof out->name);
    out->size = in->size;
    out->blocks = in->blocks;
}

static int32_t data_call(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2)
{
    char path[PATH_MAX_], path2[PATH_MAX_];
    const char *name, *name2;
    if (n == SYS_RENAME) {
        int32_t r = data_path(c, (const char *)a0, path, &name);
        if (r == 0) {
            r = data_path(c, (const char *)a1, path2, &name2);
        }
        return r < 0 ? r : fs_rename(&data_fs, name, name2); /* an empty name: fs_rename refuses it */
    }
    struct rtos_stat *st = (struct rtos_stat *)(n == SYS_STAT ? a1 : a2);
    if (!kernel_user_memory(c, st, sizeof *st)) {
        return -RTOS_EFAULT;
    }
    if (n == SYS_STAT) {
        int len = kernel_user_string(c, (const char *)a0, path, sizeof path);
        if (len < 0) {
            return len;
        }
        if (strcmp(path, "/data") == 0) { /* the file system itself */
            struct fs_usage u;
            if (!data_mounted) {
                return -RTOS_ENODEV;
            }
            int r = fs_usage(&data_fs, &u);
            if (r < 0) {
                return r;
            }
            memset(st, 0, sizeof *st);
            st->size = u.block_count;
            st->blocks = u.used + u.pending;
            st->free_blocks = u.free;
            return 0;
        }
        int32_t r = data_path(c, (const char *)a0, path, &name);
        struct fs_stat fst;
        if (r < 0 || (r = fs_stat(&data_fs, name, &fst)) < 0) {
            return r;
        }
        to_stat(&fst, st);
        return 0;
    }
    /* SYS_READDIR: the prefix is checked as a path (a final '*' in the manifest allows a whole family) */
    uint32_t *cursor = (uint32_t *)a1;
    if (!kernel_user_memory(c, cursor, sizeof *cursor)) {
        return -RTOS_EFAULT;
    }
    int32_t r = data_path(c, (const char *)a0, path, &name);
    if (r < 0) {
        return r;
    }
    struct fs_stat fst;
    r = fs_list(&data_fs, name, cursor, &fst);
    if (r == 1) {
        to_stat(&fst, st);
    }
    return r;
}

/* --- system calls */

int32_t files_syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    struct process *proc = c->proc;
    if (n == SYS_VBUS_MANIFEST) {
        return vbus_manifest(c, a0, (struct rtos_vbus_manifest *)a1);
    }
    if (n == SYS_OPEN) {
        return open_file(c, (const char *)a0, a1, a2);
    }
    if (n == SYS_UNLINK) {
        return unlink_file(c, (const char *)a0);
    }
    if (n == SYS_RENAME || n == SYS_STAT || n == SYS_READDIR) {
        return data_call(c, n, a0, a1, a2);
    }
    if (n == SYS_POLL) {
        struct rtos_pollfd *fds = (struct rtos_pollfd *)a0;
        if (a1 > RTOS_POLL_MAX) {
            return -RTOS_EINVAL;
        }
        if (!kernel_user_memory(c, fds, a1 * sizeof *fds)) {
            return -RTOS_EFAULT;
        }
        int32_t ready = poll_scan(c, fds, a1);
        if (ready > 0 || a2 == 0) {
            return ready;
        }
        c->buffer = fds;
        c->bits = a1;
        kernel_block(c, W_POLL, &pollers, NULL, a2);
        return BLOCKED; /* woken with the count by changed(), or -RTOS_ETIMEDOUT */
    }
    if (a0 >= PROCESS_FILES || proc->files[a0].kind == FD_NONE) {
        return -RTOS_EBADF;
    }
    struct fd *f = &proc->files[a0];
    switch (n) {
    case SYS_CLOSE:
        if (f->kind == FD_FILE) {
            int r = fs_close(&data_fs, f->index); /* the commit: its result matters */
            f->kind = FD_NONE;
            return r;
        }
        close_file(f, false);
        return 0;
    case SYS_LSEEK:
        if (f->kind == FD_DEVICE && devices[f->index].size != 0) {
            int64_t base = a2 == RTOS_SEEK_SET ? 0
                           : a2 == RTOS_SEEK_CUR ? (int64_t)f->position
                           : a2 == RTOS_SEEK_END ? (int64_t)devices[f->index].size : -1;
            int64_t to = base + (int32_t)a1;
            if (base < 0 || to < 0 || to > devices[f->index].size) {
                return -RTOS_EINVAL;
            }
            f->position = (uint32_t)to;
            return (int32_t)to;
        }
        if (f->kind != FD_FILE) {
            return -RTOS_EINVAL; /* streams, pipes and shared memory have no offset */
        }
        return fs_seek(&data_fs, f->index, (int32_t)a1, (int)a2);
    case SYS_FSYNC:
        return f->kind == FD_FILE ? fs_sync(&data_fs, f->index) : 0;
    case SYS_READ: {
        if (!kernel_user_memory(c, (void *)a1, a2)) {
            return -RTOS_EFAULT;
        }
        if (f->kind == FD_PIPE_READ) {
            return pipe_read(c, f, (uint8_t *)a1, a2, NULL);
        }
        if (f->kind == FD_FILE) {
            return fs_read(&data_fs, f->index, (void *)a1, a2);
        }
        if (f->kind == FD_DEVICE && devices[f->index].read != NULL) {
            return device_read(c, f, (uint8_t *)a1, a2);
        }
        return -RTOS_EBADF; /* a write end, or a shared memory (mapped, not read) */
    }
    case SYS_READ_FROM:
        if (!kernel_user_memory(c, (void *)a1, a2) || !kernel_user_memory(c, (void *)a3, sizeof(int32_t))) {
            return -RTOS_EFAULT;
        }
        if (f->kind != FD_PIPE_READ) {
            return -RTOS_EBADF; /* only a pipe knows its writers */
        }
        return pipe_read(c, f, (uint8_t *)a1, a2, (int32_t *)a3);
    case SYS_WRITE: {
        if (!kernel_user_readable(c, (const void *)a1, a2)) { /* constants in flash too */
            return -RTOS_EFAULT;
        }
        if (f->kind == FD_PIPE_WRITE) {
            return pipe_write(c, f, (const uint8_t *)a1, a2);
        }
        if (f->kind == FD_FILE) {
            return fs_write(&data_fs, f->index, (const void *)a1, a2);
        }
        if (f->kind == FD_DEVICE && devices[f->index].write != NULL) {
            return device_write(c, f, (const uint8_t *)a1, a2);
        }
        return -RTOS_EBADF;
    }
    case SYS_IOCTL:
        switch (a1) {
        case RTOS_IOCTL_SET_NONBLOCK:
            if (f->kind == FD_SHM) {
                return -RTOS_ENOTTY;
            }
            f->nonblock = a2 != 0;
            return 0;
        case RTOS_IOCTL_SET_TIMEOUT:
            f->timeout = a2;
            return 0;
        case RTOS_IOCTL_PENDING:
            if (f->kind == FD_PIPE_READ) {
                return (int32_t)pipes[f->index].count;
            }
            break;
        default:
            break;
        }
        if (f->kind == FD_DEVICE && devices[f->index].ioctl != NULL) {
            const struct device *d = &devices[f->index];
            return d->ioctl(d->unit, f, c, a1, a2);
        }
        return a1 == RTOS_IOCTL_PENDING && f->kind == FD_DEVICE ? 0 : -RTOS_ENOTTY;
    case SYS_MMAP:
        if (f->kind != FD_SHM) {
            return -RTOS_EINVAL;
        }
        return shm_map(c, f);
    default:
        return -RTOS_ENOSYS;
    }
}
