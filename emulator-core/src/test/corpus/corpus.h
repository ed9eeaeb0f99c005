/* Shared helpers for the MeterTwin firmware corpus (mps2-an386, semihosting). */
#ifndef CORPUS_H
#define CORPUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REG32(addr) (*(volatile uint32_t *)(addr))
#define REG8(addr)  (*(volatile uint8_t *)(addr))

/* System control space (ARMv7-M B3.2). */
#define SCB_ICSR   REG32(0xE000ED04)
#define SCB_VTOR   REG32(0xE000ED08)
#define SCB_AIRCR  REG32(0xE000ED0C)
#define SCB_SCR    REG32(0xE000ED10)
#define SCB_CCR    REG32(0xE000ED14)
#define SCB_SHPR1  REG32(0xE000ED18)
#define SCB_SHPR2  REG32(0xE000ED1C)
#define SCB_SHPR3  REG32(0xE000ED20)
#define SCB_SHCSR  REG32(0xE000ED24)
#define SCB_CFSR   REG32(0xE000ED28)
#define SCB_HFSR   REG32(0xE000ED2C)
#define SCB_MMFAR  REG32(0xE000ED34)
#define SCB_BFAR   REG32(0xE000ED38)
#define SCB_CPACR  REG32(0xE000ED88)
#define SCB_STIR   REG32(0xE000EF00)
#define FPU_FPCCR  REG32(0xE000EF34)
#define FPU_FPCAR  REG32(0xE000EF38)
#define FPU_FPDSCR REG32(0xE000EF3C)

#define SYST_CSR   REG32(0xE000E010)
#define SYST_RVR   REG32(0xE000E014)
#define SYST_CVR   REG32(0xE000E018)

#define NVIC_ISER(n) REG32(0xE000E100 + 4 * (n))
#define NVIC_ICER(n) REG32(0xE000E180 + 4 * (n))
#define NVIC_ISPR(n) REG32(0xE000E200 + 4 * (n))
#define NVIC_ICPR(n) REG32(0xE000E280 + 4 * (n))
#define NVIC_IABR(n) REG32(0xE000E300 + 4 * (n))
#define NVIC_IPR8(n) REG8(0xE000E400 + (n))

#define MPU_TYPE   REG32(0xE000ED90)
#define MPU_CTRL   REG32(0xE000ED94)
#define MPU_RNR    REG32(0xE000ED98)
#define MPU_RBAR   REG32(0xE000ED9C)
#define MPU_RASR   REG32(0xE000EDA0)

/* Semihosting (ARM DUI 0471 / "Semihosting for AArch32 and AArch64"). */
static inline uint32_t sh_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

#define ADP_Stopped_ApplicationExit 0x20026u

/* Stop the machine with a process-style exit status, without going through libc. */
static inline void __attribute__((noreturn)) sh_exit(uint32_t status)
{
    if (status == 0) {
        sh_call(0x18, (const void *)ADP_Stopped_ApplicationExit);   /* SYS_EXIT */
    } else {
        uint32_t block[2] = {ADP_Stopped_ApplicationExit, status};
        sh_call(0x20, block);                                       /* SYS_EXIT_EXTENDED */
    }
    for (;;) {
    }
}

/* Hides a value from the optimiser so that the CPU, not the compiler, computes with it. */
#ifdef __cplusplus
#define OPQ(x) ({ auto _v = (x); __asm volatile("" : "+r"(_v)); _v; })
#else
#define OPQ(x) ({ __auto_type _v = (x); __asm volatile("" : "+r"(_v)); _v; })
#endif

static inline uint32_t read_apsr(void)
{
    uint32_t v;
    __asm volatile("mrs %0, apsr" : "=r"(v));
    return v;
}

static inline void clear_apsr(void)
{
    __asm volatile("msr apsr_nzcvqg, %0" : : "r"(0) : "cc");
}

/*
 * Exception entry trampoline: passes the stacked frame (MSP or PSP, chosen by
 * EXC_RETURN bit 2) and EXC_RETURN itself to a C function. The C function
 * returns through the untouched LR, which performs the exception return.
 */
#define HANDLER_TRAMPOLINE(name, cfunc)                \
    __attribute__((naked)) void name(void)             \
    {                                                  \
        __asm volatile("tst lr, #4\n\t"                \
                       "ite eq\n\t"                    \
                       "mrseq r0, msp\n\t"             \
                       "mrsne r0, psp\n\t"             \
                       "mov r1, lr\n\t"                \
                       "b " #cfunc "\n\t");            \
    }

/* Stacked frame words (ARMv7-M B1.5.6). */
enum { FR_R0, FR_R1, FR_R2, FR_R3, FR_R12, FR_LR, FR_PC, FR_XPSR };

/* Length of the Thumb instruction at addr: 4 for a 32-bit encoding, else 2. */
static inline uint32_t thumb_insn_len(uint32_t addr)
{
    uint16_t hw = *(volatile uint16_t *)addr;
    return (hw >> 11) >= 0x1D ? 4u : 2u;
}

#ifdef __cplusplus
}
#endif

#endif
