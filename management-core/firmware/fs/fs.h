/*
 * MTFS: a power-safe file system for the management core's NOR flash (docs/file-system.md).
 *
 * Copy-on-write: file data, file indexes and the metadata (the list of files) are never changed in place.
 * Every change goes to erased blocks; the commit point of every operation is one metadata block, the
 * "snapshot", carrying a sequence number and a CRC-32: mount takes the valid snapshot with the highest
 * sequence number. A power cut at any instant leaves either the previous snapshot or the new one.
 *
 * No malloc: the caller owns `struct fs` (about 44 KiB, put it in .bss). Not reentrant: one thread (or a
 * lock around every call).
 */
#ifndef MTFS_H
#define MTFS_H

#include <stdint.h>

/* Errors: negative return values. The numbers are POSIX errno's where one fits. */
enum {
    FS_OK = 0,
    FS_ENOENT = -2,        /* no such file */
    FS_EIO = -5,           /* the block device failed, or a write did not read back; remount */
    FS_EBADF = -9,         /* not an open file, or not open for that (read on a write-only file...) */
    FS_EBUSY = -16,        /* the file is open (rename, remove, a second open) */
    FS_EEXIST = -17,       /* FS_O_CREAT | FS_O_EXCL and the file exists */
    FS_EINVAL = -22,       /* bad argument: flags, offset, geometry, name */
    FS_EMFILE = -24,       /* FS_MAX_OPEN files already open */
    FS_EFBIG = -27,        /* file larger than FS_MAX_FILE_SIZE */
    FS_ENOSPC = -28,       /* no free block, or the file list is full (FS_MAX_FILES) */
    FS_ENAMETOOLONG = -36, /* name longer than FS_NAME_MAX or empty */
    FS_ECORRUPT = -84,     /* a block failed its CRC, or a structure is impossible */
    FS_ENOFS = -85,        /* mount: no valid snapshot in the region: never formatted */
    FS_ELOST = -86,        /* fsck: a block neither free nor reachable (a space leak) */
    FS_EDOUBLE = -87,      /* fsck: a block both free and used, or used twice */
};

/* Geometry: one block is one W25Q 4 KiB sector. */
#define FS_BLOCK_SIZE 4096u
#define FS_PROG_SIZE 256u      /* a program call never crosses a multiple of this (a NOR page) */
#define FS_MAX_BLOCKS 2048u    /* 8 MiB */
#define FS_MIN_BLOCKS 8u
#define FS_NAME_MAX 31u        /* bytes, without the NUL; any byte but NUL, '/' allowed */
#define FS_MAX_FILES 92u       /* entries of one snapshot */
#define FS_MAX_OPEN 4u
#define FS_DATA_HEADER 8u
#define FS_DATA_PAYLOAD (FS_BLOCK_SIZE - FS_DATA_HEADER) /* 4088 file bytes per data block */
#define FS_INDEX_ENTRIES 511u  /* data blocks of one file */
#define FS_MAX_FILE_SIZE (FS_INDEX_ENTRIES * FS_DATA_PAYLOAD) /* 2 088 968 bytes */

/*
 * The block device: blocks of FS_BLOCK_SIZE bytes numbered 0 .. block_count-1. Callbacks return 0 or a
 * negative error (mapped to FS_EIO). prog only clears bits (NOR): the file system programs only erased
 * bytes, never crossing an FS_PROG_SIZE boundary in one call.
 */
struct fs_bd {
    uint32_t block_count;
    void *ctx;
    int (*read)(void *ctx, uint32_t block, uint32_t offset, void *out, uint32_t size);
    int (*prog)(void *ctx, uint32_t block, uint32_t offset, const void *data, uint32_t size);
    int (*erase)(void *ctx, uint32_t block);
};

/* open flags */
enum {
    FS_O_RDONLY = 1, FS_O_WRONLY = 2, FS_O_RDWR = 3, /* FS_O_RDONLY | FS_O_WRONLY */
    FS_O_CREAT = 4, FS_O_EXCL = 8, FS_O_TRUNC = 16, FS_O_APPEND = 32,
};

enum { FS_SEEK_SET = 0, FS_SEEK_CUR = 1, FS_SEEK_END = 2 };

struct fs_stat {
    char name[FS_NAME_MAX + 1];
    uint32_t size;
    uint32_t blocks; /* blocks it holds: its data blocks, plus its index block when it has more than one */
};

struct fs_usage {
    uint32_t block_count; /* the region */
    uint32_t used;        /* blocks of the committed snapshot: the snapshot, indexes, data */
    uint32_t pending;     /* blocks written for open files, not committed yet */
    uint32_t free;
    uint32_t files;
};

/* What fsck saw; any non-zero error count makes it return an error. */
struct fs_fsck {
    uint32_t files, reachable, free;
    uint32_t bad_crc;  /* index or data blocks failing their CRC, or impossible entries */
    uint32_t doubled;  /* blocks reachable twice, or reachable and counted free */
    uint32_t lost;     /* blocks neither free nor reachable */
};

/* ---- internal state (the caller only allocates it) ---- */
struct fs_entry {
    char name[FS_NAME_MAX + 1];
    uint32_t size;
    uint16_t head;    /* the data block (one block), the index block (more), FS_NONE (empty file) */
    uint16_t nblocks; /* data blocks */
    uint32_t crc;     /* CRC-32 of the block at head */
};

struct fs_bref {
    uint16_t block;
    uint8_t pending; /* written since the last commit of this file: not in any snapshot */
    uint16_t len;    /* the block's used length */
    uint32_t crc;
};

struct fs_file {
    uint8_t open, flags, dirty_meta, buf_dirty;
    int32_t buf_index;   /* logical block held in buf, -1: none */
    uint32_t pos, size, nblocks;
    char name[FS_NAME_MAX + 1];
    struct fs_bref list[FS_INDEX_ENTRIES];
    uint8_t buf[FS_BLOCK_SIZE];
};

struct fs {
    const struct fs_bd *bd;
    uint32_t block_count;
    uint8_t mounted, failed;
    uint16_t meta_block; /* where the current snapshot is */
    uint16_t cursor;     /* the allocator's next candidate (persisted in the snapshot) */
    uint32_t seq;        /* current snapshot's sequence number */
    uint32_t next_seq;   /* above every sequence number ever seen or written */
    uint32_t nfiles;
    uint32_t erases, progs; /* counters since mount, for tests */
    struct fs_entry files[FS_MAX_FILES];
    uint8_t used[FS_MAX_BLOCKS / 8]; /* committed or pending: not free */
    uint8_t scratch[FS_BLOCK_SIZE];  /* snapshot and index images */
    struct fs_file open[FS_MAX_OPEN];
};

/* ---- API ---- */

/* Writes an empty file system over the region (one snapshot; numbered above any snapshot left in it). */
int fs_format(struct fs *fs, const struct fs_bd *bd);

/* Mounts after anything, power cuts included; FS_ENOFS if the region holds no valid snapshot. Read only. */
int fs_mount(struct fs *fs, const struct fs_bd *bd);

/* Forgets open files without committing them (their changes are lost) and unmounts. */
void fs_unmount(struct fs *fs);

/* Returns a descriptor >= 0. A file is open at most once (FS_EBUSY). Nothing is written before close/sync. */
int fs_open(struct fs *fs, const char *name, int flags);
int32_t fs_read(struct fs *fs, int fd, void *out, uint32_t size);
int32_t fs_write(struct fs *fs, int fd, const void *data, uint32_t size);
/* The new position, in 0 .. size (beyond the end: FS_EINVAL). */
int32_t fs_seek(struct fs *fs, int fd, int32_t offset, int whence);
int32_t fs_tell(struct fs *fs, int fd);
int32_t fs_size(struct fs *fs, int fd);
/* The commit point: after it returns 0 the file's new content survives any cut; the file stays open. */
int fs_sync(struct fs *fs, int fd);
/* fs_sync, then the descriptor is free (also when the sync failed: the changes are then lost). */
int fs_close(struct fs *fs, int fd);
/* The descriptor is free and nothing written since the last sync is kept: the file stays as committed (the
   kernel's answer to a process killed with the file open). */
int fs_discard(struct fs *fs, int fd);

int fs_remove(struct fs *fs, const char *name);
/* Atomic; replaces `to` if it exists. Neither may be open. */
int fs_rename(struct fs *fs, const char *from, const char *to);
int fs_stat(struct fs *fs, const char *name, struct fs_stat *out);
/*
 * Listing: the files whose names start with `prefix` ("" for all), in name order (bytewise). Set *cursor to
 * 0 first; returns 1 and fills `out` for each, 0 at the end.
 */
int fs_list(struct fs *fs, const char *prefix, uint32_t *cursor, struct fs_stat *out);
int fs_usage(struct fs *fs, struct fs_usage *out);

/*
 * Reads everything the snapshot reaches, checks every CRC, that no block is reached twice and that the
 * allocator's map is exactly the reachable blocks plus the open files' pending blocks. Returns 0,
 * FS_ECORRUPT, FS_EDOUBLE or FS_ELOST (the first kind found, in that order); `report` may be NULL.
 */
int fs_fsck(struct fs *fs, struct fs_fsck *report);

/* CRC-32 (IEEE 802.3, reflected, as zlib and java.util.zip.CRC32): crc = fs_crc32(0, data, n), chainable. */
uint32_t fs_crc32(uint32_t crc, const void *data, uint32_t size);

#endif
