/*
 * exceptions: the ARMv7-M exception model on mps2-an386 — SVC with arguments
 * and results, PendSV through ICSR and its tail-chaining after SVC, SysTick
 * interrupts counted up to a fixed number, external interrupts pended through
 * NVIC_ISPR and STIR with priorities (preemption, tail-chaining, group
 * priority by PRIGROUP), masking by PRIMASK, FAULTMASK and BASEPRI, a vector
 * table moved by VTOR, and faults: UsageFaults (UDF, divide by zero, unaligned
 * access, invalid state, no coprocessor), escalation to HardFault (HFSR.FORCED)
 * and a BusFault on an unmapped address with BFAR.
 *
 * Handlers only append tokens to an event log; the thread prints it. Nothing
 * printed depends on timing: only counts and the order of events.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

/* ---- event log ------------------------------------------------------------ */

static volatile char evlog[512];
static volatile unsigned evlen;

static void ev(const char *s)
{
    while (*s && evlen < sizeof evlog - 1) {
        evlog[evlen++] = *s++;
    }
}

static void ev_num(char tag, unsigned n)
{
    char b[8];
    int i = 0;
    b[i++] = tag;
    if (n >= 10) {
        b[i++] = (char)('0' + n / 10);
    }
    b[i++] = (char)('0' + n % 10);
    b[i++] = ' ';
    b[i] = 0;
    ev(b);
}

static void show(const char *what)
{
    evlog[evlen] = 0;
    printf("%s: %s\n", what, (const char *)evlog);
    evlen = 0;
}

static inline void barrier(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }
static inline uint32_t get_ipsr(void) { uint32_t v; __asm volatile("mrs %0, ipsr" : "=r"(v)); return v; }
static inline uint32_t get_control(void) { uint32_t v; __asm volatile("mrs %0, control" : "=r"(v)); return v; }
static inline uint32_t get_basepri(void) { uint32_t v; __asm volatile("mrs %0, basepri" : "=r"(v)); return v; }
static inline void set_basepri(uint32_t v) { __asm volatile("msr basepri, %0" : : "r"(v) : "memory"); }
static inline void set_basepri_max(uint32_t v) { __asm volatile("msr basepri_max, %0" : : "r"(v) : "memory"); }

/* ---- SVC and PendSV ------------------------------------------------------ */

#define SVC_CALL(num, a, b, c, d)                                                   \
    ({                                                                              \
        register uint32_t r0 __asm("r0") = (a);                                     \
        register uint32_t r1 __asm("r1") = (b);                                     \
        register uint32_t r2 __asm("r2") = (c);                                     \
        register uint32_t r3 __asm("r3") = (d);                                     \
        __asm volatile("svc %[n]" : "+r"(r0) : [n] "I"(num), "r"(r1), "r"(r2), "r"(r3) \
                       : "memory");                                                 \
        r0;                                                                         \
    })

static volatile uint32_t svc_seen_exc_return, svc_seen_ipsr, svc_seen_control;

void svc_c(uint32_t *frame, uint32_t exc_return)
{
    uint32_t num = *(volatile uint16_t *)(frame[FR_PC] - 2) & 0xFFu;
    ev_num('S', num);
    switch (num) {
    case 0:
        frame[FR_R0] = frame[FR_R0] + frame[FR_R1] + frame[FR_R2] + frame[FR_R3];
        break;
    case 1:
        frame[FR_R0] = frame[FR_R0] * frame[FR_R1] - frame[FR_R2];
        break;
    case 2:
        /* PendSV has a lower priority: it runs when this handler returns. */
        SCB_ICSR = 1u << 28;
        barrier();
        ev("s2-pended ");
        break;
    case 3:
        svc_seen_exc_return = exc_return;
        svc_seen_ipsr = get_ipsr();
        svc_seen_control = get_control();
        frame[FR_R0] = (frame[FR_XPSR] >> 24) & 1;   /* stacked T bit */
        break;
    default:
        frame[FR_R0] = 0xBAD;
        break;
    }
}
HANDLER_TRAMPOLINE(SVC_Handler, svc_c)

static volatile unsigned pendsv_count;

void PendSV_Handler(void)
{
    pendsv_count++;
    ev_num('P', get_ipsr());
}

static void test_svc(void)
{
    printf("== SVC and PendSV\n");
    uint32_t r = SVC_CALL(0, 1, 20, 300, 4000);
    printf("svc0 sum -> %lu\n", (unsigned long)r);
    r = SVC_CALL(1, 1234, 5678, 99, 0);
    printf("svc1 mul-sub -> %lu\n", (unsigned long)r);
    r = SVC_CALL(3, 0, 0, 0, 0);
    printf("svc3 stacked T=%lu EXC_RETURN=%08lx IPSR=%lu CONTROL.nPRIV/SPSEL=%lu\n", (unsigned long)r,
           (unsigned long)svc_seen_exc_return, (unsigned long)svc_seen_ipsr,
           (unsigned long)(svc_seen_control & 3));
    r = SVC_CALL(77, 0, 0, 0, 0);
    printf("svc77 -> %lx\n", (unsigned long)r);
    show("log");

    SCB_SHPR3 = (SCB_SHPR3 & 0xFF00FFFFu) | (0xE0u << 16);   /* PendSV lowest */
    SVC_CALL(2, 0, 0, 0, 0);
    ev("thread ");
    show("svc2 then pendsv");
    SCB_ICSR = 1u << 28;                                      /* from thread: immediate */
    barrier();
    ev("thread ");
    show("pendsv from thread");
    __asm volatile("cpsid i" ::: "memory");
    SCB_ICSR = 1u << 28;
    barrier();
    printf("masked: ICSR.PENDSVSET=%lu VECTPENDING=%lu\n", (unsigned long)((SCB_ICSR >> 28) & 1),
           (unsigned long)((SCB_ICSR >> 12) & 0x1FF));
    SCB_ICSR = 1u << 27;                                      /* PENDSVCLR */
    barrier();
    __asm volatile("cpsie i" ::: "memory");
    barrier();
    ev("thread ");
    show("pendsv cleared while masked");
    printf("pendsv count %u\n", pendsv_count);
}

/* ---- SysTick -------------------------------------------------------------- */

#define TICKS_WANTED 25u
static volatile unsigned ticks;

void SysTick_Handler(void)
{
    if (++ticks == TICKS_WANTED) {
        SYST_CSR = 0;                /* stop exactly at the wanted count */
    }
}

static void test_systick(void)
{
    printf("== SysTick\n");
    SYST_CSR = 0;
    SYST_RVR = 2499;                 /* 2500 core clocks per tick */
    SYST_CVR = 0;
    SYST_CSR = 7;                    /* ENABLE | TICKINT | CLKSOURCE=core */
    while (ticks < TICKS_WANTED) {
        __asm volatile("wfi");
    }
    for (volatile int i = 0; i < 20000; i++) {
    }
    printf("ticks %u (wanted %u), SysTick enabled %lu\n", ticks, TICKS_WANTED, (unsigned long)(SYST_CSR & 1));
    /* Pending SysTick by software (ICSR.PENDSTSET) runs the handler once more. */
    SCB_ICSR = 1u << 26;
    barrier();
    printf("after PENDSTSET ticks %u\n", ticks);
}

/* ---- external interrupts -------------------------------------------------- */

/* IRQs 25..31 are not wired to any device on mps2-an386. */
static volatile uint32_t pend_on_entry[32];
static volatile uint32_t active_seen[32];

static void pend(unsigned irq) { NVIC_ISPR(0) = 1u << irq; }

void IRQ_Handler(void)
{
    unsigned irq = get_ipsr() - 16;
    ev_num('+', irq);
    active_seen[irq] = NVIC_IABR(0);
    uint32_t p = pend_on_entry[irq];
    if (p) {
        pend_on_entry[irq] = 0;
        NVIC_ISPR(0) = p;
        barrier();
    }
    ev_num('-', irq);
}

static void set_prio(unsigned irq, uint32_t prio) { NVIC_IPR8(irq) = (uint8_t)prio; }

static void test_nvic(void)
{
    printf("== NVIC\n");
    for (unsigned irq = 25; irq < 32; irq++) {
        NVIC_ICPR(0) = 1u << irq;
        NVIC_ISER(0) = 1u << irq;
    }
    set_prio(25, 0x80);
    set_prio(26, 0x40);
    set_prio(27, 0x80);
    set_prio(28, 0xC0);
    set_prio(29, 0x80);
    set_prio(30, 0x40);
    set_prio(31, 0xC0);

    pend(25);
    barrier();
    show("single");

    __asm volatile("cpsid i" ::: "memory");
    pend(28);
    pend(27);
    pend(25);
    pend(26);
    barrier();
    printf("PRIMASK: pending %08lx\n", (unsigned long)(NVIC_ISPR(0) & 0xFE000000u));
    show("nothing taken while PRIMASK is set");
    printf("ICSR.ISRPENDING=%lu VECTPENDING=%lu\n", (unsigned long)((SCB_ICSR >> 22) & 1),
           (unsigned long)((SCB_ICSR >> 12) & 0x1FF));
    __asm volatile("cpsie i" ::: "memory");
    barrier();
    show("released by cpsie (priority, then number)");

    pend_on_entry[29] = (1u << 30) | (1u << 31);
    pend(29);
    barrier();
    show("29 pends 30 (higher: preempts) and 31 (lower: tail-chains)");
    printf("active bits seen in 30: %08lx, in 31: %08lx\n", (unsigned long)active_seen[30],
           (unsigned long)active_seen[31]);

    pend_on_entry[25] = 1u << 27;
    pend(25);
    barrier();
    show("25 pends 27 (same priority: after)");

    /* Group priority: with PRIGROUP=5 only bits 7:6 preempt. */
    set_prio(25, 0x60);
    set_prio(26, 0x40);
    SCB_AIRCR = 0x05FA0000u | (5u << 8);
    barrier();
    pend_on_entry[25] = 1u << 26;
    pend(25);
    barrier();
    show("PRIGROUP=5, 25(0x60) pends 26(0x40)");
    SCB_AIRCR = 0x05FA0000u | (0u << 8);
    barrier();
    pend_on_entry[25] = 1u << 26;
    pend(25);
    barrier();
    show("PRIGROUP=0, 25(0x60) pends 26(0x40)");
    printf("AIRCR.PRIGROUP=%lu\n", (unsigned long)((SCB_AIRCR >> 8) & 7));
    set_prio(25, 0x80);

    /* BASEPRI masks by priority, BASEPRI_MAX only raises. */
    set_basepri(0x40);
    pend(25);
    barrier();
    show("BASEPRI=0x40, 25(0x80) pended");
    set_basepri_max(0x80);
    printf("BASEPRI after BASEPRI_MAX(0x80): %02lx\n", (unsigned long)get_basepri());
    set_basepri_max(0x20);
    printf("BASEPRI after BASEPRI_MAX(0x20): %02lx\n", (unsigned long)get_basepri());
    set_prio(26, 0x00);
    pend(26);
    barrier();
    show("BASEPRI=0x20, 26(0x00) pended");
    set_basepri(0);
    barrier();
    show("BASEPRI=0");
    set_prio(26, 0x40);

    __asm volatile("cpsid f" ::: "memory");
    pend(30);
    barrier();
    show("FAULTMASK set, 30 pended");
    __asm volatile("cpsie f" ::: "memory");
    barrier();
    show("FAULTMASK cleared");

    SCB_STIR = 27;
    barrier();
    show("STIR=27");

    /* Disabled interrupts stay pending until enabled. */
    NVIC_ICER(0) = 1u << 31;
    pend(31);
    barrier();
    printf("31 disabled: pending=%lu\n", (unsigned long)((NVIC_ISPR(0) >> 31) & 1));
    show("disabled");
    NVIC_ISER(0) = 1u << 31;
    barrier();
    show("enabled");
}

/* ---- VTOR ------------------------------------------------------------------ */

extern void (*const vector_table[48])(void);
static void (*ram_vectors[48])(void) __attribute__((aligned(256)));

static void alt_handler(void)
{
    ev_num('A', get_ipsr() - 16);
}

static void test_vtor(void)
{
    printf("== VTOR\n");
    printf("VTOR at reset %08lx\n", (unsigned long)SCB_VTOR);
    memcpy(ram_vectors, vector_table, sizeof ram_vectors);
    ram_vectors[16 + 28] = alt_handler;
    barrier();
    SCB_VTOR = (uint32_t)ram_vectors;
    barrier();
    printf("VTOR moved to RAM: %d\n", SCB_VTOR == (uint32_t)ram_vectors);
    /* Both pended under PRIMASK, so when each is taken is not a matter of timing. */
    __asm volatile("cpsid i" ::: "memory");
    pend(28);
    pend(27);
    __asm volatile("cpsie i" ::: "memory");
    barrier();
    show("with RAM table");
    SCB_VTOR = 0;
    barrier();
    pend(28);
    barrier();
    show("back to table at 0");
}

/* ---- faults ---------------------------------------------------------------- */

static volatile uint32_t fault_cfsr, fault_hfsr, fault_bfar, fault_pc_ok, fault_count;
static volatile uint32_t expected_pc;
static volatile uint32_t fault_recover_to_lr;

static void fault_common(uint32_t *frame, const char *tag)
{
    fault_count++;
    fault_cfsr = SCB_CFSR;
    fault_hfsr = SCB_HFSR;
    fault_bfar = (fault_cfsr & 0x8000u) ? SCB_BFAR : 0;
    fault_pc_ok = (frame[FR_PC] == expected_pc);
    SCB_CFSR = fault_cfsr;                 /* write one to clear */
    SCB_HFSR = fault_hfsr;
    ev(tag);
    if (fault_recover_to_lr) {
        /* Invalid state: the faulting "instruction" is the branch target. */
        frame[FR_PC] = frame[FR_LR] & ~1u;
        frame[FR_XPSR] |= 1u << 24;
    } else {
        frame[FR_PC] += thumb_insn_len(frame[FR_PC]);
    }
}

void usage_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; fault_common(frame, "UsageFault "); }
void bus_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; fault_common(frame, "BusFault "); }
void hard_c(uint32_t *frame, uint32_t exc_return) { (void)exc_return; fault_common(frame, "HardFault "); }
HANDLER_TRAMPOLINE(UsageFault_Handler, usage_c)
HANDLER_TRAMPOLINE(BusFault_Handler, bus_c)
HANDLER_TRAMPOLINE(HardFault_Handler, hard_c)

/* Each fault site is its own function: the faulting instruction is its first. */
__attribute__((naked, noinline)) static void site_udf(void) { __asm volatile("udf #66\n\tbx lr"); }
__attribute__((naked, noinline)) static void site_udf_w(void) { __asm volatile("udf.w #1234\n\tbx lr"); }
__attribute__((naked, noinline)) static void site_div0(void)
{
    __asm volatile("udiv r0, r0, r1\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_unaligned_ldr(void)
{
    __asm volatile("ldr r0, [r0]\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_unaligned_ldrd(void)
{
    __asm volatile("ldrd r2, r3, [r0]\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_unaligned_ldm(void)
{
    __asm volatile("ldm r0, {r2, r3}\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_unaligned_strh(void)
{
    __asm volatile("strh r1, [r0]\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_bus_load(void)
{
    __asm volatile("ldr r0, [r0]\n\tbx lr");
}
__attribute__((naked, noinline)) static void site_invstate(void)
{
    /* BLX to an even address clears EPSR.T: the next fetch faults (INVSTATE). */
    __asm volatile("push {lr}\n\tblx r0\n\tpop {pc}");
}
__attribute__((naked, noinline)) static void site_nocp(void)
{
    /* VMRS with CP10/CP11 disabled in CPACR: NOCP. CPACR is restored afterwards. */
    __asm volatile("ldr r1, =0xE000ED88\n\t"
                   "ldr r2, [r1]\n\t"
                   "bic r3, r2, #0x00F00000\n\t"
                   "str r3, [r1]\n\t"
                   "dsb\n\t"
                   "isb\n\t"
                   ".global site_nocp_insn\n"
                   "site_nocp_insn:\n\t"
                   ".inst.w 0xeef10a10\n\t"       /* vmrs r0, fpscr */
                   "str r2, [r1]\n\t"
                   "dsb\n\t"
                   "isb\n\t"
                   "bx lr");
}
extern char site_nocp_insn[];

typedef void (*site_fn)(uint32_t, uint32_t);

static void run_fault(const char *name, void (*site)(void), uint32_t r0, uint32_t r1, uint32_t pc)
{
    fault_cfsr = fault_hfsr = fault_bfar = fault_pc_ok = 0;
    uint32_t before = fault_count;
    expected_pc = pc ? pc : ((uint32_t)site & ~1u);
    ((site_fn)site)(r0, r1);
    show(name);
    printf("  faults+%lu CFSR=%08lx HFSR=%08lx BFAR=%08lx stacked-PC-ok=%lu CFSR-after=%08lx\n",
           (unsigned long)(fault_count - before), (unsigned long)fault_cfsr, (unsigned long)fault_hfsr,
           (unsigned long)fault_bfar, (unsigned long)fault_pc_ok, (unsigned long)SCB_CFSR);
}

static uint32_t aligned_words[4] __attribute__((aligned(8))) = {0x11223344, 0x55667788, 0x99AABBCC, 0xDDEEFF00};

static void test_faults(void)
{
    printf("== faults\n");
    printf("SHCSR at start %08lx CCR %08lx\n", (unsigned long)SCB_SHCSR, (unsigned long)SCB_CCR);
    SCB_SHCSR |= (1u << 18) | (1u << 17);   /* USGFAULTENA, BUSFAULTENA */
    barrier();
    uint8_t *bytes = (uint8_t *)aligned_words;

    run_fault("udf", site_udf, 0, 0, 0);
    run_fault("udf.w", site_udf_w, 0, 0, 0);
    SCB_CCR |= 1u << 4;                      /* DIV_0_TRP */
    barrier();
    run_fault("udiv by zero", site_div0, 10, 0, 0);
    SCB_CCR &= ~(1u << 4);
    barrier();
    run_fault("udiv by zero, trap off", site_div0, 10, 0, 0);
    run_fault("ldr unaligned, trap off", site_unaligned_ldr, (uint32_t)(bytes + 1), 0, 0);
    SCB_CCR |= 1u << 3;                      /* UNALIGN_TRP */
    barrier();
    run_fault("ldr unaligned, UNALIGN_TRP", site_unaligned_ldr, (uint32_t)(bytes + 1), 0, 0);
    run_fault("strh unaligned, UNALIGN_TRP", site_unaligned_strh, (uint32_t)(bytes + 3), 0x1234, 0);
    run_fault("ldr aligned, UNALIGN_TRP", site_unaligned_ldr, (uint32_t)(bytes + 4), 0, 0);
    SCB_CCR &= ~(1u << 3);
    barrier();
    run_fault("ldrd unaligned (always traps)", site_unaligned_ldrd, (uint32_t)(bytes + 2), 0, 0);
    run_fault("ldm unaligned (always traps)", site_unaligned_ldm, (uint32_t)(bytes + 2), 0, 0);
    fault_recover_to_lr = 1;
    run_fault("blx to even address", site_invstate, (uint32_t)site_udf & ~1u, 0, (uint32_t)site_udf & ~1u);
    fault_recover_to_lr = 0;
    run_fault("vmrs with CPACR off", site_nocp, 0, 0, (uint32_t)site_nocp_insn);
    printf("CPACR restored %08lx\n", (unsigned long)SCB_CPACR);
    run_fault("load from unmapped 0x60000000", site_bus_load, 0x60000000u, 0, 0);

    /* Escalation: a disabled configurable fault becomes a HardFault. */
    SCB_SHCSR &= ~((1u << 18) | (1u << 17));
    barrier();
    run_fault("udf, UsageFault disabled", site_udf, 0, 0, 0);
    run_fault("unmapped load, BusFault disabled", site_bus_load, 0x60000004u, 0, 0);
    /* Escalation: an enabled fault that cannot preempt (PRIMASK) becomes a HardFault. */
    SCB_SHCSR |= (1u << 18) | (1u << 17);
    barrier();
    __asm volatile("cpsid i" ::: "memory");
    run_fault("udf with PRIMASK set", site_udf, 0, 0, 0);
    __asm volatile("cpsie i" ::: "memory");
    /* Fault priority: UsageFault below BASEPRI escalates as well. */
    SCB_SHPR1 = (SCB_SHPR1 & 0xFF00FFFFu) | (0x80u << 16);
    set_basepri(0x40);
    run_fault("udf, UsageFault priority 0x80 under BASEPRI 0x40", site_udf, 0, 0, 0);
    set_basepri(0);
    run_fault("udf, UsageFault priority 0x80, BASEPRI 0", site_udf, 0, 0, 0);
    printf("SHCSR at end %08lx, total faults %lu\n", (unsigned long)SCB_SHCSR, (unsigned long)fault_count);
}

int main(void)
{
    printf("exceptions corpus\n");
    printf("IPSR %lu CONTROL %lu\n", (unsigned long)get_ipsr(), (unsigned long)(get_control() & 3));
    test_svc();
    test_systick();
    test_nvic();
    test_vtor();
    test_faults();
    printf("done\n");
    return 0;
}
