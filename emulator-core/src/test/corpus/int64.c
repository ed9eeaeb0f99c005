/*
 * int64: 64-bit integer arithmetic — multiplies (UMULL/SMULL/UMLAL/SMLAL/UMAAL),
 * libgcc helpers for division and modulo (__aeabi_uldivmod/__aeabi_ldivmod),
 * shifts by variable amounts, comparisons and printf of long long.
 */
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

static const uint64_t V[] = {
    0x0000000000000000ull, 0x0000000000000001ull, 0x0000000000000002ull, 0x0000000000000003ull,
    0x0000000000000007ull, 0x000000000000000Aull, 0x00000000000000FFull, 0x000000007FFFFFFFull,
    0x0000000080000000ull, 0x00000000FFFFFFFFull, 0x0000000100000000ull, 0x0000000100000001ull,
    0x00000001FFFFFFFFull, 0x0123456789ABCDEFull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull,
    0x8000000000000001ull, 0xDEADBEEFCAFEBABEull, 0xFFFFFFFF00000000ull, 0xFFFFFFFF00000001ull,
    0xFFFFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFFFFFull, 0x00000000000F4240ull, 0x000000E8D4A51000ull,
};
#define NV (sizeof V / sizeof V[0])

static uint64_t digest = 0xCBF29CE484222325ull;

static void rv(uint64_t r)
{
    printf(" %llx", r);
    digest = (digest ^ r) * 0x100000001B3ull;
}

static void test_arith(void)
{
    printf("== add sub mul\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j += 2) {
            uint64_t a = OPQ(V[i]), b = OPQ(V[j]);
            printf("ar %llx %llx:", a, b);
            rv(a + b);
            rv(a - b);
            rv(a * b);
            rv(a & b);
            rv(a | ~b);
            rv(a ^ b);
            rv(0 - a);
            rv((a < b) | (a <= b) << 1 | (a == b) << 2 | ((int64_t)a < (int64_t)b) << 3 |
               ((int64_t)a >= (int64_t)b) << 4);
            printf("\n");
        }
    }
}

static void test_divmod(void)
{
    printf("== div mod\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            uint64_t a = OPQ(V[i]), b = OPQ(V[j]);
            if (b == 0) {
                continue;
            }
            printf("dv %llx %llx:", a, b);
            rv(a / b);
            rv(a % b);
            int64_t sa = (int64_t)a, sb = (int64_t)b;
            if (!(sa == INT64_MIN && sb == -1)) {
                rv((uint64_t)(sa / sb));
                rv((uint64_t)(sa % sb));
            }
            printf("\n");
        }
    }
    /* 64 by 32 and 32 by 32 via 64-bit types. */
    for (unsigned i = 0; i < NV; i++) {
        uint64_t a = OPQ(V[i]);
        printf("dc %llx:", a);
        rv(a / 10);
        rv(a % 10);
        rv(a / 1000000);
        rv(a / 0xFFFFFFFFu);
        rv((uint64_t)((int64_t)a / -7));
        rv((uint64_t)((int64_t)a % -7));
        printf("\n");
    }
}

static void test_shifts(void)
{
    printf("== shifts\n");
    for (unsigned i = 0; i < NV; i += 3) {
        uint64_t a = OPQ(V[i]);
        for (unsigned n = 0; n < 64; n += 1) {
            unsigned k = OPQ(n);
            printf("sh %llx %u:", a, k);
            rv(a << k);
            rv(a >> k);
            rv((uint64_t)((int64_t)a >> k));
            rv((a << k) | (a >> ((64 - k) & 63)));
            printf("\n");
        }
    }
}

static uint64_t umull(uint32_t a, uint32_t b) { uint32_t lo, hi; __asm("umull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(a), "r"(b)); return (uint64_t)hi << 32 | lo; }
static uint64_t smull(uint32_t a, uint32_t b) { uint32_t lo, hi; __asm("smull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(a), "r"(b)); return (uint64_t)hi << 32 | lo; }
static uint64_t umlal(uint64_t acc, uint32_t a, uint32_t b) { uint32_t lo = (uint32_t)acc, hi = (uint32_t)(acc >> 32); __asm("umlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b)); return (uint64_t)hi << 32 | lo; }
static uint64_t smlal(uint64_t acc, uint32_t a, uint32_t b) { uint32_t lo = (uint32_t)acc, hi = (uint32_t)(acc >> 32); __asm("smlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b)); return (uint64_t)hi << 32 | lo; }
static uint64_t umaal(uint64_t acc, uint32_t a, uint32_t b) { uint32_t lo = (uint32_t)acc, hi = (uint32_t)(acc >> 32); __asm("umaal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b)); return (uint64_t)hi << 32 | lo; }

static void test_long_multiply(void)
{
    printf("== long multiply\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j += 3) {
            uint32_t a = (uint32_t)OPQ(V[i] ^ (V[i] >> 32));
            uint32_t b = (uint32_t)OPQ(V[j] + (V[j] >> 29));
            uint64_t acc = V[(i + j) % NV];
            printf("lm %08lx %08lx:", (unsigned long)a, (unsigned long)b);
            rv(umull(a, b));
            rv(smull(a, b));
            rv(umlal(acc, a, b));
            rv(smlal(acc, a, b));
            rv(umaal(acc, a, b));
            rv((uint64_t)a * b);
            rv((uint64_t)((int64_t)(int32_t)a * (int32_t)b));
            printf("\n");
        }
    }
}

static void test_misc(void)
{
    printf("== misc\n");
    for (unsigned i = 0; i < NV; i++) {
        uint64_t a = OPQ(V[i]);
        printf("ms %llx: %lld %llu %d %d %d", a, (int64_t)a, a,
               a ? __builtin_clzll(a) : 64, a ? __builtin_ctzll(a) : 64, __builtin_popcountll(a));
        rv(__builtin_bswap64(a));
        rv((uint64_t)(int64_t)(int32_t)a);
        rv((uint64_t)(uint32_t)(a >> 16));
        printf("\n");
    }
    /* A 64-bit LCG and a Fibonacci run that overflows. */
    uint64_t x = 88172645463325252ull, f0 = 0, f1 = 1;
    for (int i = 0; i < 100; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t f2 = f0 + f1;
        f0 = f1;
        f1 = f2;
        if (i % 10 == 9) {
            printf("seq %d %016llx %llu\n", i, x, f1);
        }
    }
    /* Decimal conversion by repeated division. */
    uint64_t n = OPQ(18446744073709551615ull);
    char buf[32];
    int p = 31;
    buf[p] = 0;
    while (n) {
        buf[--p] = (char)('0' + n % 10);
        n /= 10;
    }
    printf("dec %s\n", &buf[p]);
}

int main(void)
{
    printf("int64 corpus\n");
    test_arith();
    test_divmod();
    test_shifts();
    test_long_multiply();
    test_misc();
    printf("digest %016llx\n", digest);
    printf("done\n");
    return 0;
}
