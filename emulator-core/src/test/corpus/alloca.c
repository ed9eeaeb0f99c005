/*
 * alloca: stack allocation of run-time sizes — __builtin_alloca and C99 variable-length arrays —
 * in loops, with sizes that are not multiples of 8 (so the code rounds them up and keeps SP
 * 8-byte aligned), nested calls that allocate in turn, recursion with a VLA per level, and VLAs
 * of floats. gcc adjusts SP by a register here: SUB SP, SP, Rm (SUB SP minus register T1,
 * EBAD 0Dxx) for the allocation and MOV SP, Rm (MOV register T1, 46xx with Rd = SP) or
 * ADD SP, Rm to free it. Each allocation is filled, checked and hashed; SP must come back to
 * its value before the loop, and every block must be 8-byte aligned and not overlap the last.
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

static void fail(const char *what, uint32_t a, uint32_t b)
{
    printf("FAIL %s: %08lx %08lx\n", what, (unsigned long)a, (unsigned long)b);
    failures++;
}

static inline uint32_t get_sp(void)
{
    uint32_t v;
    __asm volatile("mov %0, sp" : "=r"(v));
    return v;
}

/* noipa: a real call that the optimiser knows nothing about, so the blocks are really used. */
static void __attribute__((noipa)) fill(uint8_t *p, uint32_t n, uint32_t seed)
{
    uint32_t x = seed | 1u;
    for (uint32_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        p[i] = (uint8_t)(x >> 24);
    }
}

static uint32_t __attribute__((noipa)) sum(const uint8_t *p, uint32_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (uint32_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static void check_block(const char *what, const void *p, uint32_t sp)
{
    if (((uintptr_t)p & 7u) != 0 || (sp & 7u) != 0) {
        fail(what, (uint32_t)(uintptr_t)p, sp);
    }
}

/* alloca in a loop: the blocks pile up until the function returns. */
static uint32_t __attribute__((noinline)) alloca_loop(uint32_t count, uint32_t step)
{
    uint32_t h = 0;
    uint8_t *prev = 0;
    uint32_t prev_n = 0;
    uint32_t top = get_sp();
    for (uint32_t i = 1; i <= count; i++) {
        uint32_t n = (i * step) % 509u + 1u;       /* 1..509 bytes, mostly not a multiple of 8 */
        uint8_t *p = __builtin_alloca(n);
        check_block("alloca_loop align", p, get_sp());
        if (prev && p + n > prev) {
            fail("alloca_loop overlap", (uint32_t)(uintptr_t)p, (uint32_t)(uintptr_t)prev);
        }
        fill(p, n, i * 7u);
        if (prev && sum(prev, prev_n) != sum(prev, prev_n)) {
            fail("alloca_loop unstable", i, prev_n);
        }
        h = h * 33u + sum(p, n);
        prev = p;
        prev_n = n;
    }
    printf("alloca_loop(%lu, %lu): %08lx, %lu bytes below the first\n", (unsigned long)count,
           (unsigned long)step, (unsigned long)h, (unsigned long)(top - get_sp()));
    return h;
}

/* A VLA per iteration: freed at the end of each one, so SP comes back every time. */
static uint32_t __attribute__((noinline)) vla_loop(uint32_t count, uint32_t step)
{
    uint32_t h = 0;
    uint32_t sp0 = get_sp();
    for (uint32_t i = 1; i <= count; i++) {
        uint32_t n = (i * step) % 1021u + 3u;
        uint8_t v[n];
        check_block("vla_loop align", v, get_sp());
        fill(v, n, i);
        v[n - 1] ^= (uint8_t)i;
        h = (h << 3) ^ (h >> 29) ^ sum(v, n);
        if (i % 64 == 0) {
            printf("  vla %4lu bytes at sp-%lu\n", (unsigned long)n, (unsigned long)(sp0 - (uint32_t)(uintptr_t)v));
        }
    }
    if (get_sp() != sp0) {
        fail("vla_loop SP", sp0, get_sp());
    }
    printf("vla_loop(%lu, %lu): %08lx\n", (unsigned long)count, (unsigned long)step, (unsigned long)h);
    return h;
}

/* Two-dimensional VLA with both extents computed at run time. */
static uint32_t __attribute__((noinline)) vla_matrix(uint32_t rows, uint32_t cols)
{
    uint16_t m[rows][cols];
    for (uint32_t r = 0; r < rows; r++) {
        for (uint32_t c = 0; c < cols; c++) {
            m[r][c] = (uint16_t)(r * 131u + c * 7u + rows);
        }
    }
    uint32_t h = 0;
    for (uint32_t c = 0; c < cols; c++) {
        for (uint32_t r = 0; r < rows; r++) {
            h = h * 31u + m[r][c];
        }
    }
    check_block("vla_matrix align", m, get_sp());
    return h ^ sum((const uint8_t *)m, (uint32_t)sizeof m);
}

/* Nested: each level allocates, calls the next with its block, and checks that its block survived. */
static uint32_t __attribute__((noinline)) nest3(const uint8_t *up, uint32_t n)
{
    uint8_t *p = __builtin_alloca(n + 5u);
    memcpy(p, up, n);
    memset(p + n, 0x5A, 5);
    return sum(p, n + 5u);
}

static uint32_t __attribute__((noinline)) nest2(uint32_t n)
{
    uint8_t v[n * 3u + 1u];
    fill(v, (uint32_t)sizeof v, n);
    uint32_t before = sum(v, (uint32_t)sizeof v);
    uint32_t r = nest3(v, (uint32_t)sizeof v) + nest3(v + 1, n);
    if (sum(v, (uint32_t)sizeof v) != before) {
        fail("nest2 block changed", n, before);
    }
    return r ^ before;
}

static uint32_t __attribute__((noinline)) nest1(uint32_t n)
{
    uint8_t *p = __builtin_alloca(n);
    fill(p, n, n * 3u);
    uint32_t before = sum(p, n);
    uint32_t r = 0;
    for (uint32_t k = 1; k < 6; k++) {
        r = r * 17u + nest2(n / k + k);
    }
    if (sum(p, n) != before) {
        fail("nest1 block changed", n, before);
    }
    return r ^ before;
}

/* Recursion with a VLA at every level, sized by the level. */
static uint32_t __attribute__((noinline)) vla_rec(uint32_t depth, uint32_t seed)
{
    if (depth == 0) {
        return seed;
    }
    uint8_t v[(depth * 13u) % 61u + 1u];
    fill(v, (uint32_t)sizeof v, seed);
    uint32_t below = vla_rec(depth - 1, seed * 5u + (uint32_t)sizeof v);
    return below ^ sum(v, (uint32_t)sizeof v) ^ depth;
}

/* VLAs of floats, with values kept in FP registers across the calls. */
static void __attribute__((noipa)) ffill(float *p, uint32_t n, float x)
{
    for (uint32_t i = 0; i < n; i++) {
        x = x * 0.96875f + 1.5f;
        p[i] = x;
    }
}

static uint32_t __attribute__((noinline)) vla_float(uint32_t n, float scale)
{
    float v[n];
    float k = scale * 0.5f + 0.125f;
    ffill(v, n, scale);
    float acc = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        acc = acc * 0.5f + v[i] * k;
    }
    float *w = __builtin_alloca((n / 2u + 1u) * sizeof(float));
    ffill(w, n / 2u + 1u, acc);
    acc += w[n / 2u] * k;
    uint32_t bits;
    memcpy(&bits, &acc, sizeof bits);
    return bits;
}

int main(void)
{
    printf("alloca corpus\n");
    uint32_t sp0 = get_sp();

    printf("== alloca in a loop\n");
    mix(alloca_loop(OPQ(40u), 37u));
    mix(alloca_loop(OPQ(25u), 101u));
    if (get_sp() != sp0) {
        fail("SP after alloca_loop", sp0, get_sp());
    }

    printf("== VLA in a loop\n");
    mix(vla_loop(OPQ(256u), 29u));
    mix(vla_loop(OPQ(130u), 997u));

    printf("== 2-D VLA\n");
    for (uint32_t r = 1; r < 40; r += 9) {
        uint32_t h = vla_matrix(OPQ(r), OPQ(r * 3u + 1u));
        printf("matrix %2lux%-3lu %08lx\n", (unsigned long)r, (unsigned long)(r * 3u + 1u), (unsigned long)h);
        mix(h);
    }

    printf("== nested\n");
    for (uint32_t n = 3; n < 700; n = n * 2u + 1u) {
        uint32_t h = nest1(OPQ(n));
        printf("nest1(%3lu) %08lx\n", (unsigned long)n, (unsigned long)h);
        mix(h);
    }

    printf("== recursion with VLAs\n");
    for (uint32_t d = 10; d <= 1000; d *= 10) {
        uint32_t h = vla_rec(OPQ(d), 99u);
        printf("vla_rec(%4lu) %08lx\n", (unsigned long)d, (unsigned long)h);
        mix(h);
    }

    printf("== float VLAs\n");
    for (uint32_t n = 1; n < 300; n = n * 3u + 2u) {
        uint32_t h = vla_float(OPQ(n), 1.0f + (float)n * 0.25f);
        printf("vla_float(%3lu) %08lx\n", (unsigned long)n, (unsigned long)h);
        mix(h);
    }

    if (get_sp() != sp0) {
        fail("SP at the end", sp0, get_sp());
    }
    printf("hash %08lx\n", hashacc);
    printf("failures %d\n", failures);
    printf("done\n");
    return failures ? 1 : 0;
}
