/*
 * frames: functions whose stack frames are over 1 KiB, so that gcc allocates them with the
 * 12-bit plain-immediate forms SUBW SP, SP, #imm (SUB SP minus immediate T3) and
 * ADDW SP, SP, #imm (ADD SP plus immediate T4) whenever the size is no Thumb modified
 * immediate, with SUB.W/ADD.W (modified immediate) otherwise, and with two immediates once it
 * is over 4 KiB (see below). Each function fills its local array, folds it into a hash and
 * reports how far its SP moved (the frame size, measured by the CPU); main checks that SP comes
 * back unchanged after every call.
 *
 * Encodings (arm-none-eabi-gcc 12.2, checked with arm-none-eabi-objdump -d on each build): the SP
 * adjustment of the prologue (the epilogue's is the same with ADD, except at -O0); "subw" = T3/T4
 * plain imm12 (SUBW SP, SP and ADDW SP, SP), "sub.w" = T2 modified immediate, "+ sub" = a second,
 * 16-bit SUB SP, SP, #imm7 (T1). Soft and hard float are the same unless shown.
 *
 *   function       locals  -O0 (frees with MOV SP, R7)   -O2                        -Os
 *   frame_1484      1484   subw #1508                    subw/addw #1492            as -O2
 *   frame_1492      1492   subw #1516                    subw/addw #1500            as -O2
 *   frame_1480      1480   subw #1508                    sub.w/add.w #1480          as -O2
 *   frame_2036      2036   subw #2060                    subw/addw #2044            as -O2
 *   frame_2044      2044   subw #2068                    subw/addw #2052            as -O2
 *   frame_4076      4076   sub.w #4096 + sub #4          subw/addw #4084            as -O2
 *   frame_4092      4092   sub.w #4096 + sub #20         sub.w #4096 + sub #4       as -O2
 *   frame_4100      4100   sub.w #4096 + sub #28         sub.w #4096 + sub #12      as -O2
 *   frame_5000      5000   sub.w #5024 + sub #4          sub.w #4992 + sub #8       as -O2
 *   frame_12300    12300   sub.w #12288 + sub #36        sub.w #12288 + sub #16     as -O2
 *   nest_inner      4076   subw #4088                    subw/addw #4084            as -O2
 *   nest_middle     2044   subw #2076                    subw/addw #2056            subw/addw #2060
 *   nest_outer      5000   sub.w #4992 + sub #28         sub.w #4992 + sub #8       as -O2
 *   fp_frame_1484   1484   soft subw #1524,              subw/addw #1492            soft subw/addw #1500,
 *                          hard sub.w #1520                                         hard #1492
 *   fp_frame_2036   2036   soft subw #2076,              subw/addw #2044            soft subw/addw #2052,
 *                          hard subw #2072                                          hard #2044
 *   fp_frame_4092   4092   sub.w #4128 (soft + sub #4)   sub.w #4096 + sub #4       soft + sub #12, hard + sub #4
 *   fp_frame_6000   6000   sub.w #6016 + sub #20/#16     sub.w #5984 + sub #20      soft + sub #28, hard + sub #20
 *
 * With hard float at -O2/-Os the fp_frame functions also VPUSH/VPOP {d8-d9} around the frame.
 * Frames over 4 KiB: gcc 12 splits the size into a modified immediate and a 16-bit SUB SP (tried up
 * to 256 KiB); it does not load it into a register. The register forms (SUB SP, SP, Rm) come from
 * alloca and VLAs: see alloca.c. At -O0 gcc restores SP with MOV SP, R7 after adding the frame size
 * to r7, so ADDW SP, SP does not occur there; SUBW SP, SP does.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "corpus.h"

static unsigned long hashacc = 2166136261u;
static int failures;

static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        hashacc = (hashacc ^ ((v >> (8 * i)) & 0xFF)) * 16777619u;
    }
}

static inline uint32_t get_sp(void)
{
    uint32_t v;
    __asm volatile("mov %0, sp" : "=r"(v));
    return v;
}

/* SP as the caller of a frame function saw it, and as the function saw it after its prologue. */
static volatile uint32_t outer_sp, inner_sp;

/*
 * noipa: not inlined nor analysed across the call, so that the buffers really live in their
 * callers' frames and the callers save the registers the AAPCS says a callee may clobber.
 */
static void __attribute__((noipa)) fill(uint32_t *p, int n, uint32_t seed)
{
    uint32_t x = seed | 1u;
    for (int i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = x;
    }
}

static uint32_t __attribute__((noipa)) fold(const uint32_t *p, int n)
{
    uint32_t h = 0x811C9DC5u;
    for (int i = n - 1; i >= 0; i--) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

/*
 * A function with a local array of WORDS words. It also reads its sixth argument from the
 * caller's frame (above its own big frame: LDR Rt, [SP, #imm12]) and indexes the array from both ends.
 */
#define FRAME_FN(name, WORDS)                                                              \
    static uint32_t __attribute__((noinline)) name(uint32_t seed, uint32_t a1, uint32_t a2, \
                                                   uint32_t a3, uint32_t a4, uint32_t a5)  \
    {                                                                                      \
        uint32_t b[WORDS];                                                                 \
        inner_sp = get_sp();                                                               \
        fill(b, WORDS, seed);                                                              \
        b[0] ^= a1;                                                                        \
        b[WORDS - 1] ^= a5;                                                                \
        b[WORDS / 2] += a2 + a3 + a4;                                                      \
        return fold(b, WORDS) ^ b[OPQ(WORDS - 1)];                                         \
    }

FRAME_FN(frame_1484, 371)
FRAME_FN(frame_1492, 373)
FRAME_FN(frame_1480, 370)
FRAME_FN(frame_2036, 509)
FRAME_FN(frame_2044, 511)
FRAME_FN(frame_4076, 1019)
FRAME_FN(frame_4092, 1023)
/* Over 4 KiB: no imm12 form; gcc puts the size in a register. */
FRAME_FN(frame_4100, 1025)
FRAME_FN(frame_5000, 1250)
FRAME_FN(frame_12300, 3075)

typedef uint32_t (*frame_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

static const struct {
    const char *name;
    frame_fn fn;
    uint32_t bytes;
} FRAMES[] = {
    {"frame_1484", frame_1484, 1484}, {"frame_1492", frame_1492, 1492}, {"frame_1480", frame_1480, 1480},
    {"frame_2036", frame_2036, 2036}, {"frame_2044", frame_2044, 2044}, {"frame_4076", frame_4076, 4076},
    {"frame_4092", frame_4092, 4092}, {"frame_4100", frame_4100, 4100}, {"frame_5000", frame_5000, 5000},
    {"frame_12300", frame_12300, 12300},
};
#define NFRAMES (sizeof FRAMES / sizeof FRAMES[0])

static void check_sp(const char *what, uint32_t before, uint32_t after)
{
    if (before != after) {
        printf("FAIL %s: SP %08lx before the call, %08lx after\n", what, (unsigned long)before,
               (unsigned long)after);
        failures++;
    }
}

static void test_frames(void)
{
    printf("== frames\n");
    for (unsigned k = 0; k < NFRAMES; k++) {
        uint32_t before = get_sp();
        outer_sp = before;
        uint32_t h = FRAMES[k].fn(0x1234567u * (k + 1), k, 2 * k, 3 * k, 4 * k, 0xA5A5A5A5u ^ k);
        uint32_t after = get_sp();
        uint32_t moved = outer_sp - inner_sp;
        printf("%-12s locals %5lu  frame+saved %5lu  hash %08lx\n", FRAMES[k].name,
               (unsigned long)FRAMES[k].bytes, (unsigned long)moved, (unsigned long)h);
        if (moved < FRAMES[k].bytes || moved > FRAMES[k].bytes + 64) {
            printf("FAIL %s: SP moved by %lu\n", FRAMES[k].name, (unsigned long)moved);
            failures++;
        }
        check_sp(FRAMES[k].name, before, after);
        mix(h);
        mix(moved);
    }
}

/* Big frames that call big frames: each level's array must survive its callee. */
static uint32_t __attribute__((noinline)) nest_inner(uint32_t seed)
{
    uint32_t b[1019];
    fill(b, 1019, seed);
    return fold(b, 1019);
}

static uint32_t __attribute__((noinline)) nest_middle(uint32_t seed)
{
    uint32_t b[511];
    fill(b, 511, seed);
    uint32_t before = fold(b, 511);
    uint32_t r = nest_inner(seed * 3u) + frame_1484(seed, 1, 2, 3, 4, 5);
    if (fold(b, 511) != before) {
        printf("FAIL nest_middle: array changed by its callees\n");
        failures++;
    }
    return r ^ before ^ b[OPQ(7)];
}

static uint32_t __attribute__((noinline)) nest_outer(uint32_t seed)
{
    uint32_t b[1250];
    fill(b, 1250, seed);
    uint32_t before = fold(b, 1250);
    uint32_t r = nest_middle(seed + 11u) + nest_middle(seed + 12u);
    if (fold(b, 1250) != before) {
        printf("FAIL nest_outer: array changed by its callees\n");
        failures++;
    }
    return r ^ before;
}

static void test_nested(void)
{
    printf("== nested big frames\n");
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t before = get_sp();
        uint32_t h = nest_outer(0xC0FFEEu + i);
        check_sp("nest_outer", before, get_sp());
        printf("nest %lu -> %08lx\n", (unsigned long)i, (unsigned long)h);
        mix(h);
    }
}

/*
 * Big frames in functions that use the FPU: the hard-float build also saves s16..s31 it keeps
 * across calls (VPUSH/VPOP) next to the large frame.
 */
static void __attribute__((noipa)) ffill(float *p, int n, float x)
{
    for (int i = 0; i < n; i++) {
        x = x * 1.0009765625f + 0.25f;
        if (x > 1000.0f) {
            x -= 999.5f;
        }
        p[i] = x;
    }
}

#define FP_FRAME_FN(name, WORDS)                                                  \
    static uint32_t __attribute__((noinline)) name(float seed, float scale)      \
    {                                                                             \
        float b[WORDS];                                                           \
        float k1 = seed * scale, k2 = seed + scale, k3 = scale - 0.5f;            \
        inner_sp = get_sp();                                                      \
        ffill(b, WORDS, seed);                                                    \
        float acc = k1;                                                           \
        for (int i = 0; i < WORDS; i++) {                                         \
            acc = acc * 0.75f + b[i] * k3;                                        \
        }                                                                         \
        ffill(b, WORDS / 2, acc);                                                 \
        acc += b[WORDS / 2 - 1] * k2 - k1;                                        \
        uint32_t bits;                                                            \
        memcpy(&bits, &acc, sizeof bits);                                         \
        return bits;                                                              \
    }

FP_FRAME_FN(fp_frame_1484, 371)
FP_FRAME_FN(fp_frame_2036, 509)
FP_FRAME_FN(fp_frame_4092, 1023)
FP_FRAME_FN(fp_frame_6000, 1500)

static void test_fp_frames(void)
{
    static const struct {
        const char *name;
        uint32_t (*fn)(float, float);
    } F[] = {
        {"fp_frame_1484", fp_frame_1484}, {"fp_frame_2036", fp_frame_2036},
        {"fp_frame_4092", fp_frame_4092}, {"fp_frame_6000", fp_frame_6000},
    };
    printf("== FPU with big frames\n");
    for (unsigned k = 0; k < sizeof F / sizeof F[0]; k++) {
        uint32_t before = get_sp();
        outer_sp = before;
        uint32_t bits = F[k].fn(1.5f + (float)k, 0.875f);
        uint32_t moved = outer_sp - inner_sp;
        check_sp(F[k].name, before, get_sp());
        printf("%-14s frame+saved %5lu  result %08lx\n", F[k].name, (unsigned long)moved, (unsigned long)bits);
        mix(bits);
        mix(moved);
    }
}

int main(void)
{
    printf("frames corpus\n");
    test_frames();
    test_nested();
    test_fp_frames();
    printf("hash %08lx\n", hashacc);
    printf("failures %d\n", failures);
    printf("done\n");
    return failures ? 1 : 0;
}
