/* Minimal bare-metal startup for QEMU mps2-an386 (Cortex-M4F): vector table,
   FPU enable, semihosting console output and exit. No C library. */
#include <stdint.h>

extern uint32_t __stack_top, __bss_start, __bss_end;
int main(void);
void reset_handler(void);
static void fault_handler(void);

__attribute__((section(".vectors"), used))
static const void *const vectors[16] = {
    &__stack_top, (void *)reset_handler,
    (void *)fault_handler, (void *)fault_handler, (void *)fault_handler,
    (void *)fault_handler, (void *)fault_handler, 0, 0, 0, 0,
    (void *)fault_handler, (void *)fault_handler, 0,
    (void *)fault_handler, (void *)fault_handler,
};

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_write0(const char *s) { semihost(0x04, s); }           /* SYS_WRITE0 */

void semihost_exit(int ok)
{
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026) or RunTimeErrorUnknown (0x20023). */
    semihost(0x18, (const void *)(ok ? 0x20026 : 0x20023));
    for (;;) { }
}

static void fault_handler(void)
{
    semihost_write0("\nFAULT\n");
    semihost_exit(0);
}

void reset_handler(void)
{
    /* CPACR: full access to CP10/CP11, otherwise every VFP instruction faults (NOCP). */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (uint32_t *p = &__bss_start; p < &__bss_end; p++) *p = 0;
    semihost_exit(main() == 0);
}
