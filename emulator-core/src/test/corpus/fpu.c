/*
 * fpu: single-precision arithmetic under each rounding mode, printed as bit
 * patterns together with the cumulative exception flags.
 *
 * newlib's <fenv.h> for arm-none-eabi is a placeholder (fesetround fails and no
 * FE_* macros exist), so this program drives FPSCR itself: RMode in bits 23:22,
 * cumulative flags IOC/DZC/OFC/UFC/IXC/IDC in bits 0..4 and 7, FZ in bit 24 and
 * DN in bit 25. A soft-float build has no FPSCR: libgcc always rounds to nearest
 * and raises no flags, and the output says so.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

#define FE_TONEAREST  0u
#define FE_UPWARD     1u
#define FE_DOWNWARD   2u
#define FE_TOWARDZERO 3u

#ifdef __ARM_FP
#define HAVE_FPSCR 1
static uint32_t get_fpscr(void) { uint32_t v; __asm volatile("vmrs %0, fpscr" : "=r"(v)); return v; }
static void set_fpscr(uint32_t v) { __asm volatile("vmsr fpscr, %0" : : "r"(v) : "memory"); }
#else
#define HAVE_FPSCR 0
static uint32_t soft_fpscr;
static uint32_t get_fpscr(void) { return soft_fpscr; }
static void set_fpscr(uint32_t v) { soft_fpscr = v & 0x03C00000u; }
#endif

static void set_round(uint32_t mode) { set_fpscr((get_fpscr() & ~0x00C00000u) | (mode << 22)); }
static void clear_flags(void) { set_fpscr(get_fpscr() & ~0x9Fu); }
static uint32_t flags(void) { return get_fpscr() & 0x9Fu; }

static const char *flag_str(uint32_t f)
{
    static char buf[8];
    buf[0] = (f & 0x01) ? 'V' : '-';   /* invalid operation */
    buf[1] = (f & 0x02) ? 'Z' : '-';   /* division by zero */
    buf[2] = (f & 0x04) ? 'O' : '-';   /* overflow */
    buf[3] = (f & 0x08) ? 'U' : '-';   /* underflow */
    buf[4] = (f & 0x10) ? 'X' : '-';   /* inexact */
    buf[5] = (f & 0x80) ? 'D' : '-';   /* input denormal (flush-to-zero only) */
    buf[6] = 0;
    return buf;
}

static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float fl(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* Volatile operands and results pin each operation between the FPSCR accesses. */
static volatile float va, vb, vc, vr;
static volatile double vd;
static volatile int32_t vi;
static volatile uint32_t vu;

static const uint32_t VB[] = {
    0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3F000001, 0x40490FDB, 0x3EAAAAAB,
    0x4B7FFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x00800000, 0x007FFFFF, 0x80000001, 0x34000000,
    0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0x4F000000, 0xCF000001, 0x3DCCCCCD,
};
#define NVB (sizeof VB / sizeof VB[0])

static const char *mode_name[4] = {"RN", "RP", "RM", "RZ"};

static void report(float r)
{
    uint32_t f = flags();
    printf(" %08lx%s", (unsigned long)bits(r), flag_str(f));
}

static void test_binary(void)
{
    printf("== binary ops: add sub mul div fma (bits + VZOUXD)\n");
    for (uint32_t m = 0; m < 4; m++) {
        for (unsigned i = 0; i < NVB; i++) {
            for (unsigned j = 0; j < NVB; j += 2) {
                set_round(m);
                printf("%s %08lx %08lx:", mode_name[m], (unsigned long)VB[i], (unsigned long)VB[j]);
                va = fl(VB[i]);
                vb = fl(VB[j]);
                vc = fl(VB[(i + j) % NVB]);
                clear_flags(); vr = va + vb; report(vr);
                clear_flags(); vr = va - vb; report(vr);
                clear_flags(); vr = va * vb; report(vr);
                clear_flags(); vr = va / vb; report(vr);
                clear_flags(); vr = fmaf(va, vb, vc); report(vr);
                printf("\n");
            }
        }
    }
    set_round(FE_TONEAREST);
}

static void test_unary(void)
{
    printf("== unary: sqrt neg abs f2i f2u i2f u2f f2d d2f\n");
    static const int32_t ints[] = {0, 1, -1, 16777217, -16777219, 0x7FFFFFFF, (int32_t)0x80000000, 123456789};
    for (uint32_t m = 0; m < 4; m++) {
        set_round(m);
        for (unsigned i = 0; i < NVB; i++) {
            printf("%s %08lx:", mode_name[m], (unsigned long)VB[i]);
            va = fl(VB[i]);
            clear_flags(); vr = sqrtf(va); report(vr);
            clear_flags(); vr = -va; report(vr);
            clear_flags(); vr = fabsf(va); report(vr);
            /* C conversions truncate; only in-range values are converted. */
            float a = va;
            if (a > -2147483648.0f && a < 2147483648.0f) {
                clear_flags(); vi = (int32_t)va; printf(" i%ld%s", (long)vi, flag_str(flags()));
            }
            if (a > -1.0f && a < 4294967296.0f) {
                clear_flags(); vu = (uint32_t)va; printf(" u%lu%s", (unsigned long)vu, flag_str(flags()));
            }
            clear_flags(); vd = (double)va;
            printf(" d%016llx%s", (unsigned long long)({ uint64_t u; double d = vd; memcpy(&u, &d, 8); u; }),
                   flag_str(flags()));
            printf("\n");
        }
        printf("%s ints:", mode_name[m]);
        for (unsigned k = 0; k < sizeof ints / sizeof ints[0]; k++) {
            vi = ints[k];
            clear_flags(); vr = (float)vi; report(vr);
            vu = (uint32_t)ints[k];
            clear_flags(); vr = (float)vu; report(vr);
        }
        printf("\n");
        static const uint64_t dbl[] = {0x3FF0000010000000ull, 0x3FF0000008000000ull, 0x3FF0000018000000ull,
                                       0x47EFFFFFF0000000ull, 0x36A0000000000000ull, 0x3810000000000000ull,
                                       0xBFD5555555555555ull, 0x7FF0000000000001ull};
        printf("%s d2f:", mode_name[m]);
        for (unsigned k = 0; k < sizeof dbl / sizeof dbl[0]; k++) {
            double d;
            memcpy(&d, &dbl[k], 8);
            vd = d;
            clear_flags(); vr = (float)vd; report(vr);
        }
        printf("\n");
    }
    set_round(FE_TONEAREST);
}

static void test_compare(void)
{
    printf("== compare: lt le eq ne gt ge unordered\n");
    for (unsigned i = 0; i < NVB; i += 2) {
        printf("%08lx:", (unsigned long)VB[i]);
        for (unsigned j = 0; j < NVB; j += 3) {
            va = fl(VB[i]);
            vb = fl(VB[j]);
            clear_flags();
            int r = (va < vb) | (va <= vb) << 1 | (va == vb) << 2 | (va != vb) << 3 |
                    (va > vb) << 4 | (va >= vb) << 5 | isunordered(va, vb) << 6;
            printf(" %02x%s", r, flag_str(flags()));
        }
        printf("\n");
    }
}

#if HAVE_FPSCR
/* Conversions with the rounding mode and saturation of VCVT, beyond C's defined range. */
static uint32_t vcvt_s32(float f) { uint32_t r; __asm volatile("vcvt.s32.f32 %1, %1\n\tvmov %0, %1" : "=r"(r), "+t"(f)); return r; }
static uint32_t vcvtr_s32(float f) { uint32_t r; __asm volatile("vcvtr.s32.f32 %1, %1\n\tvmov %0, %1" : "=r"(r), "+t"(f)); return r; }
static uint32_t vcvt_u32(float f) { uint32_t r; __asm volatile("vcvt.u32.f32 %1, %1\n\tvmov %0, %1" : "=r"(r), "+t"(f)); return r; }
static uint32_t vcvtr_u32(float f) { uint32_t r; __asm volatile("vcvtr.u32.f32 %1, %1\n\tvmov %0, %1" : "=r"(r), "+t"(f)); return r; }
static uint32_t vcvt_fix16(float f) { uint32_t r; __asm volatile("vcvt.s32.f32 %1, %1, #16\n\tvmov %0, %1" : "=r"(r), "+t"(f)); return r; }
static float vcvt_from_fix8(uint32_t u) { float f; __asm volatile("vmov %0, %1\n\tvcvt.f32.u32 %0, %0, #8" : "=&t"(f) : "r"(u)); return f; }

static void test_vcvt(void)
{
    printf("== vcvt (hard-float only)\n");
    for (uint32_t m = 0; m < 4; m++) {
        set_round(m);
        for (unsigned i = 0; i < NVB; i++) {
            float a = fl(VB[i]);
            printf("%s %08lx:", mode_name[m], (unsigned long)VB[i]);
            clear_flags(); printf(" %lx%s", (unsigned long)vcvt_s32(a), flag_str(flags()));
            clear_flags(); printf(" %lx%s", (unsigned long)vcvtr_s32(a), flag_str(flags()));
            clear_flags(); printf(" %lx%s", (unsigned long)vcvt_u32(a), flag_str(flags()));
            clear_flags(); printf(" %lx%s", (unsigned long)vcvtr_u32(a), flag_str(flags()));
            clear_flags(); printf(" %lx%s", (unsigned long)vcvt_fix16(a), flag_str(flags()));
            clear_flags(); report(vcvt_from_fix8(VB[i]));
            printf("\n");
        }
    }
    set_round(FE_TONEAREST);
}

/* Multiply-accumulate, fused (VFMA family) and chained (VMLA family), in every mode. */
#define MAC(insn)                                                                 \
    static float insn##_op(float d, float n, float m)                            \
    {                                                                             \
        __asm volatile(#insn ".f32 %0, %1, %2" : "+t"(d) : "t"(n), "t"(m));       \
        return d;                                                                 \
    }
MAC(vfma) MAC(vfms) MAC(vfnma) MAC(vfnms) MAC(vmla) MAC(vmls) MAC(vnmla) MAC(vnmls)

static uint32_t vcmp_nzcv(float a, float b, int signalling)
{
    uint32_t r;
    if (signalling) {
        __asm volatile("vcmpe.f32 %1, %2\n\tvmrs APSR_nzcv, fpscr\n\tmrs %0, apsr" : "=r"(r) : "t"(a), "t"(b) : "cc");
    } else {
        __asm volatile("vcmp.f32 %1, %2\n\tvmrs APSR_nzcv, fpscr\n\tmrs %0, apsr" : "=r"(r) : "t"(a), "t"(b) : "cc");
    }
    return r >> 28;
}

static void test_mac(void)
{
    printf("== vfma vfms vfnma vfnms vmla vmls vnmla vnmls (hard-float only)\n");
    for (uint32_t m = 0; m < 4; m++) {
        set_round(m);
        for (unsigned i = 0; i < NVB; i += 2) {
            for (unsigned j = 1; j < NVB; j += 3) {
                float d = fl(VB[(i * 7 + j) % NVB]), n = fl(VB[i]), mm = fl(VB[j]);
                printf("%s %08lx %08lx %08lx:", mode_name[m], (unsigned long)bits(d), (unsigned long)VB[i],
                       (unsigned long)VB[j]);
                clear_flags(); report(vfma_op(d, n, mm));
                clear_flags(); report(vfms_op(d, n, mm));
                clear_flags(); report(vfnma_op(d, n, mm));
                clear_flags(); report(vfnms_op(d, n, mm));
                clear_flags(); report(vmla_op(d, n, mm));
                clear_flags(); report(vmls_op(d, n, mm));
                clear_flags(); report(vnmla_op(d, n, mm));
                clear_flags(); report(vnmls_op(d, n, mm));
                printf("\n");
            }
        }
    }
    set_round(FE_TONEAREST);
    printf("== vcmp/vcmpe NZCV\n");
    for (unsigned i = 0; i < NVB; i += 2) {
        printf("%08lx:", (unsigned long)VB[i]);
        for (unsigned j = 0; j < NVB; j += 2) {
            clear_flags();
            uint32_t q = vcmp_nzcv(fl(VB[i]), fl(VB[j]), 0);
            uint32_t fq = flags();
            clear_flags();
            uint32_t e = vcmp_nzcv(fl(VB[i]), fl(VB[j]), 1);
            printf(" %lx%c%lx%c", (unsigned long)q, (fq & 1) ? '!' : '.', (unsigned long)e, (flags() & 1) ? '!' : '.');
        }
        printf("\n");
    }
}

/* Flush-to-zero and default-NaN modes. */
static void test_fz_dn(void)
{
    printf("== FZ and DN (hard-float only)\n");
    static const uint32_t modes[] = {0, 1u << 24, 1u << 25, 3u << 24};
    static const char *names[] = {"IEEE", "FZ", "DN", "FZ+DN"};
    for (unsigned k = 0; k < 4; k++) {
        set_fpscr((get_fpscr() & ~(3u << 24)) | modes[k]);
        static const uint32_t pairs[][2] = {
            {0x007FFFFF, 0x3F800000}, {0x00000001, 0x00000001}, {0x00800000, 0x3F000000},
            {0x80400000, 0x00000000}, {0x7F800001, 0x3F800000}, {0xFFC00123, 0x7F800005},
            {0x00000000, 0x00000000}, {0x7F800000, 0xFF800000}, {0x00C00000, 0x3E800000},
        };
        for (unsigned p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
            printf("%s %08lx %08lx:", names[k], (unsigned long)pairs[p][0], (unsigned long)pairs[p][1]);
            va = fl(pairs[p][0]);
            vb = fl(pairs[p][1]);
            clear_flags(); vr = va + vb; report(vr);
            clear_flags(); vr = va * vb; report(vr);
            clear_flags(); vr = va / vb; report(vr);
            clear_flags(); vr = sqrtf(va); report(vr);
            printf("\n");
        }
    }
    set_fpscr(get_fpscr() & ~(3u << 24));
}
#endif

/* A longer computation whose result depends on every rounding step. */
static void test_series(void)
{
    printf("== series\n");
    for (uint32_t m = 0; m < 4; m++) {
        set_round(m);
        clear_flags();
        float s = 0.0f, p = 1.0f, h = 0.0f;
        for (int n = 1; n <= 2000; n++) {
            vr = 1.0f / (float)n;
            h += vr;
            s += vr * vr;
            p *= 1.0001f;
        }
        vr = h; report(vr);
        vr = s; report(vr);
        vr = p; report(vr);
        printf(" <- %s\n", mode_name[m]);
    }
    set_round(FE_TONEAREST);
}

static void test_printf(void)
{
    printf("== printf of floats\n");
    static const float vals[] = {0.0f, -0.0f, 1.0f, 0.1f, 3.14159265f, 1e-10f, 123456.789f, 1e30f, -2.5e-38f};
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        va = vals[i];
        printf("%08lx %.9g %e %f\n", (unsigned long)bits(va), (double)va, (double)va, (double)va);
    }
    printf("inf %f nan %f\n", (double)fl(0x7F800000), (double)fl(0x7FC00000));
}

int main(void)
{
    printf("fpu corpus (%s-float)\n", HAVE_FPSCR ? "hard" : "soft");
#if HAVE_FPSCR
    printf("FPSCR at start %08lx\n", (unsigned long)get_fpscr());
#endif
    test_binary();
    test_unary();
    test_compare();
#if HAVE_FPSCR
    test_vcvt();
    test_mac();
    test_fz_dn();
#endif
    test_series();
    test_printf();
    printf("done\n");
    return 0;
}
