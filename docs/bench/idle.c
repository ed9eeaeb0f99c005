/* Idle-heavy workload for mps2-an386: SysTick every 1 ms (25 MHz core), a little work per tick, WFI in
 * between; exits after SECONDS simulated seconds. Measures simulated seconds per wall second. */
#include <stdint.h>
#ifndef SECONDS
#define SECONDS 600
#endif
extern uint32_t _estack;
void reset(void);
void systick(void);
__attribute__((section(".vectors"))) const void *vectors[16] = {&_estack, reset, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                                 0, 0, 0, 0, systick};
static volatile uint32_t ticks, work;
void systick(void) {
    uint32_t x = ticks + 1;
    for (int i = 0; i < 20; i++) x = x * 1664525u + 1013904223u; /* "a little work" */
    work ^= x;
    ticks++;
}
static int semihost(int op, const void *arg) {
    register int r0 asm("r0") = op;
    register const void *r1 asm("r1") = arg;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
void reset(void) {
    *(volatile uint32_t *)0xE000E014 = 25000 - 1; /* SYST_RVR: 1 ms */
    *(volatile uint32_t *)0xE000E018 = 0;
    *(volatile uint32_t *)0xE000E010 = 7;         /* enable, interrupt, core clock */
    while (ticks < SECONDS * 1000u) {
        asm volatile("wfi");
    }
    static const uint32_t done[2] = {0x20026, 0};
    semihost(0x20, done);
}
