/*
 * The energy app, address 0x20 (docs/services.md "The energy app"): a separately linked application (apps/app.ld,
 * packed by apps/pack.c with services.c's helpers), carried in the product image and installed by platform
 * management as /data/apps/energy.app, which loads it (SYS_PROCESS_LOAD). It maps /shm/measurement
 * read-only and prints the active import energy on /dev/console when it starts (once the copy is valid)
 * and every 60 s after:
 *   app: +A 123.456 Wh, copy of 61042 ms, resyncs 1, at 62001 ms
 * (the copy's poll time, measurement management's resynchronisations so far, the print time; times are
 * management-core uptime). Built with -DCRASH_AT_S=n (the crash
 * variant of the product image), its first run stores once into kernel memory at n s of uptime: a MemManage
 * fault that kills it; its restart policy starts it again after its restart delay.
 */
#include <string.h>

#include "services.h"

#define PRINT_MS 60000u

/* its manifest, in its image (the loader reads it from the loaded text): what it opens, its bus address and
   what it may get (build.sh links it with --undefined=app_manifest: kept through --gc-sections) */
const char app_manifest[] = "/dev/console /shm/measurement vbus:20 get:02000000-02FFFFFF";

static void print(int con, const struct measurement *m)
{
    svc_say(con, "app: +A ");
    svc_say_milli(con, m->energy[0]);
    svc_say(con, " Wh, copy of ");
    svc_say_number(con, m->taken_ms);
    svc_say(con, " ms, resyncs ");
    svc_say_number(con, m->resyncs);
    svc_say(con, ", at ");
    svc_say_number(con, rtos_uptime());
    svc_say(con, " ms\n");
}

int app_main(void *arg)
{
    (void)arg;
    int con = rtos_open("/dev/console", RTOS_O_WRONLY, 0);
    int fd;
    while ((fd = rtos_open(MEASUREMENT_SHM, RTOS_O_RDONLY, 0)) < 0) {
        rtos_sleep(1000); /* measurement management has not created it yet */
    }
    const struct measurement *shared = rtos_mmap(fd);
    if ((int32_t)(uint32_t)shared < 0) {
        return 1;
    }
    struct measurement copy;
    while (measurement_read(shared, &copy) != 0 || !copy.valid) {
        rtos_sleep(1000);
    }
#ifdef CRASH_AT_S
    struct rtos_process_info info;
    int crash = rtos_process_info(rtos_process_self(), &info) == 0 && info.restarts == 0;
#endif
    uint32_t next = rtos_uptime();
    for (;;) {
        if (measurement_read(shared, &copy) == 0) {
            print(con, &copy);
        }
        next += PRINT_MS;
#ifdef CRASH_AT_S
        if (crash && (int32_t)(next - CRASH_AT_S * 1000u) > 0) {
            int32_t wait = (int32_t)(CRASH_AT_S * 1000u - rtos_uptime());
            if (wait > 0) {
                rtos_sleep((uint32_t)wait);
            }
            *(volatile uint32_t *)0x20000000u = 0xDEADu; /* kernel .data: outside its memory */
        }
#endif
        int32_t wait = (int32_t)(next - rtos_uptime());
        if (wait > 0) {
            rtos_sleep((uint32_t)wait);
        }
    }
}
