/*
 * The loader (LoaderTest): the test writes the application image apps/hello.c was packed into (built by
 * build.sh, included here) to /data/apps/hello, loads it with a restart policy, and waits for it: its
 * first run faults, its restart runs with its data and bss reloaded and exits 7. Then images the loader
 * must refuse: a damaged byte (CRC), a manifest wider than the loader's, a missing file.
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "kernel.h"
#include "rtos.h"

__asm__(".section .rodata.hello_app, \"a\"\n"
        ".balign 4\n"
        ".global hello_app, hello_app_end\n"
        "hello_app:\n"
        ".incbin \"" HELLO_APP "\"\n"
        "hello_app_end:\n"
        ".previous\n");
extern const uint8_t hello_app[], hello_app_end[];

static struct {
    uint8_t copy[4096];
} area __attribute__((section(".user"), aligned(4096)));
static uint8_t main_stack[2048] __attribute__((section(".user"), aligned(2048)));

static int write_file(const char *path, const uint8_t *bytes, uint32_t n)
{
    int fd = rtos_open(path, RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_TRUNC, 0);
    if (fd < 0) {
        return fd;
    }
    int w = rtos_write(fd, bytes, n);
    int c = rtos_close(fd);
    return w < 0 ? w : c < 0 ? c : w;
}

static const char NARROW[] = "/data/apps/* /pipe/other";

static int narrow_main(void *arg)
{
    (void)arg;
    struct rtos_load_params lp = {0};
    return rtos_process_load("/data/apps/hello", &lp); /* the image asks for /pipe/hello*: refused */
}

static int test_main(void *arg)
{
    (void)arg;
    uint32_t size = (uint32_t)(hello_app_end - hello_app);
    int written = write_file("/data/apps/hello", hello_app, size);
    struct rtos_load_params lp = {.arg = (void *)3, .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 10,
                                  .max_restarts = 1};
    int pid = rtos_process_load("/data/apps/hello", &lp);
    int status = pid > 0 ? rtos_process_wait(pid, RTOS_FOREVER) : pid;
    struct rtos_event e;
    int events = rtos_event_read(0, &e);
    u_puts("loader: wrote ");
    u_puti(written);
    u_puts(", loaded ");
    u_puti(pid > 0 ? 1 : pid);
    u_puts(", exit ");
    u_puti(status);
    u_puts(", first event ");
    u_puts(events > 0 && e.kind == RTOS_EVENT_FAULT ? "fault" : "?");
    /* a damaged copy */
    memcpy(area.copy, hello_app, size < sizeof area.copy ? size : sizeof area.copy);
    area.copy[100] ^= 0x40;
    write_file("/data/apps/bad", area.copy, size < sizeof area.copy ? size : sizeof area.copy);
    u_puts("; damaged ");
    u_puti(rtos_process_load("/data/apps/bad", &lp));
    u_puts(", missing ");
    u_puti(rtos_process_load("/data/apps/none", &lp));
    struct rtos_process_params np = {.name = "narrow", .entry = narrow_main, .priority = 10,
                                     .stack = area.copy, .stack_size = 1024, .manifest = NARROW};
    int narrow = rtos_process_spawn(&np);
    u_puts(", wider manifest ");
    u_puti(rtos_process_wait(narrow, RTOS_FOREVER));
    u_puts("\n");
    int ok = written == (int)size && pid > 0 && status == 7;
    return ok ? 0 : 1;
}

int main(void)
{
    console_write("rtos loader test\n");
    kernel_init(16000000);
    if (kernel_mount_data(512, 32, 1) != 0) {
        console_write("data not mounted\n");
        return 4;
    }
    struct rtos_process_params p = {.name = "test", .entry = test_main, .priority = 20, .stack = main_stack,
                                    .stack_size = sizeof main_stack, .data = &area, .data_size = sizeof area};
    kernel_process_create(&p);
    kernel_start();
}
