/*
 * mpu: the PMSAv7 memory protection unit — region attributes and access
 * permissions, overlapping regions (the higher number wins), subregion disable
 * bits, the privileged background region (PRIVDEFENA), execute-never, and the
 * MemManage faults they cause (CFSR.MMFSR with MMFAR), seen from privileged and
 * unprivileged thread mode. The probed areas sit at fixed addresses in the top
 * of SSRAM2/3, so every build prints the same addresses.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

#define AREA_NOACC  0x20300000u   /* 4 KiB, no access, 8 subregions of 512 B */
#define AREA_PRIVRW 0x20302000u   /* 1 KiB, privileged RW, unprivileged RO  */
#define AREA_RO     0x20302400u   /* 256 B, read-only for everybody          */
#define AREA_EXEC   0x20302800u   /* 32 B, executable RAM                    */
#define AREA_XN     0x20302900u   /* in the XN RAM region                    */
#define AREA_HOLE   0x20300C00u   /* inside AREA_NOACC, re-opened by region 7 */

/* RASR fields (ARMv7-M B3.5.9). */
#define RASR_XN        (1u << 28)
#define RASR_AP(x)     ((uint32_t)(x) << 24)
#define RASR_TEX_SCB(tex, s, c, b) (((uint32_t)(tex) << 19) | ((uint32_t)(s) << 18) | ((uint32_t)(c) << 17) | ((uint32_t)(b) << 16))
#define RASR_SRD(x)    ((uint32_t)(x) << 8)
#define RASR_SIZE(log2) ((uint32_t)((log2) - 1) << 1)
#define RASR_ENABLE    1u

enum { AP_NONE = 0, AP_PRIV_RW = 1, AP_PRIV_RW_USER_RO = 2, AP_FULL = 3, AP_PRIV_RO = 5, AP_RO = 6 };

static inline void barrier(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }

static void set_region(uint32_t n, uint32_t base, uint32_t rasr)
{
    MPU_RBAR = base | (1u << 4) | n;        /* VALID: selects region n as well */
    MPU_RASR = rasr;
}

/* ---- fault bookkeeping ------------------------------------------------- */

static volatile uint32_t mm_count, bus_count, hard_count, last_cfsr, last_hfsr, last_far, recover_to_lr;

static void record(uint32_t *frame, volatile uint32_t *counter)
{
    (*counter)++;
    uint32_t cfsr = SCB_CFSR;
    last_cfsr = cfsr;
    last_hfsr = SCB_HFSR;
    SCB_HFSR = last_hfsr;
    last_far = (cfsr & 0x80u) ? SCB_MMFAR : (cfsr & 0x8000u) ? SCB_BFAR : 0xFFFFFFFFu;
    SCB_CFSR = cfsr;
    if (recover_to_lr) {
        frame[FR_PC] = frame[FR_LR] & ~1u;     /* instruction fetch faults: back to the caller */
    } else {
        frame[FR_PC] += thumb_insn_len(frame[FR_PC]);
    }
}

void memmanage_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; record(frame, &mm_count); }
void busfault_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; record(frame, &bus_count); }
HANDLER_TRAMPOLINE(MemManage_Handler, memmanage_c)
void hardfault_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; record(frame, &hard_count); }
HANDLER_TRAMPOLINE(BusFault_Handler, busfault_c)
HANDLER_TRAMPOLINE(HardFault_Handler, hardfault_c)

/* SVC 0: back to privileged thread mode. */
void svc_c(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    (void)exc_return;
    uint32_t c;
    __asm volatile("mrs %0, control" : "=r"(c));
    __asm volatile("msr control, %0\n\tisb" : : "r"(c & ~1u) : "memory");
}
HANDLER_TRAMPOLINE(SVC_Handler, svc_c)

static void drop_privilege(void)
{
    uint32_t c;
    __asm volatile("mrs %0, control" : "=r"(c));
    __asm volatile("msr control, %0\n\tisb" : : "r"(c | 1u) : "memory");
}

static void regain_privilege(void) { __asm volatile("svc #0" ::: "memory"); }

static uint32_t privileged(void)
{
    uint32_t c;
    __asm volatile("mrs %0, control" : "=r"(c));
    return !(c & 1u);
}

/* ---- probes -------------------------------------------------------------- */

__attribute__((naked, noinline)) static uint32_t probe_ld(uint32_t addr)
{
    (void)addr;
    __asm volatile("ldr r0, [r0]\n\tbx lr");
}
__attribute__((naked, noinline)) static void probe_st(uint32_t addr, uint32_t value)
{
    (void)addr;
    (void)value;
    __asm volatile("str r1, [r0]\n\tbx lr");
}

struct probe {
    const char *name;
    uint32_t addr;
};

static const struct probe probes[] = {
    {"noacc sub0", AREA_NOACC + 0x000},
    {"noacc sub1", AREA_NOACC + 0x200},
    {"noacc sub2", AREA_NOACC + 0x404},
    {"noacc sub5", AREA_NOACC + 0xA08},
    {"noacc sub7", AREA_NOACC + 0xFFC},
    {"hole (r7)", AREA_HOLE + 0x10},
    {"privrw", AREA_PRIVRW + 0x20},
    {"ro", AREA_RO + 0x40},
    {"ram", 0x20200000u},
    {"code", 0x003FFF00u},          /* unused end of SSRAM1: writes must not hit code */
    {"psram", 0x21000000u},
    {"scb", 0xE000ED00u},
};
#define NPROBES (sizeof probes / sizeof probes[0])

/* Results are kept in RAM and printed once privileged again. */
static char results[NPROBES][2][48];

static void probe_all(int column)
{
    for (unsigned i = 0; i < NPROBES; i++) {
        for (int w = 0; w < 2; w++) {
            uint32_t mm0 = mm_count, bus0 = bus_count;
            if (w) {
                probe_st(probes[i].addr, 0xA5A5A5A5u);
            } else {
                (void)probe_ld(probes[i].addr);
            }
            char *out = results[i][w];
            if (mm_count != mm0) {
                snprintf(out, 48, "MM %02lx@%08lx", (unsigned long)(last_cfsr & 0xFF), (unsigned long)last_far);
            } else if (bus_count != bus0) {
                snprintf(out, 48, "BF %04lx@%08lx", (unsigned long)(last_cfsr & 0xFF00), (unsigned long)last_far);
            } else {
                strcpy(out, "ok");
            }
        }
    }
    (void)column;
}

static void print_results(const char *mode)
{
    printf("-- %s\n", mode);
    for (unsigned i = 0; i < NPROBES; i++) {
        printf("  %-11s %08lx  read %-20s write %s\n", probes[i].name, (unsigned long)probes[i].addr, results[i][0],
               results[i][1]);
    }
}

static void run_both(const char *label)
{
    char name[96];
    probe_all(0);
    snprintf(name, sizeof name, "%s, privileged", label);
    print_results(name);
    drop_privilege();
    uint32_t p = privileged();
    probe_all(1);
    regain_privilege();
    snprintf(name, sizeof name, "%s, unprivileged (privileged=%lu)", label, (unsigned long)p);
    print_results(name);
}

/* ---- execute-never --------------------------------------------------------- */

typedef uint32_t (*ramfn)(uint32_t);

static void exec_test(const char *what, uint32_t addr)
{
    /* adds r0, #1 ; bx lr */
    static const uint16_t code[2] = {0x3001, 0x4770};
    memcpy((void *)addr, code, sizeof code);
    barrier();
    uint32_t mm0 = mm_count;
    recover_to_lr = 1;
    uint32_t r = ((ramfn)(addr | 1u))(41);
    recover_to_lr = 0;
    if (mm_count != mm0) {
        printf("exec %s: MemManage CFSR=%08lx MMFAR-valid=%lu\n", what, (unsigned long)last_cfsr,
               (unsigned long)((last_cfsr >> 7) & 1));
    } else {
        printf("exec %s: ran, returned %lu\n", what, (unsigned long)r);
    }
}

int main(void)
{
    printf("mpu corpus\n");
    printf("MPU_TYPE %08lx CTRL %08lx\n", (unsigned long)MPU_TYPE, (unsigned long)MPU_CTRL);
    SCB_SHCSR |= (1u << 16) | (1u << 17);     /* MEMFAULTENA, BUSFAULTENA */
    barrier();
    memset((void *)AREA_NOACC, 0x11, 0x1000);
    memset((void *)AREA_PRIVRW, 0x22, 0x400);
    memset((void *)AREA_RO, 0x33, 0x100);

    run_both("MPU off");

    /* Region 0: code, read-only for all, executable. */
    set_region(0, 0x00000000u, RASR_AP(AP_RO) | RASR_TEX_SCB(0, 0, 1, 0) | RASR_SIZE(22) | RASR_ENABLE);
    /* Region 1: all of SSRAM2/3, full access, execute-never. */
    set_region(1, 0x20000000u, RASR_XN | RASR_AP(AP_FULL) | RASR_TEX_SCB(1, 1, 1, 1) | RASR_SIZE(22) | RASR_ENABLE);
    /* Region 2: 4 KiB no-access, subregions 1 and 5 disabled (they fall through to region 1). */
    set_region(2, AREA_NOACC, RASR_XN | RASR_AP(AP_NONE) | RASR_SRD(0x22) | RASR_SIZE(12) | RASR_ENABLE);
    /* Region 3: privileged RW, unprivileged RO. */
    set_region(3, AREA_PRIVRW, RASR_XN | RASR_AP(AP_PRIV_RW_USER_RO) | RASR_SIZE(10) | RASR_ENABLE);
    /* Region 4: read-only. */
    set_region(4, AREA_RO, RASR_XN | RASR_AP(AP_RO) | RASR_SIZE(8) | RASR_ENABLE);
    /* Region 5: executable 32 bytes of RAM. */
    set_region(5, AREA_EXEC, RASR_AP(AP_FULL) | RASR_SIZE(5) | RASR_ENABLE);
    /* Region 6: unused. */
    set_region(6, 0, 0);
    /* Region 7: 256 bytes re-opened inside region 2: the higher region number wins. */
    set_region(7, AREA_HOLE, RASR_XN | RASR_AP(AP_FULL) | RASR_SIZE(8) | RASR_ENABLE);

    printf("region readback:");
    for (uint32_t n = 0; n < 8; n++) {
        MPU_RNR = n;
        printf(" %lu:%08lx/%08lx", (unsigned long)n, (unsigned long)MPU_RBAR, (unsigned long)MPU_RASR);
    }
    printf("\n");

    MPU_CTRL = 1u | (1u << 2);                /* ENABLE | PRIVDEFENA */
    barrier();
    run_both("MPU on, PRIVDEFENA=1");

    MPU_CTRL = 1u;                            /* ENABLE, no background region */
    barrier();
    run_both("MPU on, PRIVDEFENA=0");

    MPU_CTRL = 1u | (1u << 2);
    barrier();
    printf("-- execute-never\n");
    exec_test("in executable region 5", AREA_EXEC);
    exec_test("in XN region 1", AREA_XN);
    /* Re-enable subregion 1 of region 2: now it is no-access too. */
    MPU_RNR = 2;
    MPU_RASR = (MPU_RASR & ~RASR_SRD(0xFF)) | RASR_SRD(0x20);
    barrier();
    uint32_t mm0 = mm_count;
    (void)probe_ld(AREA_NOACC + 0x200);
    printf("subregion 1 re-enabled: faults+%lu CFSR=%08lx MMFAR=%08lx\n", (unsigned long)(mm_count - mm0),
           (unsigned long)last_cfsr, (unsigned long)last_far);

    /* A MemManage fault while MemManage is disabled escalates to HardFault. */
    SCB_SHCSR &= ~(1u << 16);
    barrier();
    printf("-- MemManage disabled: a violation becomes a HardFault\n");
    uint32_t hf0 = hard_count;
    mm0 = mm_count;
    probe_st(AREA_NOACC + 0x10, 1);
    printf("hardfaults+%lu memmanage+%lu HFSR=%08lx CFSR=%08lx MMFAR=%08lx\n", (unsigned long)(hard_count - hf0),
           (unsigned long)(mm_count - mm0), (unsigned long)last_hfsr, (unsigned long)last_cfsr,
           (unsigned long)last_far);
    SCB_SHCSR |= 1u << 16;
    barrier();
    MPU_CTRL = 0;
    barrier();
    printf("MPU off again; MemManage faults %lu, BusFaults %lu, HardFaults %lu\n", (unsigned long)mm_count,
           (unsigned long)bus_count, (unsigned long)hard_count);
    printf("done\n");
    return 0;
}
