/*
 * Start-up: the vector table and the reset handler (copies .data, clears .bss, enables the FPU, calls
 * main). Unused interrupts go to Default_Handler, which stops in a loop the emulator reports as a hang.
 */
#include <stdint.h>

extern uint32_t _stack_top[], _data_load[], _data_start[], _data_end[], _bss_start[], _bss_end[];
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK(NMI_Handler); WEAK(SVC_Handler); WEAK(PendSV_Handler); WEAK(SysTick_Handler);
WEAK(PVD_IRQHandler); WEAK(EXTI9_5_IRQHandler); WEAK(TIM2_IRQHandler); WEAK(TIM3_IRQHandler);
WEAK(USART2_IRQHandler);

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 82])(void) = {
    /* no fault handlers: a fault stops the emulator with the faulting PC (MetrologyMeter.runUntil) */
    (void (*)(void))_stack_top, Reset_Handler, NMI_Handler, 0, 0, 0, 0, 0, 0, 0, 0, SVC_Handler, 0, 0,
    PendSV_Handler, SysTick_Handler,
    [16 ... 16 + 81] = Default_Handler,
    [16 + 1] = PVD_IRQHandler, [16 + 23] = EXTI9_5_IRQHandler, [16 + 28] = TIM2_IRQHandler,
    [16 + 29] = TIM3_IRQHandler, [16 + 38] = USART2_IRQHandler,
};

void Default_Handler(void)
{
    for (;;) {
    }
}

void Reset_Handler(void)
{
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: CP10/CP11 full access */
    __asm volatile("dsb\n\tisb" ::: "memory");
    const uint32_t *src = _data_load;
    for (uint32_t *dst = _data_start; dst < _data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = _bss_start; dst < _bss_end;) {
        *dst++ = 0;
    }
    main();
    for (;;) {
    }
}
