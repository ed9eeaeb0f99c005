/*
 * The management core's product image (docs/management-core.md, "The product image"): the RTOS as the
 * application the bootloader starts, with its bundled processes. The boot code (privileged) mounts /data on
 * the NOR (formatting it at the first boot), confirms an update on trial (the bootloader's confirm record:
 * docs/firmware-update.md), starts the watchdog's supervisor and the processes:
 *   platform (4)  platform management: counts the boots in /data/boot-count, reports the system, then beats
 *                 for the supervisor; restarted if it fails
 *   clock (20)    a bundled application with a manifest of its own (/dev/console only): the uptime on the
 *                 console every 10 s
 *   vbus (6)      the virtual-bus router, address 0x10 (services/router.c, docs/services.md)
 *   measurement (10)  measurement management, address 0x11 (services/measurement.c): /shm/measurement
 *   energy-app (20)   the bundled energy app, address 0x20 (services/energy_app.c): +A every 60 s
 *   comm (7)      communication management (services/comm.c): the external ports ttyS1-3 and their protocol
 *                 handlers; the RS-485 maintenance port's frames go through the router as client 0x1E
 * The platform process also reports the kernel's event log (a process's fault, hang, restart) on the console.
 * The kernel's console is USART1 (console_uart.c).
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "image/image.h"
#include "kernel.h"
#include "nor.h"
#include "records.h"
#include "result_log.h"
#include "rtos.h"
#include "services/services.h"

#define RTOS_VERSION "0.3"
#define DATA_FIRST_BLOCK 512u /* NOR 0x200000 - 0x7FFFFF (docs/firmware-update.md's NOR map) */
#define DATA_BLOCKS 1536u

static struct {
    uint8_t router_stack[4096] __attribute__((aligned(4096)));
    uint8_t router_data[ROUTER_DATA_SIZE] __attribute__((aligned(4096)));
    uint8_t measurement_stack[2048] __attribute__((aligned(2048)));
    uint8_t measurement_data[MEASUREMENT_DATA_SIZE] __attribute__((aligned(2048)));
    uint8_t app_stack[1024] __attribute__((aligned(1024)));
    uint8_t app_data[ENERGY_APP_DATA_SIZE] __attribute__((aligned(1024)));
    uint8_t comm_stack[2048] __attribute__((aligned(2048)));
    uint8_t comm_data[COMM_DATA_SIZE] __attribute__((aligned(2048)));
    uint8_t platform_stack[2048] __attribute__((aligned(2048)));
    uint8_t platform_data[2048] __attribute__((aligned(2048)));
    uint8_t clock_stack[1024] __attribute__((aligned(1024)));
    uint8_t clock_data[1024] __attribute__((aligned(1024)));
} memory __attribute__((section(".user"), aligned(8192)));

/* --- processes: their text through /dev/console (services.h: svc_say, svc_say_number) */

static void say_hex(int fd, uint32_t v)
{
    char buffer[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++) {
        buffer[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    }
    rtos_write(fd, buffer, sizeof buffer);
}

/* the kernel's event log on the console: one line per event recorded since the last look */
static void report_events(int con, uint32_t *seen)
{
    struct rtos_event e;
    for (;;) {
        int r = rtos_event_read(*seen, &e);
        if (r == -RTOS_ESRCH) { /* overwritten before it was seen */
            (*seen)++;
            continue;
        }
        if (r < 0) {
            break; /* not recorded yet */
        }
        struct rtos_process_info info;
        svc_say(con, "platform: event ");
        svc_say_number(con, e.seq);
        svc_say(con, " at ");
        svc_say_number(con, e.time);
        svc_say(con, " ms: process ");
        svc_say_number(con, e.process);
        if (rtos_process_info((int)e.process, &info) == 0) {
            svc_say(con, " ");
            svc_say(con, info.name);
        }
        if (e.kind == RTOS_EVENT_FAULT) {
            svc_say(con, " fault, exception ");
            svc_say_number(con, e.exception);
            svc_say(con, " cfsr ");
            say_hex(con, e.cfsr);
            svc_say(con, " address ");
            say_hex(con, e.address);
        } else if (e.kind == RTOS_EVENT_HUNG) {
            svc_say(con, " hung");
        } else if (e.kind == RTOS_EVENT_RESTART) {
            svc_say(con, " restarted");
        } else if (e.kind == RTOS_EVENT_GAVE_UP) {
            svc_say(con, " given up");
        }
        svc_say(con, ", restarts ");
        svc_say_number(con, e.restarts);
        svc_say(con, "\n");
        (*seen)++;
    }
}

static uint32_t next_boot_count(void)
{
    uint32_t count = 0;
    int fd = rtos_open("/data/boot-count", RTOS_O_RDONLY, 0);
    if (fd >= 0) {
        if (rtos_read(fd, &count, sizeof count) != sizeof count) {
            count = 0;
        }
        rtos_close(fd);
    }
    count++;
    /* a new file renamed over the old: after a cut, the old count or the new one, never a torn one */
    fd = rtos_open("/data/boot-count.new", RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_TRUNC, 0);
    if (fd >= 0) {
        rtos_write(fd, &count, sizeof count);
        if (rtos_close(fd) == 0) {
            rtos_rename("/data/boot-count.new", "/data/boot-count");
        }
    }
    return count;
}

__attribute__((noreturn)) static int platform_main(void *arg)
{
    (void)arg;
    int con = rtos_open("/dev/console", RTOS_O_WRONLY, 0);
    uint32_t boots = next_boot_count();
    struct rtos_stat fs;
    svc_say(con, "platform: boot ");
    svc_say_number(con, boots);
    if (rtos_stat("/data", &fs) == 0) {
        svc_say(con, "; /data ");
        svc_say_number(con, fs.blocks);
        svc_say(con, " of ");
        svc_say_number(con, fs.size);
        svc_say(con, " blocks used");
    } else {
        svc_say(con, "; /data not mounted");
    }
    svc_say(con, "\n");
    for (int pid = 1; pid < 12; pid++) {
        struct rtos_process_info info;
        if (rtos_process_info(pid, &info) == 0 && info.state == RTOS_PROCESS_RUNNING) {
            svc_say(con, "platform: process ");
            svc_say_number(con, (uint32_t)pid);
            svc_say(con, " ");
            svc_say(con, info.name);
            svc_say(con, "\n");
        }
    }
    uint32_t seen = 0;
    for (;;) {
        rtos_sleep(1000);
        rtos_heartbeat();
        report_events(con, &seen);
    }
}

__attribute__((noreturn)) static int clock_main(void *arg)
{
    (void)arg;
    int con = rtos_open("/dev/console", RTOS_O_WRONLY, 0);
    for (;;) {
        rtos_sleep(10000);
        svc_say(con, "clock: ");
        svc_say_number(con, rtos_uptime() / 1000);
        svc_say(con, " s\n");
    }
}

static const char CLOCK_MANIFEST[] = "/dev/console";
/* exactly what each service opens, then its virtual-bus address and the DIs it may get, set, act on and
   serve (docs/services.md, docs/rtos.md "Manifests"): the router checks every frame against them */
static const char ROUTER_MANIFEST[] = "/dev/vbus /pipe/vbus /pipe/vbus-* vbus:10 vbus-router";
static const char MEASUREMENT_MANIFEST[] =
    "/pipe/vbus /pipe/vbus-11 /shm/measurement vbus:11"
    " get:00000000-00FFFFFF get:02000000-02FFFFFF get:03800000-038000FF get:04000501" /* energy, instantaneous,
                                                                                         event log, status */
    " action:04801000 action:04801002"                  /* the subscription, the registration */
    " serve:00800000 serve:02800000 serve:04801100";    /* its copy's blocks and state */
static const char ENERGY_APP_MANIFEST[] = "/dev/console /shm/measurement vbus:20 get:02000000-02FFFFFF";
/* the maintenance master reads everything (the copy's DIs too), writes nothing, may subscribe */
static const char COMM_MANIFEST[] =
    "/dev/ttyS1 /dev/ttyS2 /dev/ttyS3 /pipe/vbus /pipe/vbus-1e vbus:1e get:00000000-04FFFFFF action:04801000";

/* --- the boot */

/* An update on trial (the newest result says installed, not confirmed yet): this image started, its
   kernel is up and /data mounted: confirmed. */
static void confirm_trial(void)
{
    update_result r;
    if (!result_log_read(0, &r) || r.outcome != OUTCOME_INSTALLED) {
        return;
    }
    static uint8_t record[REQUEST_SIZE];
    nor_read(NOR_CONFIRM_ADDRESS, record, sizeof record);
    if (confirm_decode(record) == r.sequence) {
        return;
    }
    confirm_encode(r.sequence, record);
    nor_erase_sector(NOR_CONFIRM_ADDRESS);
    nor_program(NOR_CONFIRM_ADDRESS, record, sizeof record);
    console_write("rtos: update ");
    console_unsigned(r.sequence);
    console_write(" confirmed\n");
}

int main(void)
{
    const uint8_t *header = (const uint8_t *)IMAGE_SLOT_ADDRESS;
    console_write("rtos: MeterTwin management core RTOS " RTOS_VERSION ", image ");
    console_unsigned(header[20]);
    console_write(".");
    console_unsigned(header[21]);
    console_write(".");
    console_unsigned((uint32_t)(header[22] | header[23] << 8));
    console_write("\n");
    kernel_init(16000000); /* the reset clock the bootloader leaves: HSI 16 MHz, APB1 and APB2 undivided */
    int mounted = kernel_mount_data(DATA_FIRST_BLOCK, DATA_BLOCKS, 1);
    if (mounted != 0) {
        console_write("rtos: /data not mounted\n"); /* the processes run without it */
    }
    confirm_trial();
    kernel_watchdog_start(4000);
    struct rtos_process_params platform = {
        .name = "platform", .entry = platform_main, .priority = 4, .stack = memory.platform_stack,
        .stack_size = sizeof memory.platform_stack, .data = memory.platform_data,
        .data_size = sizeof memory.platform_data, .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 100,
        .max_restarts = 3, .heartbeat = 3000, .on_give_up = RTOS_ON_GIVE_UP_RESET};
    struct rtos_process_params clock = {
        .name = "clock", .entry = clock_main, .priority = 20, .stack = memory.clock_stack,
        .stack_size = sizeof memory.clock_stack, .data = memory.clock_data, .data_size = sizeof memory.clock_data,
        .manifest = CLOCK_MANIFEST, .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 1000, .max_restarts = 10};
    struct rtos_process_params router = {
        .name = "vbus", .entry = router_main, .arg = memory.router_data, .priority = 6,
        .stack = memory.router_stack, .stack_size = sizeof memory.router_stack, .data = memory.router_data,
        .data_size = sizeof memory.router_data, .manifest = ROUTER_MANIFEST, .restart = RTOS_RESTART_ALWAYS,
        .restart_delay = 100, .max_restarts = 10, .heartbeat = 3000, .on_give_up = RTOS_ON_GIVE_UP_RESET};
    struct rtos_process_params measurement = {
        .name = "measurement", .entry = measurement_main, .arg = memory.measurement_data, .priority = 10,
        .stack = memory.measurement_stack, .stack_size = sizeof memory.measurement_stack,
        .data = memory.measurement_data, .data_size = sizeof memory.measurement_data,
        .manifest = MEASUREMENT_MANIFEST, .restart = RTOS_RESTART_ALWAYS, .restart_delay = 500,
        .max_restarts = 10, .heartbeat = 3000, .on_give_up = RTOS_ON_GIVE_UP_RESET};
    struct rtos_process_params app = {
        .name = "energy-app", .entry = energy_app_main, .arg = memory.app_data, .priority = 20,
        .stack = memory.app_stack, .stack_size = sizeof memory.app_stack, .data = memory.app_data,
        .data_size = sizeof memory.app_data, .manifest = ENERGY_APP_MANIFEST, .restart = RTOS_RESTART_ON_FAILURE,
        .restart_delay = 5000, .max_restarts = 5};
    struct rtos_process_params comm = {
        .name = "comm", .entry = comm_main, .arg = memory.comm_data, .priority = 7,
        .stack = memory.comm_stack, .stack_size = sizeof memory.comm_stack, .data = memory.comm_data,
        .data_size = sizeof memory.comm_data, .manifest = COMM_MANIFEST, .restart = RTOS_RESTART_ALWAYS,
        .restart_delay = 100, .max_restarts = 10, .heartbeat = 3000, .on_give_up = RTOS_ON_GIVE_UP_RESET};
    kernel_process_create(&clock);
    kernel_process_create(&platform);
    kernel_process_create(&router);
    kernel_process_create(&measurement);
    kernel_process_create(&app);
    kernel_process_create(&comm);
    console_write("rtos: kernel started\n");
    kernel_start();
}
