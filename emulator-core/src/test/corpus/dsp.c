/*
 * dsp: the ARMv7E-M DSP extension through ACLE intrinsics (<arm_acle.h>) and,
 * where ACLE has no intrinsic, inline assembly: parallel add/sub (signed,
 * unsigned, saturating, halving), SEL with the GE flags, dual multiply-accumulate,
 * most-significant-word multiplies, SMULxy/SMLAxy/SMULWy, USAD8, SSAT16/USAT16,
 * PKHBT/PKHTB and the extend-and-add family. The GE and Q flags are printed too.
 */
#include <arm_acle.h>
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

static const uint32_t V[] = {
    0x00000000, 0x00010001, 0x7FFF8000, 0x80007FFF, 0x7F7F8080, 0x80807F7F, 0xFFFFFFFF,
    0x12345678, 0xFEDCBA98, 0x00FF00FF, 0x40003FFF, 0xC0010002,
};
#define NV (sizeof V / sizeof V[0])

static uint32_t digest = 0x811C9DC5u;

static void rv(uint32_t r)
{
    printf(" %lx", (unsigned long)r);
    digest = (digest ^ r) * 16777619u;
}

static void rv64(uint64_t r)
{
    printf(" %llx", (unsigned long long)r);
    digest = (digest ^ (uint32_t)r ^ (uint32_t)(r >> 32)) * 16777619u;
}

static uint32_t smmla(uint32_t a, uint32_t b, uint32_t c) { uint32_t r; __asm("smmla %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); return r; }
static uint32_t smmlar(uint32_t a, uint32_t b, uint32_t c) { uint32_t r; __asm("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); return r; }
static uint32_t smmls(uint32_t a, uint32_t b, uint32_t c) { uint32_t r; __asm("smmls %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); return r; }
static uint32_t smmul(uint32_t a, uint32_t b) { uint32_t r; __asm("smmul %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t smmulr(uint32_t a, uint32_t b) { uint32_t r; __asm("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t smulbb(uint32_t a, uint32_t b) { uint32_t r; __asm("smulbb %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t smultb(uint32_t a, uint32_t b) { uint32_t r; __asm("smultb %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t smulwt(uint32_t a, uint32_t b) { uint32_t r; __asm("smulwt %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t pkhbt(uint32_t a, uint32_t b) { uint32_t r; __asm("pkhbt %0, %1, %2, lsl #8" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t pkhtb(uint32_t a, uint32_t b) { uint32_t r; __asm("pkhtb %0, %1, %2, asr #12" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t pkhtb32(uint32_t a, uint32_t b) { uint32_t r; __asm("pkhtb %0, %1, %2, asr #31" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t sxtab16r(uint32_t a, uint32_t b) { uint32_t r; __asm("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t uxtab(uint32_t a, uint32_t b) { uint32_t r; __asm("uxtab %0, %1, %2, ror #16" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t sxtah(uint32_t a, uint32_t b) { uint32_t r; __asm("sxtah %0, %1, %2, ror #24" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t smlalbt(uint64_t acc, uint32_t a, uint32_t b)
{
    uint32_t lo = (uint32_t)acc, hi = (uint32_t)(acc >> 32);
    __asm("smlalbt %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b));
    return (uint64_t)hi << 32 | lo;
}

static void test_values(void)
{
    printf("== intrinsic values\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            uint32_t a = OPQ(V[i]), b = OPQ(V[j]);
            uint32_t c = V[(i + j + 5) % NV];
            printf("v %08lx %08lx:", (unsigned long)a, (unsigned long)b);
            rv(__sadd16(a, b));
            rv(__ssub16(a, b));
            rv(__sasx(a, b));
            rv(__ssax(a, b));
            rv(__sadd8(a, b));
            rv(__ssub8(a, b));
            rv(__uadd16(a, b));
            rv(__usub16(a, b));
            rv(__uadd8(a, b));
            rv(__usub8(a, b));
            rv(__uasx(a, b));
            rv(__usax(a, b));
            rv(__qadd16(a, b));
            rv(__qsub16(a, b));
            rv(__qadd8(a, b));
            rv(__qsub8(a, b));
            rv(__qasx(a, b));
            rv(__qsax(a, b));
            rv(__uqadd16(a, b));
            rv(__uqsub16(a, b));
            rv(__uqadd8(a, b));
            rv(__uqsub8(a, b));
            rv(__uqasx(a, b));
            rv(__uqsax(a, b));
            rv(__shadd16(a, b));
            rv(__shsub16(a, b));
            rv(__shadd8(a, b));
            rv(__shsub8(a, b));
            rv(__shasx(a, b));
            rv(__shsax(a, b));
            rv(__uhadd16(a, b));
            rv(__uhsub16(a, b));
            rv(__uhadd8(a, b));
            rv(__uhsub8(a, b));
            rv(__uhasx(a, b));
            rv(__uhsax(a, b));
            rv(__usad8(a, b));
            rv(__usada8(a, b, c));
            rv(__smuad(a, b));
            rv(__smuadx(a, b));
            rv(__smusd(a, b));
            rv(__smusdx(a, b));
            rv(__smlad(a, b, c));
            rv(__smladx(a, b, c));
            rv(__smlsd(a, b, c));
            rv(__smlsdx(a, b, c));
            rv64(__smlald(a, b, 0x0000000180000000ull));
            rv64(__smlaldx(a, b, 0xFFFFFFFF00000001ull));
            rv64(__smlsld(a, b, 0x7FFFFFFFFFFFFFFFull));
            rv64(__smlsldx(a, b, c));
            rv(__smlabb(a, b, c));
            rv(__smlabt(a, b, c));
            rv(__smlatb(a, b, c));
            rv(__smlatt(a, b, c));
            rv(__smlawb(a, b, c));
            rv(__smlawt(a, b, c));
            rv(__qadd(a, b));
            rv(__qsub(a, b));
            rv(__qdbl(a));
            rv(__sxtab16(a, b));
            rv(__uxtab16(a, b));
            rv(__sxtb16(a));
            rv(__uxtb16(b));
            rv(smmla(a, b, c));
            rv(smmlar(a, b, c));
            rv(smmls(a, b, c));
            rv(smmul(a, b));
            rv(smmulr(a, b));
            rv(smulbb(a, b));
            rv(smultb(a, b));
            rv(smulwt(a, b));
            rv(pkhbt(a, b));
            rv(pkhtb(a, b));
            rv(pkhtb32(a, b));
            rv(sxtab16r(a, b));
            rv(uxtab(a, b));
            rv(sxtah(a, b));
            rv64(smlalbt(0x123456789ull, a, b));
            printf("\n");
        }
    }
}

/* SEL picks bytes by the GE flags the preceding parallel instruction set. */
static void test_sel(void)
{
    printf("== sel after parallel ops\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j += 2) {
            uint32_t a = OPQ(V[i]), b = OPQ(V[j]);
            printf("s %08lx %08lx:", (unsigned long)a, (unsigned long)b);
            (void)__sadd16(a, b);
            rv(__sel(a, b));
            (void)__usub8(a, b);
            rv(__sel(a, b));
            (void)__ssub8(a, b);
            rv(__sel(0x11223344u, 0xAABBCCDDu));
            (void)__uasx(a, b);
            rv(__sel(a, ~b));
            printf("\n");
        }
    }
}

/* One instruction between clearing and reading APSR: its GE and Q results. */
#define FLAGS2(insn)                                                             \
    static uint32_t f_##insn(uint32_t a, uint32_t b, uint32_t *psr)             \
    {                                                                            \
        uint32_t r, p;                                                           \
        __asm volatile("msr apsr_nzcvqg, %4\n\t" #insn " %0, %2, %3\n\tmrs %1, apsr" \
                       : "=&r"(r), "=&r"(p) : "r"(a), "r"(b), "r"(0) : "cc");    \
        *psr = p;                                                                \
        return r;                                                                \
    }
FLAGS2(sadd16) FLAGS2(ssub16) FLAGS2(sasx) FLAGS2(ssax) FLAGS2(sadd8) FLAGS2(ssub8)
FLAGS2(uadd16) FLAGS2(usub16) FLAGS2(uasx) FLAGS2(usax) FLAGS2(uadd8) FLAGS2(usub8)
FLAGS2(qadd) FLAGS2(qsub) FLAGS2(qdadd) FLAGS2(qdsub) FLAGS2(smuad) FLAGS2(smuadx)
FLAGS2(smulbb) FLAGS2(smulwb)

typedef uint32_t (*flagfn)(uint32_t, uint32_t, uint32_t *);

static uint32_t f_smlad(uint32_t a, uint32_t b, uint32_t *psr)
{
    uint32_t r, p;
    __asm volatile("msr apsr_nzcvqg, %4\n\tsmlad %0, %2, %3, %3\n\tmrs %1, apsr"
                   : "=&r"(r), "=&r"(p) : "r"(a), "r"(b), "r"(0) : "cc");
    *psr = p;
    return r;
}

static uint32_t f_smlabb(uint32_t a, uint32_t b, uint32_t *psr)
{
    uint32_t r, p;
    __asm volatile("msr apsr_nzcvqg, %4\n\tsmlabb %0, %2, %2, %3\n\tmrs %1, apsr"
                   : "=&r"(r), "=&r"(p) : "r"(a), "r"(b), "r"(0) : "cc");
    *psr = p;
    return r;
}

static uint32_t f_ssat16(uint32_t a, uint32_t b, uint32_t *psr)
{
    uint32_t r, p;
    (void)b;
    __asm volatile("msr apsr_nzcvqg, %3\n\tssat16 %0, #9, %2\n\tmrs %1, apsr"
                   : "=&r"(r), "=&r"(p) : "r"(a), "r"(0) : "cc");
    *psr = p;
    return r;
}

static uint32_t f_usat16(uint32_t a, uint32_t b, uint32_t *psr)
{
    uint32_t r, p;
    (void)b;
    __asm volatile("msr apsr_nzcvqg, %3\n\tusat16 %0, #7, %2\n\tmrs %1, apsr"
                   : "=&r"(r), "=&r"(p) : "r"(a), "r"(0) : "cc");
    *psr = p;
    return r;
}

static void test_flags(void)
{
    static const struct { const char *n; flagfn f; } ops[] = {
        {"sadd16", f_sadd16}, {"ssub16", f_ssub16}, {"sasx", f_sasx}, {"ssax", f_ssax},
        {"sadd8", f_sadd8}, {"ssub8", f_ssub8}, {"uadd16", f_uadd16}, {"usub16", f_usub16},
        {"uasx", f_uasx}, {"usax", f_usax}, {"uadd8", f_uadd8}, {"usub8", f_usub8},
        {"qadd", f_qadd}, {"qsub", f_qsub}, {"qdadd", f_qdadd}, {"qdsub", f_qdsub},
        {"smuad", f_smuad}, {"smuadx", f_smuadx}, {"smulbb", f_smulbb}, {"smulwb", f_smulwb},
        {"smlad", f_smlad}, {"smlabb", f_smlabb}, {"ssat16", f_ssat16}, {"usat16", f_usat16},
    };
    printf("== GE and Q flags (result, GE3..0, Q)\n");
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        printf("%s:", ops[o].n);
        for (unsigned i = 0; i < NV; i += 2) {
            for (unsigned j = 1; j < NV; j += 3) {
                uint32_t psr;
                uint32_t r = ops[o].f(V[i], V[j], &psr);
                printf(" %lx/%lx%c", (unsigned long)r, (unsigned long)((psr >> 16) & 0xF),
                       (psr >> 27) & 1 ? 'Q' : '-');
                digest = (digest ^ r ^ psr) * 16777619u;
            }
        }
        printf("\n");
    }
    /* ACLE saturating macros with immediate widths. */
    printf("sat:");
    for (unsigned i = 0; i < NV; i++) {
        rv((uint32_t)__ssat((int32_t)V[i], 12));
        rv(__usat((int32_t)V[i], 10));
        rv((uint32_t)__ssat16((int32_t)V[i], 4));
        rv((uint32_t)__usat16((int32_t)V[i], 15));
    }
    printf("\n");
}

/* A small Q15 FIR filter written with the dual-MAC intrinsic. */
static void test_fir(void)
{
    printf("== q15 fir\n");
    static const int16_t taps[8] = {1200, -3000, 8000, 16000, 16000, 8000, -3000, 1200};
    int16_t x[64];
    uint32_t seed = 12345;
    for (int i = 0; i < 64; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (int16_t)(seed >> 16);
    }
    for (int n = 0; n + 8 <= 64; n += 4) {
        int32_t acc = 0;
        for (int k = 0; k < 8; k += 2) {
            uint32_t xs, hs;
            __builtin_memcpy(&xs, &x[n + k], 4);
            __builtin_memcpy(&hs, &taps[k], 4);
            acc = __smlad(xs, hs, acc);
        }
        int32_t y = __ssat(acc >> 15, 16);
        printf("y[%d] = %ld (acc %ld)\n", n, (long)y, (long)acc);
    }
}

int main(void)
{
    printf("dsp corpus\n");
    test_values();
    test_sel();
    test_flags();
    test_fir();
    printf("digest %08lx\n", (unsigned long)digest);
    printf("done\n");
    return 0;
}
