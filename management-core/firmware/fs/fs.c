/*
 * MTFS, the management core's power-safe NOR file system: see fs.h and docs/file-system.md for the format
 * and the argument that a power cut at any instant leaves the previous or the new state.
 *
 * Every block starts with an 8-byte header: magic "MTFS" (4D 54 46 53) and a kind byte, then FF FF FF.
 * Only a block's used length is written, read and checked (the rest stays erased and is never looked at):
 *   snapshot (kind 0x3C): the file list, the commit point. Bytes 8-31: seq, ~seq, block count, allocator
 *     cursor, file count; 32..: n entries of 44 bytes (n <= FS_MAX_FILES); then the CRC-32 of all before it.
 *   index (kind 0x5A): a file's n data blocks, 8 bytes each from byte 8: block (u16), FF FF, CRC-32 (u32);
 *     used length 8 + 8 n.
 *   data (kind 0xC3): FS_DATA_PAYLOAD bytes of a file; used length 8 + the file's bytes in it.
 * An index's and a data block's CRC-32 (of its used length) is kept by whoever points at it.
 * The kinds are chosen so that no kind can be turned into another by clearing bits (a torn program) or
 * setting bytes to FF (a torn erase).
 */
#include "fs.h"

#include <string.h>

enum {
    MAGIC = 0x5346544Du, /* "MTFS" little-endian */
    KIND_SNAPSHOT = 0x3C, KIND_INDEX = 0x5A, KIND_DATA = 0xC3,
    NONE = 0xFFFF,
    SNAP_HEADER = 32, ENTRY_SIZE = 44,
    /* blocks the allocator keeps back: data leaves 2 (a file's index, then a snapshot), an index 1 */
    RESERVE_DATA = 2, RESERVE_INDEX = 1, RESERVE_SNAPSHOT = 0,
};

/* ---- little-endian fields ---- */
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* ---- CRC-32, four bits at a time ---- */
uint32_t fs_crc32(uint32_t crc, const void *data, uint32_t size)
{
    static const uint32_t T[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
    };
    const uint8_t *p = data;
    crc = ~crc;
    for (uint32_t i = 0; i < size; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ T[crc & 15];
        crc = (crc >> 4) ^ T[crc & 15];
    }
    return ~crc;
}

/* ---- the allocator's map ---- */
static int is_used(const struct fs *fs, uint32_t b) { return fs->used[b >> 3] >> (b & 7) & 1; }
static void set_used(struct fs *fs, uint32_t b) { fs->used[b >> 3] |= (uint8_t)(1u << (b & 7)); }
static void clear_used(struct fs *fs, uint32_t b) { fs->used[b >> 3] &= (uint8_t)~(1u << (b & 7)); }

static uint32_t count_used(const struct fs *fs)
{
    uint32_t n = 0;
    for (uint32_t b = 0; b < fs->block_count; b++) {
        n += (uint32_t)is_used(fs, b);
    }
    return n;
}

/* The next free block from the cursor on (the rotation is the wear levelling), keeping `reserve` free. */
static int alloc(struct fs *fs, uint32_t reserve)
{
    if (fs->block_count - count_used(fs) <= reserve) {
        return FS_ENOSPC;
    }
    for (uint32_t i = 0; i < fs->block_count; i++) {
        uint32_t b = (fs->cursor + i) % fs->block_count;
        if (!is_used(fs, b)) {
            set_used(fs, b);
            fs->cursor = (uint16_t)((b + 1) % fs->block_count);
            return (int)b;
        }
    }
    return FS_ENOSPC;
}

/* ---- block device ---- */
static int bd_read(struct fs *fs, uint32_t block, uint32_t offset, void *out, uint32_t size)
{
    if (fs->bd->read(fs->bd->ctx, block, offset, out, size) != 0) {
        fs->failed = 1;
        return FS_EIO;
    }
    return 0;
}

/* CRC-32 of a block's first `len` bytes as the device holds them */
static int block_crc(struct fs *fs, uint32_t block, uint32_t len, uint32_t *crc)
{
    uint8_t chunk[256];
    uint32_t c = 0;
    for (uint32_t at = 0; at < len; at += sizeof chunk) {
        uint32_t n = len - at < sizeof chunk ? len - at : sizeof chunk;
        int rc = bd_read(fs, block, at, chunk, n);
        if (rc) {
            return rc;
        }
        c = fs_crc32(c, chunk, n);
    }
    *crc = c;
    return 0;
}

/* A block's first `len` bytes into `out`: they must have the CRC `crc` and the header of `kind`. */
static int load_block(struct fs *fs, uint32_t block, uint8_t *out, uint32_t len, uint32_t crc, uint8_t kind)
{
    if (block >= fs->block_count) {
        return FS_ECORRUPT;
    }
    int rc = bd_read(fs, block, 0, out, len);
    if (rc) {
        return rc;
    }
    if (fs_crc32(0, out, len) != crc || get32(out) != MAGIC || out[4] != kind) {
        return FS_ECORRUPT;
    }
    return 0;
}

static void block_header(uint8_t *image, uint8_t kind)
{
    put32(image, MAGIC);
    image[4] = kind;
    image[5] = image[6] = image[7] = 0xFF;
}

/*
 * Erases `block`, programs the first `len` bytes of `image` (pages that are all FF are left as erased) and
 * reads them back: 0 and their CRC only when the device holds exactly them. Any failure makes the file
 * system failed (remount).
 */
static int write_block(struct fs *fs, uint32_t block, const uint8_t *image, uint32_t len, uint32_t *crc)
{
    const struct fs_bd *bd = fs->bd;
    uint32_t expected = fs_crc32(0, image, len);
    fs->erases++;
    if (bd->erase(bd->ctx, block) != 0) {
        fs->failed = 1;
        return FS_EIO;
    }
    for (uint32_t at = 0; at < len; at += FS_PROG_SIZE) {
        uint32_t n = len - at < FS_PROG_SIZE ? len - at : FS_PROG_SIZE, i = 0;
        while (i < n && image[at + i] == 0xFF) {
            i++;
        }
        if (i == n) {
            continue;
        }
        fs->progs++;
        if (bd->prog(bd->ctx, block, at, image + at, n) != 0) {
            fs->failed = 1;
            return FS_EIO;
        }
    }
    uint32_t got;
    int rc = block_crc(fs, block, len, &got);
    if (rc) {
        return rc;
    }
    if (got != expected) {
        fs->failed = 1;
        return FS_EIO;
    }
    *crc = expected;
    return 0;
}

/* ---- names and entries ---- */
static int check_name(const char *name)
{
    if (name == 0) {
        return FS_EINVAL;
    }
    size_t n = strlen(name);
    return n == 0 || n > FS_NAME_MAX ? FS_ENAMETOOLONG : 0;
}

static int find(const struct fs *fs, const char *name)
{
    for (uint32_t i = 0; i < fs->nfiles; i++) {
        if (strcmp(fs->files[i].name, name) == 0) {
            return (int)i;
        }
    }
    return FS_ENOENT;
}

static struct fs_file *open_named(struct fs *fs, const char *name)
{
    for (uint32_t i = 0; i < FS_MAX_OPEN; i++) {
        if (fs->open[i].open && strcmp(fs->open[i].name, name) == 0) {
            return &fs->open[i];
        }
    }
    return 0;
}

static uint32_t blocks_for(uint32_t size) { return (size + FS_DATA_PAYLOAD - 1) / FS_DATA_PAYLOAD; }

/* the used length of a file's data block `i`: its header and the file's bytes in it */
static uint32_t data_len(uint32_t size, uint32_t i)
{
    uint32_t rest = size - i * FS_DATA_PAYLOAD;
    return FS_DATA_HEADER + (rest < FS_DATA_PAYLOAD ? rest : FS_DATA_PAYLOAD);
}

static uint32_t index_len(uint32_t nblocks) { return 8 + 8 * nblocks; }

/* An entry as a snapshot may hold it: a name, a size its blocks can hold, its blocks in the region. */
static int entry_sane(const struct fs *fs, const struct fs_entry *e)
{
    uint32_t len = 0;
    while (len < sizeof e->name && e->name[len] != 0) {
        len++;
    }
    if (len == 0 || len == sizeof e->name || e->size > FS_MAX_FILE_SIZE
        || e->nblocks != blocks_for(e->size)) {
        return 0;
    }
    return e->nblocks == 0 ? e->head == NONE : e->head < fs->block_count;
}

static void encode_entry(uint8_t *p, const struct fs_entry *e)
{
    memset(p, 0, FS_NAME_MAX + 1);
    memcpy(p, e->name, strlen(e->name));
    put32(p + 32, e->size);
    put16(p + 36, e->head);
    put16(p + 38, e->nblocks);
    put32(p + 40, e->crc);
}

static void decode_entry(const uint8_t *p, struct fs_entry *e)
{
    memcpy(e->name, p, FS_NAME_MAX + 1);
    e->size = get32(p + 32);
    e->head = get16(p + 36);
    e->nblocks = get16(p + 38);
    e->crc = get32(p + 40);
}

/* ---- snapshots ---- */
struct snap_header {
    uint32_t seq;
    uint16_t cursor;
    uint16_t nfiles;
};

/* The header of a snapshot block as read (first 24 bytes): 1 if it is one, for this region's size. */
static int snapshot_header(const struct fs *fs, const uint8_t *h, struct snap_header *out)
{
    if (get32(h) != MAGIC || h[4] != KIND_SNAPSHOT || (get32(h + 8) ^ get32(h + 12)) != 0xFFFFFFFFu
        || get16(h + 16) != fs->block_count || get16(h + 18) >= fs->block_count || get16(h + 20) > FS_MAX_FILES) {
        return 0;
    }
    out->seq = get32(h + 8);
    out->cursor = get16(h + 18);
    out->nfiles = get16(h + 20);
    return 1;
}

/* A whole snapshot image (in fs->scratch): its CRC and every entry sane, the names in strict order. */
static int snapshot_valid(const struct fs *fs, const uint8_t *image, const struct snap_header *h)
{
    uint32_t len = SNAP_HEADER + h->nfiles * ENTRY_SIZE;
    if (get32(image + len) != fs_crc32(0, image, len)) {
        return 0;
    }
    struct fs_entry prev, e;
    for (uint32_t i = 0; i < h->nfiles; i++) {
        decode_entry(image + SNAP_HEADER + i * ENTRY_SIZE, &e);
        if (!entry_sane(fs, &e) || (i > 0 && strcmp(prev.name, e.name) >= 0)) {
            return 0;
        }
        prev = e;
    }
    return 1;
}

static void mark_list(struct fs *fs, const struct fs_file *f)
{
    for (uint32_t i = 0; i < f->nblocks; i++) {
        set_used(fs, f->list[i].block);
    }
}

/* The allocator's map from the snapshot (reading its indexes) and the open files' blocks. */
static int rebuild_used(struct fs *fs)
{
    memset(fs->used, 0, sizeof fs->used);
    set_used(fs, fs->meta_block);
    for (uint32_t i = 0; i < fs->nfiles; i++) {
        const struct fs_entry *e = &fs->files[i];
        if (e->nblocks == 0) {
            continue;
        }
        set_used(fs, e->head);
        if (e->nblocks > 1) {
            int rc = load_block(fs, e->head, fs->scratch, index_len(e->nblocks), e->crc, KIND_INDEX);
            if (rc) {
                return rc;
            }
            for (uint32_t k = 0; k < e->nblocks; k++) {
                uint16_t b = get16(fs->scratch + 8 + 8 * k);
                if (b >= fs->block_count) {
                    return FS_ECORRUPT;
                }
                set_used(fs, b);
            }
        }
    }
    for (uint32_t i = 0; i < FS_MAX_OPEN; i++) {
        if (fs->open[i].open) {
            mark_list(fs, &fs->open[i]);
        }
    }
    return 0;
}

/*
 * The commit point of every change: a new snapshot holding the current files without `drop1`, `drop2`
 * and `insert->name`, plus `insert` (each may be NULL), written to a free block with the next sequence
 * number. On success it is the file system's state.
 */
static int commit(struct fs *fs, const char *drop1, const char *drop2, const struct fs_entry *insert)
{
    uint8_t *image = fs->scratch;
    memset(image, 0xFF, FS_BLOCK_SIZE);
    block_header(image, KIND_SNAPSHOT);
    uint32_t n = 0;
    int inserted = insert == 0;
    for (uint32_t i = 0; i <= fs->nfiles; i++) {
        const struct fs_entry *e = i < fs->nfiles ? &fs->files[i] : 0;
        if (e != 0 && ((drop1 && strcmp(e->name, drop1) == 0) || (drop2 && strcmp(e->name, drop2) == 0)
                       || (insert && strcmp(e->name, insert->name) == 0))) {
            continue;
        }
        if (!inserted && (e == 0 || strcmp(insert->name, e->name) < 0)) {
            if (n == FS_MAX_FILES) {
                return FS_ENOSPC;
            }
            encode_entry(image + SNAP_HEADER + n++ * ENTRY_SIZE, insert);
            inserted = 1;
        }
        if (e != 0) {
            if (n == FS_MAX_FILES) {
                return FS_ENOSPC;
            }
            encode_entry(image + SNAP_HEADER + n++ * ENTRY_SIZE, e);
        }
    }
    int block = alloc(fs, RESERVE_SNAPSHOT);
    if (block < 0) {
        return block;
    }
    uint32_t seq = fs->next_seq++;
    put32(image + 8, seq);
    put32(image + 12, ~seq);
    put16(image + 16, (uint16_t)fs->block_count);
    put16(image + 18, fs->cursor);
    put16(image + 20, (uint16_t)n);
    memset(image + 22, 0, SNAP_HEADER - 22);
    uint32_t len = SNAP_HEADER + n * ENTRY_SIZE, crc;
    put32(image + len, fs_crc32(0, image, len));
    int rc = write_block(fs, (uint32_t)block, image, len + 4, &crc);
    if (rc) {
        return rc;
    }
    /* committed: the image is the state */
    fs->meta_block = (uint16_t)block;
    fs->seq = seq;
    fs->nfiles = n;
    for (uint32_t i = 0; i < n; i++) {
        decode_entry(image + SNAP_HEADER + i * ENTRY_SIZE, &fs->files[i]);
    }
    rc = rebuild_used(fs);
    if (rc) {
        fs->failed = 1;
    }
    return rc;
}

/* Reads every block's header: the highest sequence number seen, and the best snapshot below `bound`. */
static int scan(struct fs *fs, int bounded, uint32_t bound_seq, uint32_t bound_block, uint32_t *max_seq,
                int *best, struct snap_header *best_header)
{
    uint8_t h[24];
    *best = -1;
    *max_seq = 0;
    for (uint32_t b = 0; b < fs->block_count; b++) {
        int rc = bd_read(fs, b, 0, h, sizeof h);
        if (rc) {
            return rc;
        }
        struct snap_header s;
        if (!snapshot_header(fs, h, &s)) {
            continue;
        }
        if (s.seq > *max_seq) {
            *max_seq = s.seq;
        }
        if (bounded && !(s.seq < bound_seq || (s.seq == bound_seq && b < bound_block))) {
            continue;
        }
        if (*best < 0 || s.seq > best_header->seq || (s.seq == best_header->seq && b > (uint32_t)*best)) {
            *best = (int)b;
            *best_header = s;
        }
    }
    return 0;
}

static int start(struct fs *fs, const struct fs_bd *bd)
{
    if (bd == 0 || bd->read == 0 || bd->prog == 0 || bd->erase == 0 || bd->block_count < FS_MIN_BLOCKS
        || bd->block_count > FS_MAX_BLOCKS) {
        return FS_EINVAL;
    }
    memset(fs, 0, sizeof *fs);
    fs->bd = bd;
    fs->block_count = bd->block_count;
    return 0;
}

int fs_mount(struct fs *fs, const struct fs_bd *bd)
{
    int rc = start(fs, bd);
    if (rc) {
        return rc;
    }
    int bounded = 0;
    uint32_t bound_seq = 0, bound_block = 0, max_seq = 0;
    for (;;) {
        int best;
        struct snap_header h;
        uint32_t seen;
        rc = scan(fs, bounded, bound_seq, bound_block, &seen, &best, &h);
        if (rc) {
            return rc;
        }
        if (!bounded) {
            max_seq = seen;
        }
        if (best < 0) {
            return FS_ENOFS;
        }
        rc = bd_read(fs, (uint32_t)best, 0, fs->scratch, SNAP_HEADER + h.nfiles * ENTRY_SIZE + 4);
        if (rc) {
            return rc;
        }
        if (snapshot_valid(fs, fs->scratch, &h)) {
            fs->meta_block = (uint16_t)best;
            fs->seq = h.seq;
            fs->cursor = h.cursor;
            fs->nfiles = h.nfiles;
            for (uint32_t i = 0; i < h.nfiles; i++) {
                decode_entry(fs->scratch + SNAP_HEADER + i * ENTRY_SIZE, &fs->files[i]);
            }
            break;
        }
        bounded = 1; /* torn or stale: the next one down */
        bound_seq = h.seq;
        bound_block = (uint32_t)best;
    }
    fs->next_seq = max_seq + 1;
    rc = rebuild_used(fs);
    if (rc) {
        return rc;
    }
    fs->mounted = 1;
    return 0;
}

int fs_format(struct fs *fs, const struct fs_bd *bd)
{
    int rc = start(fs, bd);
    if (rc) {
        return rc;
    }
    int best;
    struct snap_header h;
    uint32_t max_seq;
    rc = scan(fs, 0, 0, 0, &max_seq, &best, &h); /* number the new snapshot above anything left there */
    if (rc) {
        return rc;
    }
    fs->next_seq = max_seq + 1;
    fs->meta_block = NONE;
    rc = commit(fs, 0, 0, 0);
    if (rc) {
        return rc;
    }
    fs->mounted = 1;
    return 0;
}

void fs_unmount(struct fs *fs)
{
    memset(fs->open, 0, sizeof fs->open);
    fs->mounted = 0;
}

static int ready(const struct fs *fs)
{
    if (!fs->mounted) {
        return FS_EINVAL;
    }
    return fs->failed ? FS_EIO : 0;
}

static struct fs_file *file_of(struct fs *fs, int fd)
{
    if (fd < 0 || fd >= (int)FS_MAX_OPEN || !fs->open[fd].open) {
        return 0;
    }
    return &fs->open[fd];
}

/* ---- open files ---- */
int fs_open(struct fs *fs, const char *name, int flags)
{
    int rc = ready(fs);
    if (rc) {
        return rc;
    }
    if ((rc = check_name(name)) != 0) {
        return rc;
    }
    if ((flags & FS_O_RDWR) == 0 || (flags & ~(FS_O_RDWR | FS_O_CREAT | FS_O_EXCL | FS_O_TRUNC | FS_O_APPEND))
        || (!(flags & FS_O_WRONLY) && (flags & (FS_O_CREAT | FS_O_TRUNC | FS_O_APPEND)))) {
        return FS_EINVAL;
    }
    int index = find(fs, name);
    if (index < 0 && !(flags & FS_O_CREAT)) {
        return FS_ENOENT;
    }
    if (index >= 0 && (flags & FS_O_CREAT) && (flags & FS_O_EXCL)) {
        return FS_EEXIST;
    }
    if (open_named(fs, name)) {
        return FS_EBUSY;
    }
    int fd = -1;
    for (uint32_t i = 0; i < FS_MAX_OPEN && fd < 0; i++) {
        if (!fs->open[i].open) {
            fd = (int)i;
        }
    }
    if (fd < 0) {
        return FS_EMFILE;
    }
    struct fs_file *f = &fs->open[fd];
    f->flags = (uint8_t)flags;
    f->dirty_meta = f->buf_dirty = 0;
    f->buf_index = -1;
    f->pos = f->size = f->nblocks = 0;
    memcpy(f->name, name, strlen(name) + 1);
    if (index >= 0 && !(flags & FS_O_TRUNC)) {
        const struct fs_entry *e = &fs->files[index];
        f->size = e->size;
        f->nblocks = e->nblocks;
        if (e->nblocks == 1) {
            f->list[0] = (struct fs_bref){e->head, 0, (uint16_t)data_len(e->size, 0), e->crc};
        } else if (e->nblocks > 1) {
            rc = load_block(fs, e->head, fs->scratch, index_len(e->nblocks), e->crc, KIND_INDEX);
            if (rc) {
                return rc;
            }
            for (uint32_t k = 0; k < e->nblocks; k++) {
                f->list[k] = (struct fs_bref){get16(fs->scratch + 8 + 8 * k), 0, (uint16_t)data_len(e->size, k),
                                              get32(fs->scratch + 12 + 8 * k)};
            }
        }
    } else {
        f->dirty_meta = 1; /* created or truncated: a commit even without a write */
    }
    f->open = 1;
    return fd;
}

/* The dirty buffer to a new block (copy on write): the block it replaces is freed if no snapshot has it. */
static int flush(struct fs *fs, struct fs_file *f)
{
    if (!f->buf_dirty) {
        return 0;
    }
    int block = alloc(fs, RESERVE_DATA);
    if (block < 0) {
        return block;
    }
    uint32_t crc, i = (uint32_t)f->buf_index, len = data_len(f->size, i);
    int rc = write_block(fs, (uint32_t)block, f->buf, len, &crc);
    if (rc) {
        return rc;
    }
    if (i < f->nblocks) {
        if (f->list[i].pending) {
            clear_used(fs, f->list[i].block);
        }
    } else {
        f->nblocks = i + 1;
    }
    f->list[i] = (struct fs_bref){(uint16_t)block, 1, (uint16_t)len, crc};
    f->buf_dirty = 0;
    return 0;
}

/* Logical block `i` into the buffer: read (and checked), or a new one past the last block. */
static int fill(struct fs *fs, struct fs_file *f, uint32_t i)
{
    if (f->buf_index == (int32_t)i) {
        return 0;
    }
    int rc = flush(fs, f);
    if (rc) {
        return rc;
    }
    f->buf_index = -1;
    if (i < f->nblocks) {
        rc = load_block(fs, f->list[i].block, f->buf, f->list[i].len, f->list[i].crc, KIND_DATA);
        if (rc) {
            return rc;
        }
        memset(f->buf + f->list[i].len, 0xFF, FS_BLOCK_SIZE - f->list[i].len);
    } else {
        memset(f->buf, 0xFF, FS_BLOCK_SIZE);
        block_header(f->buf, KIND_DATA);
    }
    f->buf_index = (int32_t)i;
    return 0;
}

int32_t fs_read(struct fs *fs, int fd, void *out, uint32_t size)
{
    int rc = ready(fs);
    struct fs_file *f = file_of(fs, fd);
    if (rc) {
        return rc;
    }
    if (f == 0 || !(f->flags & FS_O_RDONLY)) {
        return FS_EBADF;
    }
    if (size > f->size - f->pos) {
        size = f->size - f->pos;
    }
    uint8_t *p = out;
    uint32_t done = 0;
    while (done < size) {
        uint32_t i = f->pos / FS_DATA_PAYLOAD, at = f->pos % FS_DATA_PAYLOAD;
        rc = fill(fs, f, i);
        if (rc) {
            return done > 0 ? (int32_t)done : rc;
        }
        uint32_t n = FS_DATA_PAYLOAD - at;
        if (n > size - done) {
            n = size - done;
        }
        memcpy(p + done, f->buf + FS_DATA_HEADER + at, n);
        done += n;
        f->pos += n;
    }
    return (int32_t)done;
}

int32_t fs_write(struct fs *fs, int fd, const void *data, uint32_t size)
{
    int rc = ready(fs);
    struct fs_file *f = file_of(fs, fd);
    if (rc) {
        return rc;
    }
    if (f == 0 || !(f->flags & FS_O_WRONLY)) {
        return FS_EBADF;
    }
    if (f->flags & FS_O_APPEND) {
        f->pos = f->size;
    }
    if (size > FS_MAX_FILE_SIZE - f->pos) {
        size = FS_MAX_FILE_SIZE - f->pos;
        if (size == 0) {
            return FS_EFBIG;
        }
    }
    const uint8_t *p = data;
    uint32_t done = 0;
    while (done < size) {
        uint32_t i = f->pos / FS_DATA_PAYLOAD, at = f->pos % FS_DATA_PAYLOAD;
        rc = fill(fs, f, i);
        if (rc) {
            return done > 0 ? (int32_t)done : rc;
        }
        uint32_t n = FS_DATA_PAYLOAD - at;
        if (n > size - done) {
            n = size - done;
        }
        memcpy(f->buf + FS_DATA_HEADER + at, p + done, n);
        f->buf_dirty = 1;
        f->dirty_meta = 1;
        done += n;
        f->pos += n;
        if (f->pos > f->size) {
            f->size = f->pos;
        }
    }
    return (int32_t)done;
}

int32_t fs_seek(struct fs *fs, int fd, int32_t offset, int whence)
{
    int rc = ready(fs);
    struct fs_file *f = file_of(fs, fd);
    if (rc) {
        return rc;
    }
    if (f == 0) {
        return FS_EBADF;
    }
    int64_t base = whence == FS_SEEK_SET ? 0 : whence == FS_SEEK_CUR ? (int64_t)f->pos
                 : whence == FS_SEEK_END ? (int64_t)f->size : -1;
    if (base < 0 || base + offset < 0 || base + offset > (int64_t)f->size) {
        return FS_EINVAL;
    }
    f->pos = (uint32_t)(base + offset);
    return (int32_t)f->pos;
}

int32_t fs_tell(struct fs *fs, int fd)
{
    struct fs_file *f = file_of(fs, fd);
    return f ? (int32_t)f->pos : FS_EBADF;
}

int32_t fs_size(struct fs *fs, int fd)
{
    struct fs_file *f = file_of(fs, fd);
    return f ? (int32_t)f->size : FS_EBADF;
}

int fs_sync(struct fs *fs, int fd)
{
    int rc = ready(fs);
    struct fs_file *f = file_of(fs, fd);
    if (rc) {
        return rc;
    }
    if (f == 0) {
        return FS_EBADF;
    }
    if ((rc = flush(fs, f)) != 0) {
        return rc;
    }
    if (!f->dirty_meta) {
        return 0;
    }
    for (uint32_t k = 0; k < f->nblocks; k++) {
        if (f->list[k].len != data_len(f->size, k)) {
            return FS_ECORRUPT; /* never: every block but the last is full, the last was flushed at this size */
        }
    }
    struct fs_entry e;
    memcpy(e.name, f->name, sizeof e.name);
    e.size = f->size;
    e.nblocks = (uint16_t)f->nblocks;
    e.head = NONE;
    e.crc = 0;
    int index_block = -1;
    if (f->nblocks == 1) {
        e.head = f->list[0].block;
        e.crc = f->list[0].crc;
    } else if (f->nblocks > 1) {
        uint8_t *image = fs->scratch;
        memset(image, 0xFF, FS_BLOCK_SIZE);
        block_header(image, KIND_INDEX);
        for (uint32_t k = 0; k < f->nblocks; k++) {
            put16(image + 8 + 8 * k, f->list[k].block);
            put32(image + 12 + 8 * k, f->list[k].crc);
        }
        index_block = alloc(fs, RESERVE_INDEX);
        if (index_block < 0) {
            return index_block;
        }
        if ((rc = write_block(fs, (uint32_t)index_block, image, index_len(f->nblocks), &e.crc)) != 0) {
            return rc;
        }
        e.head = (uint16_t)index_block;
    }
    rc = commit(fs, 0, 0, &e);
    if (rc) {
        if (index_block >= 0 && !fs->failed) {
            clear_used(fs, (uint32_t)index_block);
        }
        return rc;
    }
    for (uint32_t k = 0; k < f->nblocks; k++) {
        f->list[k].pending = 0;
    }
    f->dirty_meta = 0;
    return 0;
}

int fs_close(struct fs *fs, int fd)
{
    struct fs_file *f = file_of(fs, fd);
    if (f == 0) {
        return FS_EBADF;
    }
    int rc = (f->flags & FS_O_WRONLY) ? fs_sync(fs, fd) : 0;
    f->open = 0;
    if (rc && !fs->failed && fs->mounted) {
        int rebuilt = rebuild_used(fs); /* its pending blocks are free again */
        if (rebuilt) {
            fs->failed = 1;
        }
    }
    return rc;
}

int fs_discard(struct fs *fs, int fd)
{
    struct fs_file *f = file_of(fs, fd);
    if (f == 0) {
        return FS_EBADF;
    }
    f->open = 0;
    if (fs->mounted && !fs->failed && rebuild_used(fs)) { /* its pending blocks are free again */
        fs->failed = 1;
    }
    return 0;
}

/* ---- the file list ---- */
int fs_remove(struct fs *fs, const char *name)
{
    int rc = ready(fs);
    if (rc || (rc = check_name(name)) != 0) {
        return rc;
    }
    if (find(fs, name) < 0) {
        return FS_ENOENT;
    }
    if (open_named(fs, name)) {
        return FS_EBUSY;
    }
    return commit(fs, name, 0, 0);
}

int fs_rename(struct fs *fs, const char *from, const char *to)
{
    int rc = ready(fs);
    if (rc || (rc = check_name(from)) != 0 || (rc = check_name(to)) != 0) {
        return rc;
    }
    int index = find(fs, from);
    if (index < 0) {
        return FS_ENOENT;
    }
    if (open_named(fs, from) || open_named(fs, to)) {
        return FS_EBUSY;
    }
    if (strcmp(from, to) == 0) {
        return 0;
    }
    struct fs_entry e = fs->files[index];
    memset(e.name, 0, sizeof e.name);
    memcpy(e.name, to, strlen(to));
    return commit(fs, from, to, &e);
}

static void stat_of(const struct fs_entry *e, struct fs_stat *out)
{
    memcpy(out->name, e->name, sizeof out->name);
    out->size = e->size;
    out->blocks = e->nblocks + (e->nblocks > 1 ? 1u : 0u);
}

int fs_stat(struct fs *fs, const char *name, struct fs_stat *out)
{
    int rc = ready(fs);
    if (rc || (rc = check_name(name)) != 0) {
        return rc;
    }
    int index = find(fs, name);
    if (index < 0) {
        return index;
    }
    stat_of(&fs->files[index], out);
    return 0;
}

int fs_list(struct fs *fs, const char *prefix, uint32_t *cursor, struct fs_stat *out)
{
    int rc = ready(fs);
    if (rc) {
        return rc;
    }
    size_t n = prefix ? strlen(prefix) : 0;
    for (uint32_t i = *cursor; i < fs->nfiles; i++) {
        const struct fs_entry *e = &fs->files[i];
        if (strlen(e->name) >= n && memcmp(e->name, prefix, n) == 0) {
            stat_of(e, out);
            *cursor = i + 1;
            return 1;
        }
    }
    *cursor = fs->nfiles;
    return 0;
}

static uint32_t pending_blocks(const struct fs *fs)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < FS_MAX_OPEN; i++) {
        const struct fs_file *f = &fs->open[i];
        for (uint32_t k = 0; f->open && k < f->nblocks; k++) {
            n += f->list[k].pending;
        }
    }
    return n;
}

int fs_usage(struct fs *fs, struct fs_usage *out)
{
    int rc = ready(fs);
    if (rc) {
        return rc;
    }
    uint32_t used = count_used(fs), pending = pending_blocks(fs);
    out->block_count = fs->block_count;
    out->used = used - pending;
    out->pending = pending;
    out->free = fs->block_count - used;
    out->files = fs->nfiles;
    return 0;
}

/* ---- fsck ---- */
/* Marks a block reached: 1 the first time, 0 (counted as an error) when out of range or reached before. */
static int reach(const struct fs *fs, uint8_t *map, uint32_t b, struct fs_fsck *r)
{
    if (b >= fs->block_count) {
        r->bad_crc++;
        return 0;
    }
    if (map[b >> 3] >> (b & 7) & 1) {
        r->doubled++;
        return 0;
    }
    map[b >> 3] |= (uint8_t)(1u << (b & 7));
    return 1;
}

static int check_data(struct fs *fs, uint32_t b, uint32_t len, uint32_t crc, struct fs_fsck *r)
{
    uint32_t got;
    int rc = b < fs->block_count ? block_crc(fs, b, len, &got) : 0;
    if (rc) {
        return rc;
    }
    if (b >= fs->block_count || got != crc) {
        r->bad_crc++;
    }
    return 0;
}

int fs_fsck(struct fs *fs, struct fs_fsck *report)
{
    int rc = ready(fs);
    if (rc) {
        return rc;
    }
    struct fs_fsck r = {0};
    uint8_t map[FS_MAX_BLOCKS / 8];
    memset(map, 0, sizeof map);
    /* the snapshot as the device holds it */
    rc = bd_read(fs, fs->meta_block, 0, fs->scratch, SNAP_HEADER + fs->nfiles * ENTRY_SIZE + 4);
    if (rc) {
        return rc;
    }
    struct snap_header h;
    if (!snapshot_header(fs, fs->scratch, &h) || h.seq != fs->seq || h.nfiles != fs->nfiles
        || !snapshot_valid(fs, fs->scratch, &h)) {
        r.bad_crc++;
    }
    r.reachable += (uint32_t)reach(fs, map, fs->meta_block, &r);
    r.files = fs->nfiles;
    for (uint32_t i = 0; i < fs->nfiles; i++) {
        const struct fs_entry *e = &fs->files[i];
        if (!entry_sane(fs, e) || (i > 0 && strcmp(fs->files[i - 1].name, e->name) >= 0)) {
            r.bad_crc++;
            continue;
        }
        if (e->nblocks == 0) {
            continue;
        }
        r.reachable += (uint32_t)reach(fs, map, e->head, &r);
        if (e->nblocks == 1) {
            if ((rc = check_data(fs, e->head, data_len(e->size, 0), e->crc, &r)) != 0) {
                return rc;
            }
            continue;
        }
        rc = load_block(fs, e->head, fs->scratch, index_len(e->nblocks), e->crc, KIND_INDEX);
        if (rc == FS_ECORRUPT) {
            r.bad_crc++;
            continue;
        }
        if (rc) {
            return rc;
        }
        /* the index is in scratch; check_data reads in chunks and leaves it alone */
        for (uint32_t k = 0; k < e->nblocks; k++) {
            uint32_t b = get16(fs->scratch + 8 + 8 * k);
            r.reachable += (uint32_t)reach(fs, map, b, &r);
            if ((rc = check_data(fs, b, data_len(e->size, k), get32(fs->scratch + 12 + 8 * k), &r)) != 0) {
                return rc;
            }
        }
    }
    /* the open files' pending blocks are in the map too, and in no snapshot */
    for (uint32_t i = 0; i < FS_MAX_OPEN; i++) {
        const struct fs_file *f = &fs->open[i];
        for (uint32_t k = 0; f->open && k < f->nblocks; k++) {
            if (f->list[k].pending) {
                reach(fs, map, f->list[k].block, &r); /* not the snapshot's: not counted reachable */
            }
        }
    }
    for (uint32_t b = 0; b < fs->block_count; b++) {
        int reached = map[b >> 3] >> (b & 7) & 1, used = is_used(fs, b);
        if (reached && !used) {
            r.doubled++;
        } else if (used && !reached) {
            r.lost++;
        }
        r.free += (uint32_t)!used;
    }
    if (report) {
        *report = r;
    }
    return r.bad_crc ? FS_ECORRUPT : r.doubled ? FS_EDOUBLE : r.lost ? FS_ELOST : 0;
}
