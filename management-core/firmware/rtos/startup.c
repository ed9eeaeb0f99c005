/*
 * Startup for RTOS programs on the management board (STM32F413RG): the vector table with the kernel's
 * SVCall, PendSV and TIM2 handlers, FPU access (lazy stacking left on, as after reset: FPCCR ASPEN and
 * LSPEN), .data and .bss (the kernel's and the threads' .user region) set up, then main. MemManage,
 * BusFault and UsageFault go to the kernel (kernel.c's kernel_fault), which kills a faulting thread and
 * calls Fault_Handler for a fault in the kernel itself; a HardFault, such a fault or any other exception is
 * reported and ends the run. The UARTs' interrupts go to dev_uart.c (their top halves, and IRQ 101 as their
 * bottom half).
 */
#include <stdint.h>

#include "console.h"

extern uint32_t _stack_top[];
extern uint32_t _data_load[], _data_start[], _data_end[];
extern uint32_t _bss_start[], _bss_end[], _user_start[], _user_end[];
extern int main(void);

void Reset_Handler(void);
void Fault_Handler(void) __attribute__((noreturn));
void Default_Handler(void);
void MemManage_Handler(void);
void SVC_Handler(void);
void PendSV_Handler(void);
void TIM2_IRQHandler(void);
void USART1_IRQHandler(void), USART2_IRQHandler(void), USART3_IRQHandler(void), UART4_IRQHandler(void),
    USART6_IRQHandler(void), UART_BottomHalf_IRQHandler(void); /* dev_uart.c */

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 102])(void) = {
    (void (*)(void))_stack_top, Reset_Handler,
    [2] = Default_Handler,                    /* NMI */
    [3] = Fault_Handler,                      /* HardFault */
    [4 ... 6] = MemManage_Handler,            /* MemManage, BusFault, UsageFault: kernel_fault */
    [7 ... 10] = Default_Handler,
    [11] = SVC_Handler,
    [12 ... 13] = Default_Handler,
    [14] = PendSV_Handler,
    [15 ... 16 + 27] = Default_Handler,       /* SysTick, IRQ 0-27 */
    [16 + 28] = TIM2_IRQHandler,
    [16 + 29 ... 16 + 36] = Default_Handler,
    [16 + 37] = USART1_IRQHandler,
    [16 + 38] = USART2_IRQHandler,
    [16 + 39] = USART3_IRQHandler,
    [16 + 40 ... 16 + 51] = Default_Handler,
    [16 + 52] = UART4_IRQHandler,
    [16 + 53 ... 16 + 70] = Default_Handler,
    [16 + 71] = USART6_IRQHandler,
    [16 + 72 ... 16 + 100] = Default_Handler,
    [16 + 101] = UART_BottomHalf_IRQHandler,  /* no device's: the UARTs' bottom half, pended by their top halves */
};

static void report(const char *what)
{
    uint32_t ipsr, psp;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    __asm__ volatile("mrs %0, psp" : "=r"(psp));
    console_write(what);
    console_unsigned(ipsr);
    console_write(" cfsr ");
    console_unsigned(*(volatile uint32_t *)0xE000ED28u);
    console_write(" psp-pc ");
    console_unsigned(psp != 0 ? ((volatile uint32_t *)psp)[6] : 0);
    console_write("\n");
}

void Fault_Handler(void)
{
    report("fault: exception ");
    finish(98);
}

void Default_Handler(void)
{
    report("unexpected exception ");
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
    for (uint32_t *dst = _user_start; dst < _user_end;) {
        *dst++ = 0;
    }
    finish(main());
}
