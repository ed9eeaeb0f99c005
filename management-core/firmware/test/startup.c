/*
 * Startup for the management board's test programs (STM32F413RG): the vector table (102 interrupts,
 * RM0430), FPU access, .data/.bss set-up, then main. Every exception but reset is reported and ends the
 * run, since a test program expects none.
 */
#include <stdint.h>

#include "console.h"

extern uint32_t _stack_top[];
extern uint32_t _data_load[], _data_start[], _data_end[];
extern uint32_t _bss_start[], _bss_end[];
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 102])(void) = {
    (void (*)(void))_stack_top, Reset_Handler,
    [2 ... 16 + 101] = Default_Handler,
};

void Default_Handler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    console_write("unexpected exception ");
    console_unsigned(ipsr);
    console_write("\n");
    finish(99);
}

void Reset_Handler(void)
{
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: CP10/CP11 full access */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (uint32_t *src = _data_load, *dst = _data_start; dst < _data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = _bss_start; dst < _bss_end;) {
        *dst++ = 0;
    }
    finish(main());
}
