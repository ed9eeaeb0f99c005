/*
 * unpriv: unprivileged thread mode on the process stack (CONTROL.nPRIV and
 * SPSEL), what unprivileged code may and may not do (MRS/MSR/CPS, STIR with
 * CCR.USERSETMPEND), SVC calls back into privileged code, the exception frame
 * (stacked registers, 8-byte realignment flag, PSP vs MSP) and lazy
 * floating-point state preservation (FPCCR.LSPACT, FPCAR, the extended frame,
 * values surviving exceptions that do and do not use the FPU, nested). The FP
 * parts use inline assembly, so soft-float builds exercise them too.
 *
 * QEMU (without -semihosting-config userspace=on) does not accept semihosting
 * calls from unprivileged code: its BKPT 0xAB escalates to a HardFault. So all
 * output goes through say(), which borrows privilege by SVC around printf.
 * Ends with exit status 3 (SYS_EXIT_EXTENDED), issued from privileged thread mode.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

static inline void barrier(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }
/* Macros, not functions: at -O0 a call would read the registers inside its own frame. */
#define get_control() ({ uint32_t v_; __asm volatile("mrs %0, control" : "=r"(v_)); v_; })
#define get_psp() ({ uint32_t v_; __asm volatile("mrs %0, psp" : "=r"(v_)); v_; })
#define get_msp() ({ uint32_t v_; __asm volatile("mrs %0, msp" : "=r"(v_)); v_; })
#define get_sp() ({ uint32_t v_; __asm volatile("mov %0, sp" : "=r"(v_)); v_; })
static inline uint32_t get_primask(void) { uint32_t v; __asm volatile("mrs %0, primask" : "=r"(v)); return v; }
static inline uint32_t get_basepri(void) { uint32_t v; __asm volatile("mrs %0, basepri" : "=r"(v)); return v; }

static uint64_t process_stack[1024] __attribute__((aligned(8)));
#define PSP_TOP ((uint32_t)&process_stack[1024])

/* ---- SVC services ---------------------------------------------------------- */

enum {
    SVC_PRIV = 0,          /* clear CONTROL.nPRIV */
    SVC_UNPRIV = 1,        /* set CONTROL.nPRIV */
    SVC_ADD = 2,           /* r0 = r0 + r1 + r2 + r3 */
    SVC_FRAME = 3,         /* record the frame */
    SVC_SET_USERSETMPEND = 4,
    SVC_FP_USE = 5,        /* handler uses the FPU and edits the stacked s5 */
    SVC_FP_NOUSE = 6,      /* handler leaves the FPU alone */
    SVC_FP_NESTED = 7,     /* handler uses the FPU, then a higher IRQ does too */
};

struct svc_record {
    uint32_t exc_return, frame_is_psp, frame_minus_sp_before, xpsr_align, regs[5], control_in_handler;
    uint32_t fpccr_entry, fpccr_after, fpcar_offset, fp_frame[17], lr_is_caller, nested_s0;
};
static volatile struct svc_record rec;
static volatile uint32_t sp_before_svc;
static volatile uint32_t irq_exc_return, irq_fpccr_entry, irq_fpccr_after, irq_count;

static const uint32_t handler_fp_values[16] = {
    0xC1000000, 0xC1100000, 0xC1200000, 0xC1300000, 0xC1400000, 0xC1500000, 0xC1600000, 0xC1700000,
    0xC1800000, 0xC1880000, 0xC1900000, 0xC1980000, 0xC1A00000, 0xC1A80000, 0xC1B00000, 0xC1B80000,
};

/* Writes s0-s15 and FPSCR, which triggers lazy state preservation if pending. */
__attribute__((naked, noinline)) static void clobber_caller_saved_fp(const uint32_t *values)
{
    (void)values;
    __asm volatile(".fpu fpv4-sp-d16\n\t"
                   "vldm r0, {s0-s15}\n\t"
                   "movs r1, #0\n\t"
                   "vmsr fpscr, r1\n\t"
                   "bx lr");
}

__attribute__((naked, noinline)) static uint32_t read_s0(void)
{
    __asm volatile(".fpu fpv4-sp-d16\n\tvmov r0, s0\n\tbx lr");
}

__attribute__((naked, noinline)) static void write_s0(uint32_t v)
{
    (void)v;
    __asm volatile(".fpu fpv4-sp-d16\n\tvmov s0, r0\n\tbx lr");
}

void svc_c(uint32_t *frame, uint32_t exc_return, uint32_t fpccr)
{
    uint32_t num = *(volatile uint16_t *)(frame[FR_PC] - 2) & 0xFFu;
    uint32_t c;
    switch (num) {
    case SVC_PRIV:
        __asm volatile("mrs %0, control" : "=r"(c));
        __asm volatile("msr control, %0\n\tisb" : : "r"(c & ~1u) : "memory");
        break;
    case SVC_UNPRIV:
        __asm volatile("mrs %0, control" : "=r"(c));
        __asm volatile("msr control, %0\n\tisb" : : "r"(c | 1u) : "memory");
        break;
    case SVC_ADD:
        frame[FR_R0] = frame[FR_R0] + frame[FR_R1] + frame[FR_R2] + frame[FR_R3];
        break;
    case SVC_SET_USERSETMPEND:
        SCB_CCR |= 1u << 1;
        barrier();
        break;
    case SVC_FRAME:
    case SVC_FP_USE:
    case SVC_FP_NOUSE:
    case SVC_FP_NESTED:
        rec.exc_return = exc_return;
        rec.fpccr_entry = fpccr;
        rec.frame_is_psp = ((uint32_t)frame == get_psp());
        rec.frame_minus_sp_before = sp_before_svc - (uint32_t)frame;
        rec.xpsr_align = (frame[FR_XPSR] >> 9) & 1;
        for (int i = 0; i < 5; i++) {
            rec.regs[i] = frame[i];
        }
        rec.lr_is_caller = 0;
        rec.control_in_handler = get_control();
        rec.fpcar_offset = (exc_return & 0x10u) ? 0xFFFFFFFFu : FPU_FPCAR - (uint32_t)frame;
        if (num == SVC_FP_USE || num == SVC_FP_NESTED) {
            clobber_caller_saved_fp(handler_fp_values);
        }
        if (num == SVC_FP_NESTED) {
            write_s0(0x42280000u);                 /* 42.0f in the handler's own s0 */
            NVIC_ISPR(0) = 1u << 26;               /* IRQ 26 outranks SVCall here */
            barrier();
            rec.nested_s0 = read_s0();             /* must still be 42.0f */
        }
        rec.fpccr_after = FPU_FPCCR;
        if (!(exc_return & 0x10u)) {
            for (int i = 0; i < 17; i++) {
                rec.fp_frame[i] = frame[8 + i];    /* s0-s15, FPSCR as stacked */
            }
            if (num == SVC_FP_USE) {
                frame[8 + 5] = 0x12345678u;        /* the thread must see this in s5 */
            }
        }
        break;
    default:
        frame[FR_R0] = 0xBAD;
        break;
    }
}

/* Like HANDLER_TRAMPOLINE, but samples FPCCR before any C code can touch the FPU. */
#define FP_TRAMPOLINE(name, cfunc)                     \
    __attribute__((naked)) void name(void)             \
    {                                                  \
        __asm volatile("tst lr, #4\n\t"                \
                       "ite eq\n\t"                    \
                       "mrseq r0, msp\n\t"             \
                       "mrsne r0, psp\n\t"             \
                       "mov r1, lr\n\t"                \
                       "movw r2, #0xEF34\n\t"          \
                       "movt r2, #0xE000\n\t"          \
                       "ldr r2, [r2]\n\t"              \
                       "b " #cfunc "\n\t");            \
    }
FP_TRAMPOLINE(SVC_Handler, svc_c)

static const uint32_t irq_fp_values[16] = {
    0x3E000000, 0x3E100000, 0x3E200000, 0x3E300000, 0x3E400000, 0x3E500000, 0x3E600000, 0x3E700000,
    0x3E800000, 0x3E880000, 0x3E900000, 0x3E980000, 0x3EA00000, 0x3EA80000, 0x3EB00000, 0x3EB80000,
};
static volatile uint32_t irq_frame[5];

void irq_c(uint32_t *frame, uint32_t exc_return, uint32_t fpccr)
{
    irq_count++;
    irq_exc_return = exc_return;
    irq_fpccr_entry = fpccr;
    for (int i = 0; i < 5; i++) {
        irq_frame[i] = frame[i];
    }
    clobber_caller_saved_fp(irq_fp_values);     /* lazily saves the preempted FP state */
    irq_fpccr_after = FPU_FPCCR;
}
FP_TRAMPOLINE(IRQ_Handler, irq_c)

static volatile uint32_t bus_faults, bus_cfsr;
void bus_c(uint32_t *frame, uint32_t exc_return)
{
    (void)exc_return;
    bus_faults++;
    bus_cfsr = SCB_CFSR;
    SCB_CFSR = bus_cfsr;
    frame[FR_PC] += thumb_insn_len(frame[FR_PC]);
}
HANDLER_TRAMPOLINE(BusFault_Handler, bus_c)

#define SVC(num) __asm volatile("svc %0" : : "I"(num) : "memory")

/* SVC 3 with known r0-r3/r12, from an SP that is 4 mod 8 (forces realignment). */
__attribute__((naked, noinline)) static void svc_frame_misaligned(volatile uint32_t *sp_out)
{
    (void)sp_out;
    __asm volatile("push {r4, lr}\n\t"
                   "sub sp, sp, #4\n\t"          /* SP is now 4 mod 8 */
                   "mov r4, sp\n\t"
                   "str r4, [r0]\n\t"
                   "ldr r0, =0x0A0A0A0A\n\t"
                   "ldr r1, =0x1B1B1B1B\n\t"
                   "ldr r2, =0x2C2C2C2C\n\t"
                   "ldr r3, =0x3D3D3D3D\n\t"
                   "ldr r12, =0xCECECECE\n\t"
                   "svc #3\n\t"
                   "add sp, sp, #4\n\t"
                   "pop {r4, pc}\n\t"
                   ".ltorg");
}

__attribute__((naked, noinline)) static void svc_frame_aligned(volatile uint32_t *sp_out)
{
    (void)sp_out;
    __asm volatile("push {r4, lr}\n\t"
                   "mov r4, sp\n\t"
                   "str r4, [r0]\n\t"
                   "ldr r0, =0x01010101\n\t"
                   "ldr r1, =0x02020202\n\t"
                   "ldr r2, =0x03030303\n\t"
                   "ldr r3, =0x04040404\n\t"
                   "ldr r12, =0x0C0C0C0C\n\t"
                   "svc #3\n\t"
                   "pop {r4, pc}\n\t"
                   ".ltorg");
}

/* Loads s0-s31 from in[], issues SVC n, stores s0-s31 to out[]. */
#define FP_ROUNDTRIP(fname, num)                                                  \
    __attribute__((naked, noinline)) static void fname(const uint32_t *in, uint32_t *out) \
    {                                                                             \
        (void)in;                                                                 \
        (void)out;                                                                \
        __asm volatile(".fpu fpv4-sp-d16\n\t"                                     \
                       "push {r4, r5, r6, lr}\n\t"                                \
                       "vpush {s16-s31}\n\t"                                      \
                       "mov r4, r1\n\t"                                           \
                       "mov r5, sp\n\t"                                           \
                       "ldr r6, =sp_before_svc\n\t"                               \
                       "str r5, [r6]\n\t"                                         \
                       "vldm r0, {s0-s31}\n\t"                                    \
                       "svc #" #num "\n\t"                                        \
                       "vstm r4, {s0-s31}\n\t"                                    \
                       "vpop {s16-s31}\n\t"                                       \
                       "pop {r4, r5, r6, pc}\n\t"                                 \
                       ".ltorg");                                                 \
    }
FP_ROUNDTRIP(fp_svc_use, 5)
FP_ROUNDTRIP(fp_svc_nouse, 6)
FP_ROUNDTRIP(fp_svc_nested, 7)

static uint32_t fp_in[32], fp_out[32];

/* printf from any thread privilege level. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
    int was_unprivileged = get_control() & 1u;
    if (was_unprivileged) {
        SVC(SVC_PRIV);
    }
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (was_unprivileged) {
        SVC(SVC_UNPRIV);
    }
}

static void print_record(const char *what)
{
    say("%s: EXC_RETURN=%08lx frame-on-PSP=%lu sp_before-frame=%lu realigned=%lu CONTROL-in-handler=%lu\n", what,
           (unsigned long)rec.exc_return, (unsigned long)rec.frame_is_psp, (unsigned long)rec.frame_minus_sp_before,
           (unsigned long)rec.xpsr_align, (unsigned long)rec.control_in_handler);
}

static void fp_case(const char *what, void (*fn)(const uint32_t *, uint32_t *))
{
    for (int i = 0; i < 32; i++) {
        fp_in[i] = 0x3F800000u + ((uint32_t)i << 16);   /* distinct floats */
        fp_out[i] = 0;
    }
    memset((void *)&rec, 0, sizeof rec);
    fn(fp_in, fp_out);
    print_record(what);
    say("  FPCCR entry=%08lx after=%08lx FPCAR-frame=%lx\n", (unsigned long)rec.fpccr_entry,
           (unsigned long)rec.fpccr_after, (unsigned long)rec.fpcar_offset);
    if (rec.fpccr_after & 1u) {
        /* LSPACT still set: the reserved space was never written, nothing to compare. */
        say("  stacked s0-s15,FPSCR: not written (lazy preservation never triggered)");
    } else {
        say("  stacked s0-s15,FPSCR:");
        for (int i = 0; i < 17; i++) {
            say(" %lx", (unsigned long)rec.fp_frame[i]);
        }
    }
    if (rec.nested_s0) {
        say("\n  handler s0 after the preempting IRQ: %08lx", (unsigned long)rec.nested_s0);
    }
    say("\n  thread s0-s31 after:");
    int same = 0;
    for (int i = 0; i < 32; i++) {
        if (fp_out[i] == fp_in[i]) {
            same++;
        } else {
            say(" s%d=%08lx", i, (unsigned long)fp_out[i]);
        }
    }
    say(" (%d unchanged)\n", same);
}

int main(void)
{
    say("unpriv corpus\n");
    say("reset: CONTROL=%lu FPCCR=%08lx FPDSCR=%08lx\n", (unsigned long)(get_control() & 3),
           (unsigned long)FPU_FPCCR, (unsigned long)FPU_FPDSCR);
    SCB_SHCSR |= 1u << 17;                               /* BUSFAULTENA */
    SCB_SHPR2 = 0x80u << 24;                             /* SVCall priority 0x80 */
    NVIC_IPR8(26) = 0x40;
    NVIC_ISER(0) = 1u << 26;
    barrier();

    /* Switch thread mode to the process stack, then drop privilege. */
    uint32_t msp = get_msp();
    __asm volatile("msr psp, %0\n\t"
                   "mrs r1, control\n\t"
                   "orr r1, r1, #2\n\t"
                   "msr control, r1\n\t"
                   "isb" : : "r"(PSP_TOP) : "r1", "memory");
    say("SPSEL=1: sp==psp %d, msp unchanged %d, CONTROL=%lu\n", get_sp() == get_psp(), get_msp() == msp,
           (unsigned long)(get_control() & 3));
    SVC(SVC_UNPRIV);
    say("after SVC_UNPRIV: CONTROL=%lu\n", (unsigned long)(get_control() & 3));

    /* Unprivileged: reads of MSP/PSP give 0, writes to masks and CONTROL are ignored. */
    say("unprivileged MRS msp=%lx psp=%lx\n", (unsigned long)get_msp(), (unsigned long)get_psp());
    __asm volatile("cpsid i" ::: "memory");
    __asm volatile("msr basepri, %0" : : "r"(0x40) : "memory");
    __asm volatile("msr control, %0\n\tisb" : : "r"(0) : "memory");
    say("after cpsid/msr basepri/msr control: PRIMASK=%lu BASEPRI=%lx CONTROL=%lu\n",
           (unsigned long)get_primask(), (unsigned long)get_basepri(), (unsigned long)(get_control() & 3));

    /* Unprivileged access to the NVIC is a BusFault; STIR needs CCR.USERSETMPEND. */
    uint32_t isr0 = irq_count;
    (void)NVIC_ISER(0);
    say("unprivileged NVIC read: bus faults %lu CFSR %08lx\n", (unsigned long)bus_faults, (unsigned long)bus_cfsr);
    SCB_STIR = 26;
    barrier();
    say("STIR without USERSETMPEND: bus faults %lu irqs %lu\n", (unsigned long)bus_faults,
           (unsigned long)(irq_count - isr0));
    SVC(SVC_SET_USERSETMPEND);
    SCB_STIR = 26;
    barrier();
    say("STIR with USERSETMPEND: bus faults %lu irqs %lu EXC_RETURN %08lx\n", (unsigned long)bus_faults,
           (unsigned long)(irq_count - isr0), (unsigned long)irq_exc_return);

    /* SVC calls with arguments and exception frames. */
    register uint32_t r0 __asm("r0") = 5;
    register uint32_t r1 __asm("r1") = 50;
    register uint32_t r2 __asm("r2") = 500;
    register uint32_t r3 __asm("r3") = 5000;
    __asm volatile("svc %1" : "+r"(r0) : "I"(SVC_ADD), "r"(r1), "r"(r2), "r"(r3) : "memory");
    say("SVC_ADD -> %lu\n", (unsigned long)r0);
    svc_frame_aligned(&sp_before_svc);
    print_record("frame, SP 8-aligned");
    say("  r0-r3,r12: %08lx %08lx %08lx %08lx %08lx\n", (unsigned long)rec.regs[0], (unsigned long)rec.regs[1],
           (unsigned long)rec.regs[2], (unsigned long)rec.regs[3], (unsigned long)rec.regs[4]);
    svc_frame_misaligned(&sp_before_svc);
    print_record("frame, SP 4 mod 8");
    say("  r0-r3,r12: %08lx %08lx %08lx %08lx %08lx\n", (unsigned long)rec.regs[0], (unsigned long)rec.regs[1],
           (unsigned long)rec.regs[2], (unsigned long)rec.regs[3], (unsigned long)rec.regs[4]);

    /* Lazy FP state preservation, from unprivileged thread mode. */
    say("CONTROL before FP use: %lu\n", (unsigned long)(get_control() & 7));
    fp_case("SVC, handler uses FP", fp_svc_use);
    say("CONTROL after FP use: %lu\n", (unsigned long)(get_control() & 7));
    fp_case("SVC, handler does not use FP", fp_svc_nouse);
    irq_count = 0;
    fp_case("SVC uses FP, IRQ preempts and uses FP", fp_svc_nested);
    say("  IRQ: count %lu EXC_RETURN=%08lx FPCCR entry=%08lx after=%08lx\n", (unsigned long)irq_count,
           (unsigned long)irq_exc_return, (unsigned long)irq_fpccr_entry, (unsigned long)irq_fpccr_after);

    /* Without an FP context (CONTROL.FPCA=0) frames are basic again. */
    SVC(SVC_PRIV);
    __asm volatile("mrs r0, control\n\t"
                   "bic r0, r0, #4\n\t"
                   "msr control, r0\n\t"
                   "isb" ::: "r0", "memory");
    svc_frame_aligned(&sp_before_svc);
    print_record("privileged, FPCA cleared");
    say("  FPCCR entry=%08lx\n", (unsigned long)rec.fpccr_entry);
    SVC(SVC_UNPRIV);

    SVC(SVC_PRIV);
    say("exit(3) from privileged thread mode, CONTROL=%lu\n", (unsigned long)(get_control() & 3));
    fflush(stdout);
    sh_exit(3);
}
