/*
 * A separately linked application for the loader (LoaderTest): it counts its starts in initialised data (a
 * restart that did not reload its data would say 102), checks a bss variable (set to 5 before it faults), starts a thread by a function
 * pointer (a GOT entry into its code), opens what its manifest allows and is refused what it does not; its
 * first run then faults (a store into kernel memory), its second exits 7.
 */
#include <stdint.h>

#include "rtos.h"

const char app_manifest[] = "/pipe/hello*";

static uint32_t runs = 100; /* .data: 100 at every start, if the loader reloads it */
static uint32_t zeroed;     /* .bss */
static volatile uint32_t from_thread;
static uint8_t thread_stack[512] __attribute__((aligned(512)));

static int helper(void *arg)
{
    from_thread = (uint32_t)arg;
    return 0;
}

int app_main(void *arg)
{
    runs++;
    u_puts("hello: run ");
    u_putu(runs);
    u_puts(", bss ");
    u_putu(zeroed);
    zeroed = 5;
    struct rtos_thread_params p = {helper, (void *)42, 9, thread_stack, sizeof thread_stack, 0, 0};
    int t = rtos_thread_create(&p);
    rtos_thread_join(t, RTOS_FOREVER);
    u_puts(", thread ");
    u_puti(t < 0 ? t : (int32_t)from_thread);
    u_puts(", /pipe/hello.out ");
    u_puti(rtos_open("/pipe/hello.out", RTOS_O_WRONLY | RTOS_O_CREAT, 0));
    u_puts(", /dev/null ");
    u_puti(rtos_open("/dev/null", RTOS_O_WRONLY, 0));
    u_puts(", arg ");
    u_putu((uint32_t)arg);
    u_puts("\n");
    struct rtos_process_info info;
    rtos_process_info(rtos_process_self(), &info);
    if (info.restarts == 0) {
        *(volatile uint32_t *)0x20000000u = 0; /* the first run faults */
    }
    return 7;
}
