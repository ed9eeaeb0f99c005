/*
 * Host tests of the file system (cc; run by fs/build.sh --check): the API one call at a time, a power cut
 * at every program/erase call of a seeded workload in turn (each torn as the NOR model tears), and the
 * erase spread of a file rewritten many times. Prints one line per part and "host fs tests: OK" at the end;
 * exit status 1 on any failure.
 *
 *   host_test            everything
 *   host_test sweep N    the sweep over the first N calls only (while developing)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "ram_bd.h"

static int failures;
#define CHECK(cond, ...)                                                                                   \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            failures++;                                                                                    \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                         \
            printf(__VA_ARGS__);                                                                           \
            printf("\n");                                                                                  \
            if (failures > 20) {                                                                           \
                exit(1);                                                                                   \
            }                                                                                              \
        }                                                                                                  \
    } while (0)
#define RC(call, want)                                                                                     \
    do {                                                                                                   \
        long rc_ = (long)(call);                                                                           \
        CHECK(rc_ == (long)(want), "%s returned %ld, expected %ld", #call, rc_, (long)(want));             \
    } while (0)

static struct fs fs;
static struct ram_bd rb;
static uint8_t mem[256 * FS_BLOCK_SIZE];

static void fresh(uint32_t blocks)
{
    memset(mem, 0xFF, sizeof mem);
    ram_bd_init(&rb, mem, blocks, 12345);
}

static void fill_bytes(uint8_t *out, uint32_t n, uint64_t seed)
{
    for (uint32_t i = 0; i < n; i++) {
        out[i] = (uint8_t)ram_bd_next(&seed);
    }
}

static void write_file(const char *name, const void *data, uint32_t n)
{
    int fd = fs_open(&fs, name, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(fd >= 0, "open %s: %d", name, fd);
    RC(fs_write(&fs, fd, data, n), n);
    RC(fs_close(&fs, fd), 0);
}

static uint8_t readbuf[600 * 1024];

/* the whole file, in chunks of `chunk`; its size or an error */
static int32_t read_file(const char *name, uint8_t *out, uint32_t max, uint32_t chunk)
{
    int fd = fs_open(&fs, name, FS_O_RDONLY);
    if (fd < 0) {
        return fd;
    }
    uint32_t n = 0;
    for (;;) {
        uint32_t want = chunk < max - n ? chunk : max - n;
        int32_t got = fs_read(&fs, fd, out + n, want);
        if (got < 0) {
            fs_close(&fs, fd);
            return got;
        }
        n += (uint32_t)got;
        if (got == 0 || n == max) {
            break;
        }
    }
    fs_close(&fs, fd);
    return (int32_t)n;
}

static void expect_content(const char *name, const void *data, uint32_t n)
{
    int32_t got = read_file(name, readbuf, sizeof readbuf, 1000);
    CHECK(got == (int32_t)n && memcmp(readbuf, data, n) == 0, "%s: %d bytes, expected %u", name, got, n);
}

static void expect_fsck(void)
{
    struct fs_fsck r;
    int rc = fs_fsck(&fs, &r);
    CHECK(rc == 0, "fsck %d: bad %u doubled %u lost %u", rc, r.bad_crc, r.doubled, r.lost);
}

/* ---- the API ---- */
static void basic(void)
{
    fresh(128);
    RC(fs_mount(&fs, &rb.bd), FS_ENOFS);
    RC(fs_format(&fs, &rb.bd), 0);
    RC(fs_mount(&fs, &rb.bd), 0);
    expect_fsck();
    struct fs_usage u;
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.used == 1 && u.free == 127 && u.files == 0, "usage %u %u", u.used, u.free);

    /* create, read back */
    write_file("a", "hello", 5);
    struct fs_stat st;
    RC(fs_stat(&fs, "a", &st), 0);
    CHECK(st.size == 5 && st.blocks == 1, "stat %u %u", st.size, st.blocks);
    expect_content("a", "hello", 5);

    /* seek and overwrite; seek past the end refused */
    int fd = fs_open(&fs, "a", FS_O_RDWR);
    CHECK(fd >= 0, "%d", fd);
    RC(fs_seek(&fs, fd, 1, FS_SEEK_SET), 1);
    RC(fs_write(&fs, fd, "EL", 2), 2);
    RC(fs_seek(&fs, fd, -1, FS_SEEK_END), 4);
    RC(fs_write(&fs, fd, "O!", 2), 2);
    RC(fs_seek(&fs, fd, 1, FS_SEEK_END), FS_EINVAL);
    RC(fs_seek(&fs, fd, -7, FS_SEEK_CUR), FS_EINVAL);
    RC(fs_seek(&fs, fd, 0, FS_SEEK_SET), 0);
    char b[16] = {0};
    RC(fs_read(&fs, fd, b, sizeof b), 6); /* a writer sees its own writes before the commit */
    CHECK(memcmp(b, "hELlO!", 6) == 0, "%s", b);
    RC(fs_stat(&fs, "a", &st), 0); /* not committed yet: the old size */
    CHECK(st.size == 5, "%u", st.size);
    RC(fs_close(&fs, fd), 0);
    expect_content("a", "hELlO!", 6);

    /* append: every write at the end */
    fd = fs_open(&fs, "a", FS_O_WRONLY | FS_O_APPEND);
    RC(fs_write(&fs, fd, "+", 1), 1);
    RC(fs_seek(&fs, fd, 0, FS_SEEK_SET), 0);
    RC(fs_write(&fs, fd, "-", 1), 1);
    RC(fs_close(&fs, fd), 0);
    expect_content("a", "hELlO!+-", 8);
    fd = fs_open(&fs, "new", FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND);
    RC(fs_write(&fs, fd, "x", 1), 1);
    RC(fs_close(&fs, fd), 0);
    expect_content("new", "x", 1);

    /* rename over an existing file replaces it */
    write_file("b", "bbb", 3);
    RC(fs_rename(&fs, "a", "b"), 0);
    RC(fs_stat(&fs, "a", &st), FS_ENOENT);
    expect_content("b", "hELlO!+-", 8);
    RC(fs_rename(&fs, "zz", "b"), FS_ENOENT);
    RC(fs_rename(&fs, "b", "b"), 0);
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.used == 3 && u.files == 2, "usage %u %u", u.used, u.files);
    expect_fsck();

    /* remove */
    RC(fs_remove(&fs, "b"), 0);
    RC(fs_remove(&fs, "b"), FS_ENOENT);
    RC(fs_remove(&fs, "new"), 0);
    RC(fs_stat(&fs, "b", &st), FS_ENOENT);
    RC(fs_open(&fs, "b", FS_O_RDONLY), FS_ENOENT);
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.used == 1 && u.free == 127 && u.files == 0, "usage %u %u", u.used, u.free);

    /* names */
    const char *n31 = "0123456789/123456789/123456789/";
    CHECK(strlen(n31) == 31, "%zu", strlen(n31));
    write_file(n31, "31", 2);
    expect_content(n31, "31", 2);
    RC(fs_open(&fs, "0123456789/123456789/123456789/x", FS_O_WRONLY | FS_O_CREAT), FS_ENAMETOOLONG);
    RC(fs_open(&fs, "", FS_O_WRONLY | FS_O_CREAT), FS_ENAMETOOLONG);
    RC(fs_rename(&fs, n31, "0123456789/123456789/123456789/x"), FS_ENAMETOOLONG);
    RC(fs_remove(&fs, n31), 0);

    /* listing by prefix, in name order */
    write_file("log/2", "2", 1);
    write_file("log/1", "1", 1);
    write_file("cfg/x", "x", 1);
    write_file("log2", "l", 1);
    const char *want_log[] = {"log/1", "log/2"}, *want_all[] = {"cfg/x", "log/1", "log/2", "log2"};
    uint32_t cursor = 0, n = 0;
    while (fs_list(&fs, "log/", &cursor, &st) == 1) {
        CHECK(n < 2 && strcmp(st.name, want_log[n]) == 0 && st.size == 1, "list log/: %s", st.name);
        n++;
    }
    CHECK(n == 2, "%u", n);
    cursor = n = 0;
    while (fs_list(&fs, "", &cursor, &st) == 1) {
        CHECK(n < 4 && strcmp(st.name, want_all[n]) == 0, "list: %s", st.name);
        n++;
    }
    CHECK(n == 4, "%u", n);

    /* errors */
    RC(fs_open(&fs, "cfg/x", FS_O_WRONLY | FS_O_CREAT | FS_O_EXCL), FS_EEXIST);
    RC(fs_open(&fs, "cfg/x", 0), FS_EINVAL);
    RC(fs_open(&fs, "cfg/x", FS_O_RDONLY | FS_O_TRUNC), FS_EINVAL);
    fd = fs_open(&fs, "cfg/x", FS_O_RDONLY);
    RC(fs_write(&fs, fd, "y", 1), FS_EBADF);
    RC(fs_open(&fs, "cfg/x", FS_O_RDWR), FS_EBUSY);
    RC(fs_remove(&fs, "cfg/x"), FS_EBUSY);
    RC(fs_rename(&fs, "cfg/x", "q"), FS_EBUSY);
    RC(fs_rename(&fs, "log2", "cfg/x"), FS_EBUSY);
    RC(fs_close(&fs, fd), 0);
    RC(fs_close(&fs, fd), FS_EBADF);
    RC(fs_read(&fs, 7, b, 1), FS_EBADF);
    RC(fs_read(&fs, -1, b, 1), FS_EBADF);
    fd = fs_open(&fs, "cfg/x", FS_O_WRONLY);
    RC(fs_read(&fs, fd, b, 1), FS_EBADF);
    RC(fs_close(&fs, fd), 0);

    /* four open at once, written in turn; a fifth refused */
    int fds[4];
    const char *four[] = {"o/0", "o/1", "o/2", "o/3"};
    for (int i = 0; i < 4; i++) {
        fds[i] = fs_open(&fs, four[i], FS_O_RDWR | FS_O_CREAT);
        CHECK(fds[i] >= 0, "%d", fds[i]);
    }
    RC(fs_open(&fs, "o/4", FS_O_WRONLY | FS_O_CREAT), FS_EMFILE);
    static uint8_t pattern[4][20000];
    for (int i = 0; i < 4; i++) {
        fill_bytes(pattern[i], sizeof pattern[i], 100 + (uint64_t)i);
    }
    for (uint32_t at = 0; at < 20000; at += 2500) {
        for (int i = 0; i < 4; i++) {
            RC(fs_write(&fs, fds[i], pattern[i] + at, 2500), 2500);
        }
    }
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.pending > 0, "%u", u.pending);
    expect_fsck(); /* with pending blocks */
    for (int i = 0; i < 4; i++) {
        RC(fs_close(&fs, fds[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        expect_content(four[i], pattern[i], 20000);
    }

    /* sync is a commit; what follows it is lost if the file is never closed */
    fd = fs_open(&fs, "s", FS_O_WRONLY | FS_O_CREAT);
    RC(fs_write(&fs, fd, pattern[0], 5000), 5000);
    RC(fs_sync(&fs, fd), 0);
    RC(fs_write(&fs, fd, pattern[1], 5000), 5000);
    fs_unmount(&fs); /* as a reset would */
    RC(fs_mount(&fs, &rb.bd), 0);
    expect_content("s", pattern[0], 5000);
    expect_fsck();

    /* a file larger than 200 KiB, read back in odd chunks after a remount */
    static uint8_t big[300 * 1024];
    fill_bytes(big, sizeof big, 7);
    fd = fs_open(&fs, "img/big", FS_O_WRONLY | FS_O_CREAT);
    for (uint32_t at = 0; at < sizeof big; at += 1000) {
        uint32_t k = sizeof big - at < 1000 ? sizeof big - at : 1000;
        RC(fs_write(&fs, fd, big + at, k), k);
    }
    RC(fs_close(&fs, fd), 0);
    fs_unmount(&fs);
    RC(fs_mount(&fs, &rb.bd), 0);
    RC(fs_stat(&fs, "img/big", &st), 0);
    CHECK(st.size == sizeof big && st.blocks == (sizeof big + FS_DATA_PAYLOAD - 1) / FS_DATA_PAYLOAD + 1, "%u %u",
          st.size, st.blocks);
    CHECK(read_file("img/big", readbuf, sizeof readbuf, 777) == (int32_t)sizeof big
          && memcmp(readbuf, big, sizeof big) == 0, "img/big differs");
    /* change its middle, read it back */
    fd = fs_open(&fs, "img/big", FS_O_RDWR);
    RC(fs_seek(&fs, fd, 150000, FS_SEEK_SET), 150000);
    RC(fs_write(&fs, fd, "MIDDLE", 6), 6);
    RC(fs_close(&fs, fd), 0);
    memcpy(big + 150000, "MIDDLE", 6);
    expect_content("img/big", big, sizeof big);
    expect_fsck();
    RC(fs_remove(&fs, "img/big"), 0);

    /* full: ENOSPC (at a write or at the commit), then a remove makes room */
    uint32_t files = 0;
    int full = 0;
    char name[16];
    while (!full && files < 80) {
        snprintf(name, sizeof name, "fill/%u", files);
        fd = fs_open(&fs, name, FS_O_WRONLY | FS_O_CREAT);
        CHECK(fd >= 0, "%d", fd);
        int32_t w = fs_write(&fs, fd, big, 20000);
        int rc = fs_close(&fs, fd);
        if (w != 20000 || rc != 0) {
            CHECK(w == FS_ENOSPC || w >= 0, "write %d", w);
            CHECK(rc == FS_ENOSPC, "close %d", rc);
            full = 1;
        }
        files++;
    }
    CHECK(full, "never full");
    RC(fs_stat(&fs, name, &st), FS_ENOENT); /* the one that did not fit is not there */
    expect_fsck();
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.free <= 6 && u.pending == 0, "free %u when full", u.free);
    fd = fs_open(&fs, "fill/more", FS_O_WRONLY | FS_O_CREAT);
    fs_write(&fs, fd, big, 20000);
    RC(fs_close(&fs, fd), FS_ENOSPC);
    RC(fs_remove(&fs, "fill/0"), 0);
    RC(fs_remove(&fs, "fill/1"), 0);
    write_file("fill/more", big, 20000);
    expect_content("fill/more", big, 20000);
    expect_fsck();
    fs_unmount(&fs);
    RC(fs_mount(&fs, &rb.bd), 0);
    expect_fsck();

    /* many files: the list holds FS_MAX_FILES */
    RC(fs_format(&fs, &rb.bd), 0);
    for (uint32_t i = 0; i < FS_MAX_FILES; i++) {
        snprintf(name, sizeof name, "many/%03u", i);
        write_file(name, name, (uint32_t)strlen(name));
    }
    fd = fs_open(&fs, "many/one-more", FS_O_WRONLY | FS_O_CREAT);
    RC(fs_close(&fs, fd), FS_ENOSPC);
    fs_unmount(&fs);
    RC(fs_mount(&fs, &rb.bd), 0);
    cursor = n = 0;
    while (fs_list(&fs, "many/", &cursor, &st) == 1) {
        snprintf(name, sizeof name, "many/%03u", n);
        CHECK(strcmp(st.name, name) == 0, "%s", st.name);
        n++;
    }
    CHECK(n == FS_MAX_FILES, "%u", n);
    expect_content("many/042", "many/042", 8);
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.used == 1 + FS_MAX_FILES, "%u", u.used);
    expect_fsck();
    for (uint32_t i = 0; i < FS_MAX_FILES; i++) {
        snprintf(name, sizeof name, "many/%03u", i);
        RC(fs_remove(&fs, name), 0);
    }
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.used == 1 && u.files == 0, "%u", u.used);

    /* fsck sees a flipped bit, a lost block and a doubly used one */
    write_file("c", pattern[0], 9000);
    expect_fsck();
    struct fs_fsck r;
    fs.used[100 / 8] |= 1u << (100 % 8); /* the map says used, nothing reaches it */
    RC(fs_fsck(&fs, &r), FS_ELOST);
    fs.used[100 / 8] &= (uint8_t)~(1u << (100 % 8));
    int head = fs.files[0].head;
    fs.used[head / 8] &= (uint8_t)~(1u << (head % 8)); /* reached but counted free */
    RC(fs_fsck(&fs, &r), FS_EDOUBLE);
    fs.used[head / 8] |= (uint8_t)(1u << (head % 8));
    expect_fsck();
    int32_t data_block = -1;
    for (uint32_t b = 0; b < 128 && data_block < 0; b++) {
        if (b != (uint32_t)head && b != fs.meta_block && (fs.used[b / 8] >> (b % 8) & 1)) {
            data_block = (int32_t)b;
        }
    }
    mem[data_block * FS_BLOCK_SIZE + 100] ^= 4;
    RC(fs_fsck(&fs, &r), FS_ECORRUPT);
    CHECK(read_file("c", readbuf, sizeof readbuf, 9000) == FS_ECORRUPT, "a bad block read");
    mem[data_block * FS_BLOCK_SIZE + 100] ^= 4;
    expect_fsck();

    /* formatting again: an empty file system, numbered above what was there */
    uint32_t seq = fs.seq;
    RC(fs_format(&fs, &rb.bd), 0);
    CHECK(fs.seq > seq, "%u %u", fs.seq, seq);
    RC(fs_mount(&fs, &rb.bd), 0);
    RC(fs_usage(&fs, &u), 0);
    CHECK(u.files == 0 && u.used == 1, "%u", u.files);
    CHECK(rb.overwrites == 0, "%u programs of bytes not erased", rb.overwrites);
    printf("host basic: %s\n", failures ? "FAILED" : "ok");
}

/* ---- the power-cut sweep ---- */
#define NAMES 8
#define SLOTS 3
#define MSIZE (3 * FS_DATA_PAYLOAD)
static const char *const NAME[NAMES] = {"cfg/meter", "log/events", "freeze/day", "freeze/month",
                                        "img/a",     "img/b",      "tmp/x",      "0123456789/123456789/12345678/."};

struct mfile {
    int exists;
    uint32_t size;
    uint8_t data[MSIZE];
};

struct mhandle {
    int open, name, flags, fd;
    uint32_t pos;
    struct mfile c;
};

struct model {
    struct mfile f[NAMES];
    struct mhandle h[SLOTS];
};

enum { OPEN, WRITE, SEEK, READ, SYNC, CLOSE, REMOVE, RENAME };
static const char *const OP_NAME[] = {"open", "write", "seek", "read", "sync", "close", "remove", "rename"};

struct op {
    int kind, slot, name, name2, flags;
    uint32_t len, pos;
    uint64_t seed;
};

static int name_open(const struct model *m, int name)
{
    for (int s = 0; s < SLOTS; s++) {
        if (m->h[s].open && m->h[s].name == name) {
            return 1;
        }
    }
    return 0;
}

static uint32_t pick(uint64_t *rng, uint32_t n) { return (uint32_t)(ram_bd_next(rng) % n); }

/* the next operation for the model's state (the same state and rng give the same operation) */
static struct op next_op(const struct model *m, uint64_t *rng)
{
    for (;;) {
        struct op o = {0};
        o.kind = (int)pick(rng, 17);
        o.kind = o.kind < 3 ? OPEN : o.kind < 9 ? WRITE : o.kind < 10 ? SEEK : o.kind < 11 ? READ
               : o.kind < 12 ? SYNC : o.kind < 15 ? CLOSE : o.kind < 16 ? REMOVE : RENAME;
        o.slot = (int)pick(rng, SLOTS);
        o.name = (int)pick(rng, NAMES);
        o.name2 = (int)pick(rng, NAMES);
        o.seed = ram_bd_next(rng);
        const struct mhandle *h = &m->h[o.slot];
        switch (o.kind) {
        case OPEN:
            if (h->open || name_open(m, o.name)) {
                continue;
            }
            o.flags = (int)pick(rng, 3);
            o.flags = o.flags == 0 || !m->f[o.name].exists ? FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC
                    : o.flags == 1 ? FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND : FS_O_RDWR;
            return o;
        case WRITE: {
            if (!h->open || !(h->flags & FS_O_WRONLY)) {
                continue;
            }
            uint32_t at = (h->flags & FS_O_APPEND) ? h->c.size : h->pos;
            if (at >= MSIZE) {
                continue;
            }
            o.len = 1 + pick(rng, 5000);
            if (o.len > MSIZE - at) {
                o.len = MSIZE - at;
            }
            return o;
        }
        case SEEK:
        case READ:
            if (!h->open || (h->flags & FS_O_APPEND) || (o.kind == READ && !(h->flags & FS_O_RDONLY))) {
                continue;
            }
            o.pos = pick(rng, h->c.size + 1);
            o.len = 1 + pick(rng, 3000);
            return o;
        case SYNC:
        case CLOSE:
            if (!h->open) {
                continue;
            }
            return o;
        case REMOVE:
            if (!m->f[o.name].exists || name_open(m, o.name)) {
                continue;
            }
            return o;
        default: /* RENAME */
            if (!m->f[o.name].exists || name_open(m, o.name) || name_open(m, o.name2) || o.name == o.name2) {
                continue;
            }
            return o;
        }
    }
}

static uint8_t gen[5000];

/* what the operation does to the model */
static void apply(struct model *m, const struct op *o)
{
    struct mhandle *h = &m->h[o->slot];
    switch (o->kind) {
    case OPEN:
        h->open = 1;
        h->name = o->name;
        h->flags = o->flags;
        h->pos = 0;
        if (o->flags & FS_O_TRUNC) {
            h->c.exists = 1;
            h->c.size = 0;
        } else {
            h->c = m->f[o->name];
        }
        break;
    case WRITE: {
        uint32_t at = (h->flags & FS_O_APPEND) ? h->c.size : h->pos;
        fill_bytes(gen, o->len, o->seed);
        memcpy(h->c.data + at, gen, o->len);
        h->pos = at + o->len;
        if (h->pos > h->c.size) {
            h->c.size = h->pos;
        }
        break;
    }
    case SEEK:
        h->pos = o->pos;
        break;
    case READ:
        h->pos = o->pos + (o->len < h->c.size - o->pos ? o->len : h->c.size - o->pos);
        break;
    case SYNC:
    case CLOSE:
        m->f[h->name] = h->c;
        m->f[h->name].exists = 1;
        h->open = o->kind == SYNC;
        break;
    case REMOVE:
        m->f[o->name].exists = 0;
        break;
    default:
        m->f[o->name2] = m->f[o->name];
        m->f[o->name].exists = 0;
        break;
    }
}

/* the operation on the file system; 0 when it did what the model says */
static int perform(const struct model *m, const struct op *o)
{
    const struct mhandle *h = &m->h[o->slot];
    switch (o->kind) {
    case OPEN: {
        int fd = fs_open(&fs, NAME[o->name], o->flags);
        return fd < 0 ? fd : fd;
    }
    case WRITE:
        fill_bytes(gen, o->len, o->seed);
        return fs_write(&fs, h->fd, gen, o->len) == (int32_t)o->len ? 0 : -1000;
    case SEEK:
        return fs_seek(&fs, h->fd, (int32_t)o->pos, FS_SEEK_SET) == (int32_t)o->pos ? 0 : -1000;
    case READ: {
        static uint8_t got[3000];
        int32_t rc = fs_seek(&fs, h->fd, (int32_t)o->pos, FS_SEEK_SET);
        if (rc < 0) {
            return rc;
        }
        uint32_t want = o->len < h->c.size - o->pos ? o->len : h->c.size - o->pos;
        rc = fs_read(&fs, h->fd, got, o->len);
        if (rc < 0) {
            return rc;
        }
        return rc == (int32_t)want && memcmp(got, h->c.data + o->pos, want) == 0 ? 0 : -1001;
    }
    case SYNC:
        return fs_sync(&fs, h->fd);
    case CLOSE:
        return fs_close(&fs, h->fd);
    case REMOVE:
        return fs_remove(&fs, NAME[o->name]);
    default:
        return fs_rename(&fs, NAME[o->name], NAME[o->name2]);
    }
}

static struct model model, after;

/* the workload until `steps` operations are done or the device lost its supply; 1 if it did */
static int workload(uint32_t steps, struct op *cut_op)
{
    memset(&model, 0, sizeof model);
    uint64_t rng = 2024;
    for (uint32_t i = 0; i < steps; i++) {
        struct op o = next_op(&model, &rng);
        int rc = perform(&model, &o);
        if (rb.dead) {
            after = model;
            apply(&after, &o);
            *cut_op = o;
            return 1;
        }
        if (o.kind == OPEN) {
            CHECK(rc >= 0, "step %u: open %s: %d", i, NAME[o.name], rc);
            model.h[o.slot].fd = rc;
        } else {
            CHECK(rc == 0, "step %u: %s: %d", i, OP_NAME[o.kind], rc);
        }
        int fd = model.h[o.slot].fd;
        apply(&model, &o);
        model.h[o.slot].fd = fd;
    }
    return 0;
}

/* 1 if the file system holds exactly the model's committed files */
static int holds(const struct model *m)
{
    uint32_t n = 0, cursor = 0;
    struct fs_stat st;
    while (fs_list(&fs, "", &cursor, &st) == 1) {
        n++;
    }
    for (int i = 0; i < NAMES; i++) {
        const struct mfile *f = &m->f[i];
        if (!f->exists) {
            if (fs_stat(&fs, NAME[i], &st) != FS_ENOENT) {
                return 0;
            }
            continue;
        }
        n--;
        int32_t got = read_file(NAME[i], readbuf, sizeof readbuf, 4096);
        if (got != (int32_t)f->size || memcmp(readbuf, f->data, f->size) != 0) {
            return 0;
        }
    }
    return n == 0;
}

/* blocks the model's files take: the snapshot, each file's data blocks and its index if it has more than one */
static uint32_t blocks_of(const struct model *m)
{
    uint32_t n = 1;
    for (int i = 0; i < NAMES; i++) {
        uint32_t d = (m->f[i].size + FS_DATA_PAYLOAD - 1) / FS_DATA_PAYLOAD;
        n += m->f[i].exists ? d + (d > 1) : 0;
    }
    return n;
}

#define SWEEP_BLOCKS 64u
#define STEPS 300u

static void sweep(uint64_t limit)
{
    struct op cut_op;
    fresh(SWEEP_BLOCKS);
    RC(fs_format(&fs, &rb.bd), 0);
    ram_bd_power_on(&rb);
    CHECK(!workload(STEPS, &cut_op), "uncut run cut");
    uint64_t calls = rb.calls;
    uint32_t commits = 0;
    for (int i = 0; i < NAMES; i++) {
        commits += (uint32_t)model.f[i].exists;
    }
    if (limit > calls) {
        limit = calls;
    }
    uint32_t cuts = 0, old = 0, new = 0, same = 0, torn_prog = 0, torn_erase = 0, after_call = 0, by_kind[8] = {0};
    for (uint64_t run = 0; run < 2 * limit; run++) {
        uint64_t k = run / 2; /* each call torn, then each call completed and the supply lost right after */
        fresh(SWEEP_BLOCKS);
        rb.rng = 777 + run;
        RC(fs_format(&fs, &rb.bd), 0);
        ram_bd_power_on(&rb);
        rb.cut_at = k;
        rb.cut_after = (int)(run & 1);
        int f0 = failures;
        CHECK(workload(STEPS, &cut_op), "cut %llu: never reached", (unsigned long long)k);
        cuts++;
        by_kind[cut_op.kind]++;
        torn_prog += rb.torn && rb.torn[0] == 'p';
        torn_erase += rb.torn && rb.torn[0] == 'e';
        after_call += rb.torn && rb.torn[0] == 'n';
        const char *torn = rb.torn ? rb.torn : "nothing";
        ram_bd_power_on(&rb);
        int rc = fs_mount(&fs, &rb.bd);
        CHECK(rc == 0, "cut %llu (%s, torn %s): mount %d", (unsigned long long)k, OP_NAME[cut_op.kind], torn, rc);
        if (rc != 0) {
            continue;
        }
        expect_fsck();
        int was_old = holds(&model), was_new = holds(&after);
        CHECK(was_old || was_new, "cut %llu in %s: neither the old nor the new state", (unsigned long long)k,
              OP_NAME[cut_op.kind]);
        const struct model *now = was_new ? &after : &model;
        struct fs_usage u;
        RC(fs_usage(&fs, &u), 0);
        CHECK(u.used == blocks_of(now) && u.free == SWEEP_BLOCKS - u.used && u.pending == 0,
              "cut %llu: used %u, the files take %u", (unsigned long long)k, u.used, blocks_of(now));
        if (was_old && was_new) {
            same++;
        } else if (was_new) {
            new++;
        } else {
            old++;
        }
        /* life goes on: more changes, a remount, all still there */
        static uint8_t more[9000];
        fill_bytes(more, sizeof more, k);
        write_file("after/cut", more, sizeof more);
        if (now->f[0].exists && !name_open(now, 0)) {
            RC(fs_rename(&fs, NAME[0], "after/renamed"), 0);
        }
        if (now->f[2].exists) {
            RC(fs_remove(&fs, NAME[2]), 0);
        }
        expect_fsck();
        fs_unmount(&fs);
        RC(fs_mount(&fs, &rb.bd), 0);
        expect_fsck();
        expect_content("after/cut", more, sizeof more);
        if (failures != f0) {
            printf("  (cut %llu in %s, torn %s)\n", (unsigned long long)k, OP_NAME[cut_op.kind], torn);
            if (failures > 20) {
                break;
            }
        }
    }
    CHECK(rb.overwrites == 0, "%u programs of bytes not erased", rb.overwrites);
    printf("host power-cut sweep: %u steps, %llu program/erase calls, %u cuts (each call torn: %u programs,"
           " %u erases; each call completed and the supply lost right after it: %u); in open %u, write %u, seek/read %u, sync %u, close %u, remove %u, rename %u; mounted"
           " on the old state %u, the new %u, the same either way %u; %u files at the end: %s\n",
           STEPS, (unsigned long long)calls, cuts, torn_prog, torn_erase, after_call, by_kind[OPEN], by_kind[WRITE],
           by_kind[SEEK] + by_kind[READ], by_kind[SYNC], by_kind[CLOSE], by_kind[REMOVE], by_kind[RENAME], old, new,
           same, commits, failures ? "FAILED" : "ok");
}

/* ---- wear ---- */
static void wear(void)
{
    enum { BLOCKS = 64, REWRITES = 2000 };
    fresh(BLOCKS);
    RC(fs_format(&fs, &rb.bd), 0);
    memset(rb.erases, 0, sizeof rb.erases);
    uint8_t record[100];
    for (uint32_t i = 0; i < REWRITES; i++) {
        fill_bytes(record, sizeof record, i);
        write_file("cfg/meter", record, sizeof record);
        if (i % 100 == 99) { /* the rotation survives a remount */
            fs_unmount(&fs);
            RC(fs_mount(&fs, &rb.bd), 0);
        }
    }
    expect_content("cfg/meter", record, sizeof record);
    uint32_t min = UINT32_MAX, max = 0, total = 0;
    for (uint32_t b = 0; b < BLOCKS; b++) {
        min = rb.erases[b] < min ? rb.erases[b] : min;
        max = rb.erases[b] > max ? rb.erases[b] : max;
        total += rb.erases[b];
    }
    CHECK(min > 0 && max * 100 <= min * 110, "erases per block %u - %u", min, max);
    printf("host wear: %u rewrites of a 100-byte file on %u blocks: %u erases, %u - %u per block (max/min %.3f): %s\n",
           REWRITES, BLOCKS, total, min, max, (double)max / min, failures ? "FAILED" : "ok");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "sweep") == 0) {
        sweep(strtoull(argv[2], 0, 10));
    } else {
        basic();
        sweep(UINT64_MAX);
        wear();
    }
    printf("host fs tests: %s\n", failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
