/*
 * The board side of FileSystemTest: the API on the W25Q64JV model, a 64-block region at NOR 0x200000 that
 * arrives erased. Prints "ok WHAT" or "FAIL WHAT: got X" per check, the listing of a 210 000-byte file
 * (whose size and CRC-32 the test recomputes from board.h's content), and "fs basic: N checks, F failed";
 * exit status F.
 */
#include <string.h>

#include "board.h"
#include "nor.h"

#define BLOCKS 64u

static struct fs fs;
static struct nor_bd nor;
static uint32_t checks, failed;

static void check(const char *what, int32_t got, int32_t want)
{
    checks++;
    if (got == want) {
        out("ok ");
        out(what);
        out("\n");
        return;
    }
    failed++;
    out("FAIL ");
    out(what);
    out(": got ");
    out_i(got);
    out(", expected ");
    out_i(want);
    out("\n");
}

static int32_t read_all(const char *name, char *out, uint32_t max)
{
    int fd = fs_open(&fs, name, FS_O_RDONLY);
    if (fd < 0) {
        return fd;
    }
    int32_t n = fs_read(&fs, fd, out, max);
    fs_close(&fs, fd);
    return n;
}

static int32_t same(const char *name, const char *want)
{
    static char got[64];
    int32_t n = read_all(name, got, sizeof got);
    return n == (int32_t)strlen(want) && memcmp(got, want, (size_t)n) == 0 ? 1 : n < 0 ? n : 0;
}

static int put(const char *name, const char *text)
{
    int fd = fs_open(&fs, name, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    if (fd < 0) {
        return fd;
    }
    fs_write(&fs, fd, text, (uint32_t)strlen(text));
    return fs_close(&fs, fd);
}

/* the file equals board.h's content for (name, gen, len), read back in 700-byte pieces */
static int32_t content_same(const char *name, uint32_t gen, uint32_t len)
{
    static uint8_t got[700], want[700];
    struct content c;
    content_start(&c, name, gen, len);
    int fd = fs_open(&fs, name, FS_O_RDONLY);
    if (fd < 0) {
        return fd;
    }
    int32_t ok = 1, n;
    while ((n = fs_read(&fs, fd, got, sizeof got)) > 0) {
        if (content_next(&c, want, (uint32_t)n) != (uint32_t)n || memcmp(got, want, (size_t)n) != 0) {
            ok = 0;
        }
    }
    fs_close(&fs, fd);
    return n < 0 ? n : ok && c.pos == len;
}

int main(void)
{
    clock_divide(CLOCK_DIVIDE);
    nor_init();
    nor_bd_init(&nor, REGION_BASE, BLOCKS, 0);
    check("mount of an erased region: not formatted", fs_mount(&fs, &nor.bd), FS_ENOFS);
    check("format", fs_format(&fs, &nor.bd), 0);
    check("mount", fs_mount(&fs, &nor.bd), 0);

    check("create", put("a", "hello"), 0);
    check("read back", same("a", "hello"), 1);
    struct fs_stat st;
    check("stat", fs_stat(&fs, "a", &st) == 0 ? (int32_t)st.size : -1, 5);

    int fd = fs_open(&fs, "a", FS_O_RDWR);
    check("seek", fs_seek(&fs, fd, 1, FS_SEEK_SET), 1);
    check("overwrite", fs_write(&fs, fd, "EL", 2), 2);
    check("seek past the end", fs_seek(&fs, fd, 6, FS_SEEK_SET), FS_EINVAL);
    check("close", fs_close(&fs, fd), 0);
    check("overwritten", same("a", "hELlo"), 1);

    fd = fs_open(&fs, "a", FS_O_WRONLY | FS_O_APPEND);
    fs_write(&fs, fd, "+1", 2);
    check("append", fs_close(&fs, fd), 0);
    check("appended", same("a", "hELlo+1"), 1);

    check("another", put("b", "bbb"), 0);
    check("rename over", fs_rename(&fs, "a", "b"), 0);
    check("the old name gone", fs_stat(&fs, "a", &st), FS_ENOENT);
    check("the new name has it", same("b", "hELlo+1"), 1);
    check("remove", fs_remove(&fs, "b"), 0);
    check("removed", fs_open(&fs, "b", FS_O_RDONLY), FS_ENOENT);
    check("exclusive create of an existing file", (put("c", "c"), fs_open(&fs, "c", FS_O_WRONLY | FS_O_CREAT | FS_O_EXCL)),
          FS_EEXIST);
    check("bad descriptor", fs_read(&fs, 3, &st, 1), FS_EBADF);
    check("name of 32 bytes", fs_open(&fs, "0123456789/123456789/123456789/x", FS_O_WRONLY | FS_O_CREAT),
          FS_ENAMETOOLONG);

    put("log/2", "2");
    put("log/1", "1");
    put("logx", "x");
    uint32_t cursor = 0, n = 0;
    int32_t order = 1;
    while (fs_list(&fs, "log/", &cursor, &st) == 1) {
        order &= strcmp(st.name, n == 0 ? "log/1" : "log/2") == 0;
        n++;
    }
    check("list by prefix", (int32_t)n, 2);
    check("in name order", order, 1);

    /* four open at once */
    int fds[4];
    static const char *const FOUR[] = {"o/0", "o/1", "o/2", "o/3"};
    for (int i = 0; i < 4; i++) {
        fds[i] = fs_open(&fs, FOUR[i], FS_O_WRONLY | FS_O_CREAT);
    }
    check("a fifth open", fs_open(&fs, "o/4", FS_O_WRONLY | FS_O_CREAT), FS_EMFILE);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++) {
            fs_write(&fs, fds[i], FOUR[i], 3);
        }
    }
    int32_t closed = 0, all = 1;
    for (int i = 0; i < 4; i++) {
        closed += fs_close(&fs, fds[i]);
    }
    check("four closed", closed, 0);
    static const char *const THRICE[] = {"o/0o/0o/0", "o/1o/1o/1", "o/2o/2o/2", "o/3o/3o/3"};
    for (int i = 0; i < 4; i++) {
        all &= same(FOUR[i], THRICE[i]) == 1;
    }
    check("four written in turn", all, 1);

    /* a file larger than 200 KiB */
    check("write 210000 bytes", write_content(&fs, "img/big", FS_O_WRONLY | FS_O_CREAT, "img/big", 1, 210000, 1000), 0);
    fs_unmount(&fs);
    check("remount", fs_mount(&fs, &nor.bd), 0);
    check("read back 210000 bytes", content_same("img/big", 1, 210000), 1);
    check("fsck", print_fsck(&fs), 0);
    list_files(&fs);

    /* full, then a remove makes room */
    uint32_t i = 0;
    int rc = 0;
    char name[] = "fill/00";
    while (rc == 0 && i < 40) {
        name[5] = (char)('0' + i / 10);
        name[6] = (char)('0' + i % 10);
        rc = write_content(&fs, name, FS_O_WRONLY | FS_O_CREAT, name, 1, 9000, 1000);
        i++;
    }
    check("full", rc, FS_ENOSPC);
    check("the one that did not fit is not there", fs_stat(&fs, name, &st), FS_ENOENT);
    check("fsck when full", print_fsck(&fs), 0);
    check("remove the big file", fs_remove(&fs, "img/big"), 0);
    check("written after the remove", write_content(&fs, name, FS_O_WRONLY | FS_O_CREAT, name, 1, 9000, 1000), 0);
    check("its content", content_same(name, 1, 9000), 1);
    fs_unmount(&fs);
    check("remount", fs_mount(&fs, &nor.bd), 0);
    check("fsck at the end", print_fsck(&fs), 0);
    out("fs basic: ");
    out_u(checks);
    out(" checks, ");
    out_u(failed);
    out(" failed\n");
    return (int)failed;
}
