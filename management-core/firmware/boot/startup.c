/*
 * The bootloader's vector table and reset: .data/.bss set up, then main. It enables no interrupt; a fault
 * is reported on the console and stops the core (there is nothing safe to boot after one).
 */
#include <stdint.h>

#include "uart.h"

extern uint32_t _stack_top[];
extern uint32_t _data_load[], _data_start[], _data_end[];
extern uint32_t _bss_start[], _bss_end[];
extern int main(void);

void Reset_Handler(void);
void Fault_Handler(void);

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 102])(void) = {
    (void (*)(void))_stack_top, Reset_Handler,
    [2 ... 16 + 101] = Fault_Handler,
};

void Fault_Handler(void)
{
    uart_write("boot: fault\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void Reset_Handler(void)
{
    /* CPACR: CP10/CP11 full access, as the code is built for the FPU's calling convention */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (uint32_t *src = _data_load, *dst = _data_start; dst < _data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = _bss_start; dst < _bss_end;) {
        *dst++ = 0;
    }
    main();
    for (;;) {
    }
}
