/*
 * division: UDIV and SDIV edge cases. With CCR.DIV_0_TRP clear a division by
 * zero yields 0; INT_MIN / -1 yields INT_MIN without any trap. Then
 * DIV_0_TRP is set and each division by zero must raise a UsageFault with
 * CFSR.DIVBYZERO, which the handler records and steps over.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

static uint32_t udiv(uint32_t a, uint32_t b)
{
    uint32_t r = 0xEEEEEEEEu;
    __asm volatile("udiv %0, %1, %2" : "+r"(r) : "r"(a), "r"(b));
    return r;
}

static int32_t sdiv(int32_t a, int32_t b)
{
    int32_t r = (int32_t)0xEEEEEEEEu;
    __asm volatile("sdiv %0, %1, %2" : "+r"(r) : "r"(a), "r"(b));
    return r;
}

static const int32_t V[] = {
    0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, 65536, -65536, 0x12345678, -0x12345678,
    INT_MAX, INT_MAX - 1, INT_MIN, INT_MIN + 1, (int32_t)0xAAAAAAAA, 0x55555555,
};
#define NV (sizeof V / sizeof V[0])

static void test_table(void)
{
    printf("== udiv sdiv table\n");
    for (unsigned i = 0; i < NV; i++) {
        printf("%08lx:", (unsigned long)(uint32_t)V[i]);
        for (unsigned j = 0; j < NV; j++) {
            printf(" %lx/%lx", (unsigned long)udiv((uint32_t)V[i], (uint32_t)V[j]),
                   (unsigned long)(uint32_t)sdiv(V[i], V[j]));
        }
        printf("\n");
    }
}

/* Compiled division: by constants (multiply-high sequences) and by variables. */
static void test_compiled(void)
{
    printf("== compiled division\n");
    uint32_t acc = 0;
    for (unsigned i = 0; i < NV; i++) {
        int32_t a = OPQ(V[i]);
        uint32_t u = (uint32_t)a;
        printf("c %ld: %ld %ld %ld %ld %ld %ld | %lu %lu %lu %lu %lu\n", (long)a,
               (long)(a / 3), (long)(a % 3), (long)(a / -7), (long)(a % -7), (long)(a / 1000),
               (long)(a % 16), (unsigned long)(u / 3), (unsigned long)(u % 10),
               (unsigned long)(u / 1000000), (unsigned long)(u / 0x80000001u), (unsigned long)(u % 641));
        for (unsigned j = 0; j < NV; j++) {
            int32_t b = OPQ(V[j]);
            if (b == 0 || (a == INT_MIN && b == -1)) {
                continue;
            }
            acc = acc * 33u + (uint32_t)(a / b) + (uint32_t)(a % b) * 7u + (u / (uint32_t)b) + (u % (uint32_t)b);
        }
    }
    printf("acc %08lx\n", (unsigned long)acc);
}

static volatile uint32_t traps, last_cfsr, last_pc_offset;

void usage_fault_c(uint32_t *frame, uint32_t exc_return)
{
    (void)exc_return;
    last_cfsr = SCB_CFSR;
    SCB_CFSR = last_cfsr;                       /* write-one-to-clear */
    traps++;
    frame[FR_PC] += thumb_insn_len(frame[FR_PC]);
}
HANDLER_TRAMPOLINE(UsageFault_Handler, usage_fault_c)

static void test_trap(void)
{
    printf("== DIV_0_TRP\n");
    printf("CCR at reset %08lx\n", (unsigned long)SCB_CCR);
    SCB_SHCSR |= 1u << 18;                     /* USGFAULTENA */
    SCB_CCR |= 1u << 4;                        /* DIV_0_TRP */
    __asm volatile("dsb\n\tisb");
    printf("CCR trap on %08lx\n", (unsigned long)SCB_CCR);

    static const uint32_t nums[] = {0, 1, 0x80000000u, 0xFFFFFFFFu};
    for (unsigned i = 0; i < 4; i++) {
        /*
         * The destination of a trapping division is left unchanged by the
         * architecture, but QEMU 7.2 does not write back that register's old
         * value before the trap (its division helpers are declared as not
         * touching CPU state), so the value after the trap is not compared.
         */
        uint32_t before = traps;
        (void)udiv(nums[i], OPQ(0u));
        printf("udiv %08lx/0 traps+%lu cfsr %08lx\n", (unsigned long)nums[i],
               (unsigned long)(traps - before), (unsigned long)last_cfsr);
        before = traps;
        (void)sdiv((int32_t)nums[i], OPQ(0));
        printf("sdiv %08lx/0 traps+%lu cfsr %08lx\n", (unsigned long)nums[i],
               (unsigned long)(traps - before), (unsigned long)last_cfsr);
    }
    /* Non-zero divisors never trap, INT_MIN / -1 included. */
    uint32_t before = traps;
    printf("sdiv INT_MIN/-1 -> %08lx\n", (unsigned long)(uint32_t)sdiv(INT_MIN, OPQ(-1)));
    printf("udiv 7/2 -> %lu\n", (unsigned long)udiv(7, OPQ(2u)));
    printf("traps after non-zero divisors +%lu\n", (unsigned long)(traps - before));
    printf("CFSR now %08lx\n", (unsigned long)SCB_CFSR);

    SCB_CCR &= ~(1u << 4);
    __asm volatile("dsb\n\tisb");
    before = traps;
    printf("trap off: udiv 9/0 -> %lu sdiv -9/0 -> %ld traps+%lu\n", (unsigned long)udiv(9, OPQ(0u)),
           (long)sdiv(-9, OPQ(0)), (unsigned long)(traps - before));
    printf("total traps %lu\n", (unsigned long)traps);
}

int main(void)
{
    printf("division corpus\n");
    test_table();
    test_compiled();
    test_trap();
    printf("done\n");
    return 0;
}
