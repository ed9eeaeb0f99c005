/*
 * Startup for the MeterTwin firmware corpus on QEMU's mps2-an386 (Cortex-M4F).
 *
 * We do not use newlib's rdimon crt0: it asks the debugger (SYS_HEAPINFO) where
 * the stack and heap are, and QEMU's answer depends on QEMU internals. Instead the
 * stack, heap and data layout come from link.ld alone, and the semihosting stdio
 * of librdimon is set up by calling initialise_monitor_handles() ourselves.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "corpus.h"

extern uint32_t _stack_top[];
extern uint32_t _data_load[], _data_start[], _data_end[];
extern uint32_t _bss_start[], _bss_end[];
extern char end[], _heap_limit[];

extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(IRQ_Handler);

/* 16 system exceptions + the 32 external interrupts of mps2-an386. */
__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 32])(void) = {
    (void (*)(void))_stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    [16 ... 47] = IRQ_Handler,
};

/* C++ runtime pieces normally supplied by crti.o/crtbegin.o. */
void *__dso_handle = 0;
void _init(void) {}
void _fini(void) {}

void Reset_Handler(void)
{
    /* Full access to CP10/CP11 so that hard-float code (and lazy stacking) works. */
    SCB_CPACR |= (0xFu << 20);
    __asm volatile("dsb\n\tisb" ::: "memory");

    uint32_t *src = _data_load;
    for (uint32_t *dst = _data_start; dst < _data_end; ) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = _bss_start; dst < _bss_end; ) {
        *dst++ = 0;
    }
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}

/* Any exception a program did not ask for: report and stop with status 99. */
void unexpected_exception(uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    printf("UNEXPECTED EXCEPTION %lu CFSR=%08lx HFSR=%08lx EXC_RETURN=%08lx stacked PC=%08lx LR=%08lx\n",
           (unsigned long)(ipsr & 0x1FF), (unsigned long)SCB_CFSR, (unsigned long)SCB_HFSR,
           (unsigned long)exc_return, (unsigned long)frame[FR_PC], (unsigned long)frame[FR_LR]);
    fflush(stdout);
    sh_exit(99);
}
HANDLER_TRAMPOLINE(Default_Handler, unexpected_exception)

/* A heap that depends on link.ld only: from `end` up to the stack reserve. */
void *_sbrk(ptrdiff_t incr)
{
    static char *heap_end;
    if (heap_end == NULL) {
        heap_end = end;
    }
    if (incr > _heap_limit - heap_end) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *prev = heap_end;
    heap_end += incr;
    return prev;
}
