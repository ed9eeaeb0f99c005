/*
 * The RTOS's device files on the management board (DevicesTest): process E, whose manifest allows
 * /dev/ttyS1 only, drives the RS-485 UART (USART3) through open/read/write/ioctl/poll while the test
 * (the Java side) plays the other end of the line at fixed virtual instants:
 *   100 ms  'Z' framed 2400 8O1: a parity error on the port's default 2400 8E1, dropped and counted
 *   200 ms  "hello\n" at 2400 8E1: E answers "echo:hello\n", then switches the port to 9600 8N1
 *   600 ms  "fast\n" at 9600 8N1 (E waits for it in poll): E answers "echo:fast\n"
 * Before that, with nothing received: a non-blocking read (-EAGAIN) and a read with a 50 ms timeout
 * (-ETIMEDOUT). Then /data (NOR 0x200000, 32 blocks, formatted at the first boot): processes D and K below.
 * The results are printed by the test's main process, which exits 0 when all are as expected.
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "kernel.h"
#include "rtos.h"

#define STACK 1024

struct results {
    int other_port, nonblock, timeout, first_line, set_fast, set_bad, poll, poll_revents, second_line;
    uint32_t timeout_ms;
    struct rtos_tty before, after;
    struct rtos_tty_counters counters;
    char line1[16], line2[16];
    int d_write, d_close, d_rename, d_seek, d_read, d_other, d_list, d_list_end, k_result, tmp_stat, config_stat;
    uint32_t d_size, used_before, used_after, free_after, region;
    char d_text[8], d_listed[16];
    int ee_write, ee_seek, ee_read, ee_same, ee_past, ee_end_read;
    char relay_before, relay_open, relay_after_open, relay_after_close;
    int relay_write_open, relay_busy, relay_write_close, y_result, rtc_open, rtc_set, rtc_bad;
    struct rtos_time rtc_reset, rtc_later;
    int lcd_write, lcd_seek, lcd_read, lcd_past;
    uint8_t lcd_back[4];
    int nor_y, nor_trusted, nor_open, nor_read_only, nor_erase, nor_cross, nor_program, nor_seek, nor_read, nor_same;
    int nor_cut, nor_outside_erase, nor_outside_read, nor_fault, nor_unaligned, n_result;
    uint32_t fails;
};

static struct {
    uint8_t e_stack[STACK] __attribute__((aligned(STACK)));
    union {
        struct results r;
        uint8_t block[512];
    } shared __attribute__((aligned(512)));
} area __attribute__((section(".user"), aligned(2048)));
_Static_assert(sizeof(struct results) <= 512, "the results are one 512-byte MPU region");
static uint8_t main_stack[2048] __attribute__((section(".user"), aligned(2048)));

#define R (&area.shared.r)

/* reads up to a '\n' (kept) into line; the count, or the failing read's result */
static int read_line(int fd, char *line, int size)
{
    int n = 0;
    while (n < size - 1) {
        int k = rtos_read(fd, line + n, (uint32_t)(size - 1 - n));
        if (k <= 0) {
            return k;
        }
        n += k;
        if (line[n - 1] == '\n') {
            break;
        }
    }
    line[n] = 0;
    return n;
}

static void echo(int fd, const char *line, int n)
{
    char out[24] = "echo:";
    memcpy(out + 5, line, (uint32_t)n);
    rtos_write(fd, out, (uint32_t)(5 + n));
    while (rtos_ioctl(fd, RTOS_IOCTL_TTY_DRAIN, 0) > 0) {
        rtos_sleep(1); /* until the last stop bit is out */
    }
}

static int process_e(void *arg)
{
    (void)arg;
    R->other_port = rtos_open("/dev/ttyS2", RTOS_O_RDWR, 0);
    int fd = rtos_open("/dev/ttyS1", RTOS_O_RDWR, 0);
    rtos_ioctl(fd, RTOS_IOCTL_TTY_GET, (uint32_t)&R->before);
    rtos_ioctl(fd, RTOS_IOCTL_SET_NONBLOCK, 1);
    char c;
    R->nonblock = rtos_read(fd, &c, 1);
    rtos_ioctl(fd, RTOS_IOCTL_SET_NONBLOCK, 0);
    rtos_ioctl(fd, RTOS_IOCTL_SET_TIMEOUT, 50);
    uint32_t t0 = rtos_uptime();
    R->timeout = rtos_read(fd, &c, 1);
    R->timeout_ms = rtos_uptime() - t0;
    rtos_ioctl(fd, RTOS_IOCTL_SET_TIMEOUT, RTOS_FOREVER);
    int n = R->first_line = read_line(fd, R->line1, sizeof R->line1);
    if (n > 0) {
        echo(fd, R->line1, n);
    }
    struct rtos_tty bad = {9600, 7, RTOS_PARITY_NONE, 1, 0};
    R->set_bad = rtos_ioctl(fd, RTOS_IOCTL_TTY_SET, (uint32_t)&bad);
    struct rtos_tty fast = {9600, 8, RTOS_PARITY_NONE, 1, 0};
    R->set_fast = rtos_ioctl(fd, RTOS_IOCTL_TTY_SET, (uint32_t)&fast);
    rtos_ioctl(fd, RTOS_IOCTL_TTY_GET, (uint32_t)&R->after);
    struct rtos_pollfd pf = {fd, RTOS_POLLIN, 0};
    R->poll = rtos_poll(&pf, 1, 1000);
    R->poll_revents = pf.revents;
    n = R->second_line = read_line(fd, R->line2, sizeof R->line2);
    if (n > 0) {
        echo(fd, R->line2, n);
    }
    rtos_ioctl(fd, RTOS_IOCTL_TTY_COUNTERS, (uint32_t)&R->counters);
    rtos_close(fd);
    return 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        R->fails++;
        u_puts("FAIL ");
        u_puts(what);
        u_puts("\n");
    }
}

static void put_tty(const struct rtos_tty *t)
{
    u_putu(t->baud);
    u_puts(" ");
    u_putu(t->data_bits);
    u_puts(t->parity == RTOS_PARITY_EVEN ? "E" : t->parity == RTOS_PARITY_ODD ? "O" : "N");
    u_putu(t->stop_bits);
}

static void put_line(const char *line)
{
    char copy[16];
    uint32_t n = 0;
    while (line[n] != 0 && line[n] != '\n' && n < sizeof copy - 1) {
        copy[n] = line[n];
        n++;
    }
    copy[n] = 0;
    u_puts(copy);
}

static const char E_MANIFEST[] = "/dev/ttyS1";

static void put2(uint32_t v)
{
    char two[3] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10), 0};
    u_puts(two);
}

static void put_time(const struct rtos_time *t)
{
    u_putu(t->year);
    u_puts("-");
    put2(t->month);
    u_puts("-");
    put2(t->day);
    u_puts(" ");
    put2(t->hour);
    u_puts(":");
    put2(t->minute);
    u_puts(":");
    put2(t->second);
    u_puts(" weekday ");
    u_putu(t->weekday);
}

/* --- /data: D writes a new configuration under a temporary name, renames it over the old one, reads a
   part back; K writes a file and is killed before closing it: its file is not there afterwards (the
   kernel discards what a killed process had not committed) and no block is lost */

static const char D_MANIFEST[] = "/data/config*";

static int process_d(void *arg)
{
    (void)arg;
    int fd = rtos_open("/data/config.new", RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_TRUNC, 0);
    R->d_write = rtos_write(fd, "tariff=2\n", 9);
    R->d_close = rtos_close(fd);
    R->d_rename = rtos_rename("/data/config.new", "/data/config");
    fd = rtos_open("/data/config", RTOS_O_RDONLY, 0);
    R->d_seek = rtos_lseek(fd, 7, RTOS_SEEK_SET);
    R->d_read = rtos_read(fd, R->d_text, 4);
    rtos_close(fd);
    struct rtos_stat st;
    rtos_stat("/data/config", &st);
    R->d_size = st.size;
    R->d_other = rtos_open("/data/other", RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    uint32_t cursor = 0;
    R->d_list = rtos_readdir("/data/config", &cursor, &st);
    memcpy(R->d_listed, st.name, sizeof R->d_listed - 1);
    R->d_list_end = rtos_readdir("/data/config", &cursor, &st);
    return 0;
}

/* --- the EEPROM and the relay: Y writes 300 bytes across two EEPROM pages and reads them back; opens the
   relay (closed at power-on), is refused a second command while the coil pulse lasts, sees it open, closes
   it again */

static const char Y_MANIFEST[] = "/dev/eeprom /dev/relay /dev/rtc /dev/lcd";

static int process_y(void *arg)
{
    (void)arg;
    uint8_t out[300], in[300];
    for (unsigned i = 0; i < sizeof out; i++) {
        out[i] = (uint8_t)(i * 7 + 1);
    }
    int ee = rtos_open("/dev/eeprom", RTOS_O_RDWR, 0);
    rtos_lseek(ee, 200, RTOS_SEEK_SET);
    R->ee_write = rtos_write(ee, out, sizeof out);
    R->ee_seek = rtos_lseek(ee, -300, RTOS_SEEK_CUR);
    R->ee_read = rtos_read(ee, in, sizeof in);
    R->ee_same = memcmp(in, out, sizeof in) == 0;
    R->ee_past = rtos_lseek(ee, 1, RTOS_SEEK_END);
    rtos_lseek(ee, 0, RTOS_SEEK_END);
    R->ee_end_read = rtos_read(ee, in, 1);
    rtos_close(ee);
    int relay = rtos_open("/dev/relay", RTOS_O_RDWR, 0);
    rtos_read(relay, &R->relay_before, 1);
    R->relay_write_open = rtos_write(relay, "0", 1);
    R->relay_busy = rtos_write(relay, "1", 1);
    rtos_sleep(60);
    rtos_read(relay, &R->relay_after_open, 1);
    R->relay_write_close = rtos_write(relay, "1", 1);
    rtos_sleep(60);
    rtos_read(relay, &R->relay_after_close, 1);
    rtos_close(relay);
    int rtc = R->rtc_open = rtos_open("/dev/rtc", RTOS_O_RDWR, 0);
    rtos_read(rtc, &R->rtc_reset, sizeof R->rtc_reset);
    struct rtos_time set = {2026, 12, 7, 13, 59, 50, 1}, bad = {2026, 13, 1, 0, 0, 0, 1};
    R->rtc_bad = rtos_write(rtc, &bad, sizeof bad);
    R->rtc_set = rtos_write(rtc, &set, sizeof set);
    rtos_sleep(12000);
    rtos_read(rtc, &R->rtc_later, sizeof R->rtc_later);
    rtos_close(rtc);
    int lcd = rtos_open("/dev/lcd", RTOS_O_RDWR, 0);
    static const uint8_t segments[] = {0x1, 0x2, 0x4, 0x8, 0xF, 0x5}; /* RAM 10..15 */
    rtos_lseek(lcd, 10, RTOS_SEEK_SET);
    R->lcd_write = rtos_write(lcd, segments, sizeof segments);
    R->lcd_seek = rtos_lseek(lcd, 12, RTOS_SEEK_SET);
    R->lcd_read = rtos_read(lcd, R->lcd_back, sizeof R->lcd_back);
    R->lcd_past = rtos_lseek(lcd, 33, RTOS_SEEK_SET);
    rtos_close(lcd);
    R->nor_y = rtos_open("/dev/nor", RTOS_O_RDONLY, 0);
    return 0;
}

static int process_k(void *arg)
{
    (void)arg;
    static const uint8_t block[1000] = {7};
    int fd = rtos_open("/data/config.tmp", RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    for (int i = 0; i < 5; i++) {
        rtos_write(fd, block, sizeof block);
    }
    *(volatile uint32_t *)0x20000000u = 0; /* kernel memory: killed with the file open */
    rtos_close(fd);
    return 0;
}

/* --- the raw NOR: N's manifest names NOR 0x000000-0x001FFF (two sectors of the download slot) and nothing
   else; it erases the first, writes 13 bytes across a page boundary, reads them back, and is refused outside
   its range (a write running past its end, the /data region at 0x200000), an unaligned erase, data in kernel
   memory and an erase through a read-only descriptor.
   Y (no /dev/nor in its manifest) and the test's own trusted process may not open it at all */

static const char N_MANIFEST[] = "/dev/nor:000000-001FFF";

static int process_n(void *arg)
{
    (void)arg;
    static const char text[] = "raw NOR page";
    int ro = rtos_open("/dev/nor", RTOS_O_RDONLY, 0);
    R->nor_read_only = rtos_ioctl(ro, RTOS_IOCTL_NOR_ERASE, 0);
    rtos_close(ro);
    int fd = R->nor_open = rtos_open("/dev/nor", RTOS_O_RDWR, 0);
    R->nor_erase = rtos_ioctl(fd, RTOS_IOCTL_NOR_ERASE, 0x000000u);
    rtos_lseek(fd, 0x1FF8, RTOS_SEEK_SET);
    R->nor_cross = rtos_write(fd, text, sizeof text); /* past the range's end: nothing written */
    rtos_lseek(fd, 0x0FC, RTOS_SEEK_SET);
    R->nor_program = rtos_write(fd, text, sizeof text); /* across the page boundary at 0x100 */
    R->nor_seek = rtos_lseek(fd, 0x0FC, RTOS_SEEK_SET);
    char back[sizeof text];
    R->nor_read = rtos_read(fd, back, sizeof back);
    R->nor_same = memcmp(back, text, sizeof text) == 0;
    uint8_t tail[64];
    rtos_lseek(fd, 0x1FF8, RTOS_SEEK_SET);
    R->nor_cut = rtos_read(fd, tail, sizeof tail); /* the range ends at 0x1FFF: 8 bytes */
    R->nor_outside_erase = rtos_ioctl(fd, RTOS_IOCTL_NOR_ERASE, 0x200000u);
    rtos_lseek(fd, 0x200000, RTOS_SEEK_SET);
    R->nor_outside_read = rtos_read(fd, tail, 4);
    rtos_lseek(fd, 0x200, RTOS_SEEK_SET);
    R->nor_fault = rtos_write(fd, (const void *)0x20000000u, 16); /* kernel memory as the data */
    R->nor_unaligned = rtos_ioctl(fd, RTOS_IOCTL_NOR_ERASE, 0x000800u);
    rtos_close(fd);
    return 0;
}

static int test_main(void *arg)
{
    (void)arg;
    struct rtos_process_params ep = {.name = "E", .entry = process_e, .priority = 10, .stack = area.e_stack,
                                     .stack_size = STACK, .data = &area.shared, .data_size = sizeof area.shared,
                                     .manifest = E_MANIFEST};
    int e = rtos_process_spawn(&ep);
    int e_result = rtos_process_wait(e, RTOS_FOREVER);
    struct rtos_stat fs;
    struct rtos_process_params dp = ep;
    dp.name = "D";
    dp.entry = process_d;
    dp.manifest = D_MANIFEST;
    int d_result = rtos_process_wait(rtos_process_spawn(&dp), RTOS_FOREVER);
    rtos_stat("/data", &fs);
    R->used_before = fs.blocks;
    dp.name = "K";
    dp.entry = process_k;
    R->k_result = rtos_process_wait(rtos_process_spawn(&dp), RTOS_FOREVER);
    rtos_stat("/data", &fs);
    R->used_after = fs.blocks;
    R->free_after = fs.free_blocks;
    R->region = fs.size;
    struct rtos_stat st;
    R->tmp_stat = rtos_stat("/data/config.tmp", &st);
    R->config_stat = rtos_stat("/data/config", &st);
    dp.name = "Y";
    dp.entry = process_y;
    dp.manifest = Y_MANIFEST;
    R->y_result = rtos_process_wait(rtos_process_spawn(&dp), RTOS_FOREVER);
    dp.name = "N";
    dp.entry = process_n;
    dp.manifest = N_MANIFEST;
    R->n_result = rtos_process_wait(rtos_process_spawn(&dp), RTOS_FOREVER);
    R->nor_trusted = rtos_open("/dev/nor", RTOS_O_RDWR, 0);
    u_puts("tty: other port ");
    u_puti(R->other_port);
    u_puts("; ");
    put_tty(&R->before);
    u_puts("; non-blocking read ");
    u_puti(R->nonblock);
    u_puts(", 50 ms read ");
    u_puti(R->timeout);
    u_puts(" after ");
    u_putu(R->timeout_ms);
    u_puts(" ms; line ");
    put_line(R->line1);
    u_puts("; 9600 7N1 ");
    u_puti(R->set_bad);
    u_puts("; set ");
    u_puti(R->set_fast);
    u_puts(" ");
    put_tty(&R->after);
    u_puts("; poll ");
    u_puti(R->poll);
    u_puts(" ");
    u_puthex((uint32_t)R->poll_revents);
    u_puts("; line ");
    put_line(R->line2);
    u_puts("; received ");
    u_putu(R->counters.received);
    u_puts(" sent ");
    u_putu(R->counters.sent);
    u_puts(" parity errors ");
    u_putu(R->counters.parity_errors);
    u_puts(" framing ");
    u_putu(R->counters.framing_errors);
    u_puts(" overruns ");
    u_putu(R->counters.overruns);
    u_puts("; exit ");
    u_puti(e_result);
    u_puts("\n");
    check(e_result == 0 && R->other_port == -RTOS_EACCES && R->nonblock == -RTOS_EAGAIN
          && R->timeout == -RTOS_ETIMEDOUT && R->first_line == 6 && strcmp(R->line1, "hello\n") == 0
          && R->set_bad == -RTOS_EINVAL && R->set_fast == 0 && R->poll == 1 && R->poll_revents == RTOS_POLLIN
          && R->second_line == 5 && strcmp(R->line2, "fast\n") == 0 && R->counters.received == 11
          && R->counters.sent == 21 && R->counters.parity_errors == 1, "tty");
    u_puts("data: write ");
    u_puti(R->d_write);
    u_puts(" close ");
    u_puti(R->d_close);
    u_puts(" rename ");
    u_puti(R->d_rename);
    u_puts(" seek ");
    u_puti(R->d_seek);
    u_puts(" read ");
    u_puti(R->d_read);
    u_puts(" ");
    put_line(R->d_text);
    u_puts(", size ");
    u_putu(R->d_size);
    u_puts(", /data/other ");
    u_puti(R->d_other);
    u_puts(", listed ");
    u_puti(R->d_list);
    u_puts(" ");
    u_puts(R->d_listed);
    u_puts(" then ");
    u_puti(R->d_list_end);
    u_puts(", exit ");
    u_puti(d_result);
    u_puts("; K killed (wait ");
    u_puti(R->k_result);
    u_puts("), its file ");
    u_puti(R->tmp_stat);
    u_puts(", config ");
    u_puti(R->config_stat);
    u_puts(", blocks used ");
    u_putu(R->used_before);
    u_puts(" then ");
    u_putu(R->used_after);
    u_puts(", free ");
    u_putu(R->free_after);
    u_puts(" of ");
    u_putu(R->region);
    u_puts("\n");
    check(d_result == 0 && R->d_write == 9 && R->d_close == 0 && R->d_rename == 0 && R->d_seek == 7
          && R->d_read == 2 && R->d_size == 9 && R->d_other == -RTOS_EACCES && R->d_list == 1
          && strcmp(R->d_listed, "config") == 0 && R->d_list_end == 0 && R->k_result == -RTOS_EFAULT
          && R->tmp_stat == -RTOS_ENOENT && R->config_stat == 0 && R->used_after == R->used_before
          && R->used_after + R->free_after == R->region, "data");
    u_puts("board: eeprom wrote ");
    u_puti(R->ee_write);
    u_puts(" at 200, back to ");
    u_puti(R->ee_seek);
    u_puts(", read ");
    u_puti(R->ee_read);
    u_puts(R->ee_same ? " the same" : " DIFFERENT");
    u_puts(", past the end ");
    u_puti(R->ee_past);
    u_puts(", at the end ");
    u_puti(R->ee_end_read);
    char relay[] = {R->relay_before, ' ', R->relay_after_open, ' ', R->relay_after_close, 0};
    u_puts("; relay ");
    u_puts(relay);
    u_puts(" (open ");
    u_puti(R->relay_write_open);
    u_puts(", during its pulse ");
    u_puti(R->relay_busy);
    u_puts(", close ");
    u_puti(R->relay_write_close);
    u_puts("), exit ");
    u_puti(R->y_result);
    u_puts("\n");
    check(R->y_result == 0 && R->ee_write == 300 && R->ee_seek == 200 && R->ee_read == 300 && R->ee_same
          && R->ee_past == -RTOS_EINVAL && R->ee_end_read == 0 && R->relay_before == '1'
          && R->relay_after_open == '0' && R->relay_after_close == '1' && R->relay_write_open == 1
          && R->relay_busy == -RTOS_EBUSY && R->relay_write_close == 1, "board devices");
    u_puts("rtc: open ");
    u_puti(R->rtc_open);
    u_puts(", after reset ");
    put_time(&R->rtc_reset);
    u_puts(", month 13 ");
    u_puti(R->rtc_bad);
    u_puts(", set ");
    u_puti(R->rtc_set);
    u_puts(", 12 s later ");
    put_time(&R->rtc_later);
    u_puts("\n");
    check(R->rtc_open == 0 && R->rtc_bad == -RTOS_EINVAL && R->rtc_set == (int)sizeof(struct rtos_time)
          && R->rtc_later.year == 2026 && R->rtc_later.hour == 14 && R->rtc_later.minute == 0, "rtc");
    u_puts("lcd: wrote ");
    u_puti(R->lcd_write);
    u_puts(" at 10, read ");
    u_puti(R->lcd_read);
    u_puts(" at ");
    u_puti(R->lcd_seek);
    u_puts(":");
    for (unsigned i = 0; i < sizeof R->lcd_back; i++) {
        u_puts(" ");
        u_puthex(R->lcd_back[i]);
    }
    u_puts(", past the end ");
    u_puti(R->lcd_past);
    u_puts("\n");
    check(R->lcd_write == 6 && R->lcd_read == 4 && R->lcd_back[0] == 0x4 && R->lcd_back[3] == 0x5
          && R->lcd_past == -RTOS_EINVAL, "lcd");
    u_puts("nor: Y open ");
    u_puti(R->nor_y);
    u_puts(", trusted open ");
    u_puti(R->nor_trusted);
    u_puts("; N read-only erase ");
    u_puti(R->nor_read_only);
    u_puts(", open ");
    u_puti(R->nor_open);
    u_puts(", erase 0 ");
    u_puti(R->nor_erase);
    u_puts(", write at 0x1ff8 ");
    u_puti(R->nor_cross);
    u_puts(", write at 0xfc ");
    u_puti(R->nor_program);
    u_puts(", read ");
    u_puti(R->nor_read);
    u_puts(R->nor_same ? " the same" : " DIFFERENT");
    u_puts(", at 0x1ff8 ");
    u_puti(R->nor_cut);
    u_puts(", erase 0x200000 ");
    u_puti(R->nor_outside_erase);
    u_puts(" read ");
    u_puti(R->nor_outside_read);
    u_puts(", kernel data ");
    u_puti(R->nor_fault);
    u_puts(", erase 0x800 ");
    u_puti(R->nor_unaligned);
    u_puts(", exit ");
    u_puti(R->n_result);
    u_puts("\n");
    check(R->nor_y == -RTOS_EACCES && R->nor_trusted == -RTOS_EACCES && R->nor_read_only == -RTOS_EBADF
          && R->nor_open >= 0 && R->nor_erase == 0 && R->nor_cross == -RTOS_EACCES && R->nor_program == 13
          && R->nor_seek == 0x0FC && R->nor_read == 13 && R->nor_same && R->nor_cut == 8
          && R->nor_outside_erase == -RTOS_EACCES && R->nor_outside_read == -RTOS_EACCES
          && R->nor_fault == -RTOS_EFAULT && R->nor_unaligned == -RTOS_EINVAL && R->n_result == 0, "nor");
    u_puts("devices test: ");
    u_putu(R->fails);
    u_puts(" failures\n");
    return R->fails == 0 ? 0 : 1;
}

int main(void)
{
    console_write("rtos devices test\n");
    kernel_init(16000000);
    int mounted = kernel_mount_data(512, 32, 1); /* NOR 0x200000, 128 KiB: formatted when blank */
    if (mounted != 0) {
        console_write("data not mounted\n");
        return 4;
    }
    struct rtos_process_params p = {.name = "test", .entry = test_main, .priority = 20, .stack = main_stack,
                                    .stack_size = sizeof main_stack, .data = &area, .data_size = sizeof area};
    if (kernel_process_create(&p) < 0) {
        console_write("test process not created\n");
        return 3;
    }
    kernel_start();
}
