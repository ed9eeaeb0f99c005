/*
 * The supervisor and the watchdog (WatchdogTest): P, supervised (heartbeat 50 ms, restarted once on
 * failure, then RTOS_ON_GIVE_UP_RESET), beats three times and hangs; the supervisor kills it as hung,
 * restarts it, kills it again and gives up: it stops feeding the IWDG (started at 400 ms), which resets the
 * board. The reset's boot finds IWDGRSTF in RCC_CSR (RM0430 6.3.21) and ends the run. Q, the observer,
 * prints each event of the kernel's log as it comes, with its time.
 */
#include <stdint.h>

#include "console.h"
#include "kernel.h"
#include "rtos.h"

#define RCC_CSR (*(volatile uint32_t *)0x40023874u)
#define CSR_RMVF (1u << 24)
#define CSR_IWDGRSTF (1u << 29)

static struct {
    uint8_t p_stack[1024] __attribute__((aligned(1024)));
    uint8_t q_stack[1024] __attribute__((aligned(1024)));
} area __attribute__((section(".user"), aligned(2048)));

static int process_p(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        rtos_sleep(10);
        rtos_heartbeat();
    }
    rtos_sleep(RTOS_FOREVER); /* hangs */
    return 0;
}

static const char *const KINDS[] = {"?", "fault", "hung", "restart", "gave-up"};

__attribute__((noreturn)) static int process_q(void *arg)
{
    (void)arg;
    uint32_t seen = 0;
    for (;;) {
        struct rtos_event e;
        while (rtos_event_read(seen, &e) > 0) {
            u_puts("event ");
            u_puts(KINDS[e.kind < 5 ? e.kind : 0]);
            u_puts(" of process ");
            u_putu(e.process);
            u_puts(" at ");
            u_putu(e.time);
            u_puts(" ms\n");
            seen++;
        }
        rtos_sleep(5);
    }
}

int main(void)
{
    uint32_t csr = RCC_CSR;
    RCC_CSR |= CSR_RMVF;
    if (csr & CSR_IWDGRSTF) {
        console_write("watchdog test: reset by the watchdog\n");
        return 0;
    }
    console_write("watchdog test: first boot\n");
    kernel_init(16000000);
    kernel_watchdog_start(400);
    struct rtos_process_params p = {.name = "P", .entry = process_p, .priority = 10, .stack = area.p_stack,
                                    .stack_size = sizeof area.p_stack, .heartbeat = 50,
                                    .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 10, .max_restarts = 1,
                                    .on_give_up = RTOS_ON_GIVE_UP_RESET};
    struct rtos_process_params q = {.name = "Q", .entry = process_q, .priority = 20, .stack = area.q_stack,
                                    .stack_size = sizeof area.q_stack};
    kernel_process_create(&p);
    kernel_process_create(&q);
    kernel_start();
}
