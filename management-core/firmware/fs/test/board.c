/* board.h */
#include "board.h"

#include <string.h>

void out(const char *text) { console_write(text); }

void out_u(uint32_t value) { console_unsigned(value); }

void out_i(int32_t value)
{
    if (value < 0) {
        out("-");
        out_u((uint32_t)-value);
    } else {
        out_u((uint32_t)value);
    }
}

void out_x(uint32_t value)
{
    char text[9];
    for (int i = 7; i >= 0; i--) {
        text[i] = "0123456789abcdef"[value & 15];
        value >>= 4;
    }
    text[8] = 0;
    out(text);
}

void clock_divide(uint32_t divisor)
{
    static const uint32_t HPRE[] = {1, 2, 4, 8, 16, 64, 128, 256, 512};
    uint32_t code = 0;
    for (uint32_t i = 1; i < sizeof HPRE / sizeof HPRE[0]; i++) {
        if (HPRE[i] == divisor) {
            code = 0x7 + i; /* 1000: /2 ... 1111: /512 */
        }
    }
    volatile uint32_t *cfgr = (volatile uint32_t *)0x40023808u; /* RCC_CFGR, HPRE bits 7:4 */
    *cfgr = (*cfgr & ~0xF0u) | code << 4;
}

static void put_decimal(char *text, uint32_t *at, uint32_t value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n > 0) {
        text[(*at)++] = digits[--n];
    }
}

static void put_text(char *text, uint32_t *at, const char *s)
{
    size_t n = strlen(s);
    memcpy(text + *at, s, n);
    *at += (uint32_t)n;
}

void content_start(struct content *c, const char *name, uint32_t gen, uint32_t len)
{
    uint32_t at = 0;
    put_text(c->header, &at, "MTFS-TEST ");
    put_text(c->header, &at, name);
    put_text(c->header, &at, " gen ");
    put_decimal(c->header, &at, gen);
    put_text(c->header, &at, " len ");
    put_decimal(c->header, &at, len);
    put_text(c->header, &at, "\n");
    c->header_len = at;
    c->len = len;
    c->pos = 0;
    c->x = fs_crc32(0, c->header, at);
}

uint32_t content_next(struct content *c, uint8_t *out, uint32_t size)
{
    uint32_t n = 0;
    while (n < size && c->pos < c->len) {
        if (c->pos < c->header_len) {
            out[n] = (uint8_t)c->header[c->pos];
        } else {
            c->x = c->x * 1664525u + 1013904223u;
            out[n] = (uint8_t)(c->x >> 24);
        }
        n++;
        c->pos++;
    }
    return n;
}

int write_content(struct fs *fs, const char *name, int flags, const char *content_name, uint32_t gen, uint32_t len,
                  uint32_t chunk)
{
    static uint8_t buffer[1024];
    struct content c;
    content_start(&c, content_name, gen, len);
    int fd = fs_open(fs, name, flags);
    if (fd < 0) {
        return fd;
    }
    for (;;) {
        uint32_t n = content_next(&c, buffer, chunk < sizeof buffer ? chunk : sizeof buffer);
        if (n == 0) {
            break;
        }
        for (uint32_t done = 0; done < n;) { /* a short write: the next one says why */
            int32_t w = fs_write(fs, fd, buffer + done, n - done);
            if (w <= 0) {
                fs_close(fs, fd);
                return w < 0 ? w : FS_EIO;
            }
            done += (uint32_t)w;
        }
    }
    return fs_close(fs, fd);
}

int list_files(struct fs *fs)
{
    static uint8_t buffer[1024];
    uint32_t cursor = 0, files = 0;
    struct fs_stat st;
    int rc;
    while ((rc = fs_list(fs, "", &cursor, &st)) == 1) {
        int fd = fs_open(fs, st.name, FS_O_RDONLY);
        if (fd < 0) {
            return fd;
        }
        uint32_t crc = 0, size = 0;
        int32_t n;
        while ((n = fs_read(fs, fd, buffer, sizeof buffer)) > 0) {
            crc = fs_crc32(crc, buffer, (uint32_t)n);
            size += (uint32_t)n;
        }
        fs_close(fs, fd);
        if (n < 0) {
            return n;
        }
        out("file ");
        out(st.name);
        out(" ");
        out_u(size);
        out(" ");
        out_x(crc);
        out("\n");
        files++;
    }
    out("files ");
    out_u(files);
    out("\n");
    return rc;
}

int print_fsck(struct fs *fs)
{
    struct fs_fsck r = {0};
    int rc = fs_fsck(fs, &r);
    out("fsck ");
    out_i(rc);
    out(" files ");
    out_u(r.files);
    out(" reachable ");
    out_u(r.reachable);
    out(" free ");
    out_u(r.free);
    out(" bad ");
    out_u(r.bad_crc);
    out(" doubled ");
    out_u(r.doubled);
    out(" lost ");
    out_u(r.lost);
    out("\n");
    struct fs_usage u = {0};
    fs_usage(fs, &u);
    out("usage used ");
    out_u(u.used);
    out(" free ");
    out_u(u.free);
    out(" pending ");
    out_u(u.pending);
    out("\n");
    return rc;
}
