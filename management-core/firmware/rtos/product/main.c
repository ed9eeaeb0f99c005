/*
 * The management core's product image (docs/management-core.md, "The product image"): the RTOS as the
 * application the bootloader starts, with its bundled processes. The boot code (privileged) mounts /data on
 * the NOR (formatting it at the first boot), starts the watchdog's supervisor and the processes:
 *   platform (4)  platform management (services/platform.c): counts the boots in /data/boot-count, installs the
 *                 applications the image carries into /data/apps and loads every one there (the energy app,
 *                 address 0x20, apps built from services/energy_app.c: +A every 60 s), reports the
 *                 system and the event log, beats for the supervisor, takes image downloads through
 *                 /pipe/platform and confirms an update on trial once vbus and measurement beat; restarted if
 *                 it fails
 *   clock (20)    a bundled application with a manifest of its own (/dev/console only): the uptime on the
 *                 console every 10 s
 *   vbus (6)      the virtual-bus router, address 0x10 (services/router.c, docs/services.md)
 *   measurement (10)  measurement management, address 0x11 (services/measurement.c): /shm/measurement
 *   comm (7)      communication management (services/comm.c): the external ports ttyS1-3 and their protocol
 *                 handlers; the RS-485 maintenance port's frames go through the router as client 0x1E
 *   feeder (22)   only in the test variant rtos_feeder.bin (-DPLATFORM_FEEDER): feeds a staged image through
 *                 /pipe/platform, a stand-in for the protocol handler
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
#include "services/platform.h"
#include "services/services.h"

#define RTOS_VERSION "0.3"
#define DATA_FIRST_BLOCK 512u /* NOR 0x200000 - 0x7FFFFF (docs/firmware-update.md's NOR map) */
#define DATA_BLOCKS 1536u

static struct {
    uint8_t router_stack[4096] __attribute__((aligned(4096)));
    uint8_t router_data[ROUTER_DATA_SIZE] __attribute__((aligned(4096)));
    uint8_t measurement_stack[2048] __attribute__((aligned(2048)));
    uint8_t measurement_data[MEASUREMENT_DATA_SIZE] __attribute__((aligned(2048)));
    uint8_t comm_stack[2048] __attribute__((aligned(2048)));
    uint8_t comm_data[COMM_DATA_SIZE] __attribute__((aligned(2048)));
    uint8_t platform_stack[2048] __attribute__((aligned(2048)));
    uint8_t clock_stack[1024] __attribute__((aligned(1024)));
    uint8_t clock_data[1024] __attribute__((aligned(1024)));
#ifdef PLATFORM_FEEDER
    uint8_t feeder_stack[2048] __attribute__((aligned(2048)));
    uint8_t feeder_data[1024] __attribute__((aligned(1024)));
#endif
} memory __attribute__((section(".user"), aligned(8192)));

/* --- processes: their text through /dev/console (services.h: svc_say, svc_say_number); platform
   management is services/platform.c */

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
/* the maintenance master reads everything (the copy's DIs too), writes nothing, may subscribe */
static const char COMM_MANIFEST[] =
    "/dev/ttyS1 /dev/ttyS2 /dev/ttyS3 /pipe/vbus /pipe/vbus-1e vbus:1e get:00000000-04FFFFFF action:04801000";
#ifdef PLATFORM_FEEDER
static const char FEEDER_MANIFEST[] = "/dev/console /pipe/platform /pipe/platform-reply";
#endif
/* the platform's data region (product.ld): the bootloader's crypto variable first, then its own state */
extern uint8_t _platform_data_start[], _platform_state[];

/* --- the boot */

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
    /* an update on trial is confirmed by platform management once the services are up (services/platform.c) */
    kernel_watchdog_start(4000);
    struct rtos_process_params platform = {
        .name = "platform", .entry = platform_main, .arg = _platform_state, .priority = 4,
        .stack = memory.platform_stack, .stack_size = sizeof memory.platform_stack, .data = _platform_data_start,
        .data_size = PLATFORM_DATA_SIZE, .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 100,
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
    struct rtos_process_params comm = {
        .name = "comm", .entry = comm_main, .arg = memory.comm_data, .priority = 7,
        .stack = memory.comm_stack, .stack_size = sizeof memory.comm_stack, .data = memory.comm_data,
        .data_size = sizeof memory.comm_data, .manifest = COMM_MANIFEST, .restart = RTOS_RESTART_ALWAYS,
        .restart_delay = 100, .max_restarts = 10, .heartbeat = 3000, .on_give_up = RTOS_ON_GIVE_UP_RESET};
    kernel_process_create(&clock);
    kernel_process_create(&platform);
    kernel_process_create(&router);
    kernel_process_create(&measurement);
    kernel_process_create(&comm);
#ifdef PLATFORM_FEEDER
    struct rtos_process_params feeder = {
        .name = "feeder", .entry = feeder_main, .priority = 22, .stack = memory.feeder_stack,
        .stack_size = sizeof memory.feeder_stack, .data = memory.feeder_data, .data_size = sizeof memory.feeder_data,
        .manifest = FEEDER_MANIFEST};
    kernel_process_create(&feeder);
#endif
    console_write("rtos: kernel started\n");
    kernel_start();
}
