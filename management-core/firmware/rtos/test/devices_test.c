/*
 * The RTOS's device files on the management board (DevicesTest): process E, whose manifest allows
 * /dev/ttyS1 only, drives the RS-485 UART (USART3) through open/read/write/ioctl/poll while the test
 * (the Java side) plays the other end of the line at fixed virtual instants:
 *   100 ms  'Z' framed 2400 8O1: a parity error on the port's default 2400 8E1, dropped and counted
 *   200 ms  "hello\n" at 2400 8E1: E answers "echo:hello\n", then switches the port to 9600 8N1
 *   600 ms  "fast\n" at 9600 8N1 (E waits for it in poll): E answers "echo:fast\n"
 * Before that, with nothing received: a non-blocking read (-EAGAIN) and a read with a 50 ms timeout
 * (-ETIMEDOUT). The results are printed by the test's main process, which exits 0 when all are as expected.
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
    uint32_t fails;
};

static struct {
    uint8_t e_stack[STACK] __attribute__((aligned(STACK)));
    union {
        struct results r;
        uint8_t block[512];
    } shared __attribute__((aligned(512)));
} area __attribute__((section(".user"), aligned(2048)));
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

static int test_main(void *arg)
{
    (void)arg;
    struct rtos_process_params ep = {.name = "E", .entry = process_e, .priority = 10, .stack = area.e_stack,
                                     .stack_size = STACK, .data = &area.shared, .data_size = sizeof area.shared,
                                     .manifest = E_MANIFEST};
    int e = rtos_process_spawn(&ep);
    int e_result = rtos_process_wait(e, RTOS_FOREVER);
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
    u_puts("devices test: ");
    u_putu(R->fails);
    u_puts(" failures\n");
    return R->fails == 0 ? 0 : 1;
}

int main(void)
{
    console_write("rtos devices test\n");
    kernel_init(16000000);
    struct rtos_process_params p = {.name = "test", .entry = test_main, .priority = 20, .stack = main_stack,
                                    .stack_size = sizeof main_stack, .data = &area, .data_size = sizeof area};
    if (kernel_process_create(&p) < 0) {
        console_write("test process not created\n");
        return 3;
    }
    kernel_start();
}
