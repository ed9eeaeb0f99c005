/*
 * integer: ALU semantics of the Thumb-2 integer core — arithmetic and flags,
 * shifts by immediate and by register (amounts past 32), bit operations,
 * conditionals, switch tables (TBB/TBH), bitfields, CLZ/RBIT/REV, saturation.
 */
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

static const uint32_t V[] = {
    0x00000000, 0x00000001, 0x00000002, 0x0000001F, 0x00000020, 0x00000021,
    0x0000007F, 0x00000080, 0x000000FF, 0x00000100, 0x00007FFF, 0x00008000,
    0x0000FFFF, 0x00010000, 0x12345678, 0x55555555, 0x7FFFFFFE, 0x7FFFFFFF,
    0x80000000, 0x80000001, 0xAAAAAAAA, 0xDEADBEEF, 0xFFFF0000, 0xFFFFFFFE,
    0xFFFFFFFF,
};
#define NV (sizeof V / sizeof V[0])

static unsigned long hashacc = 2166136261u;

static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        hashacc = (hashacc ^ ((v >> (8 * i)) & 0xFF)) * 16777619u;
    }
}

static void out(const char *what, uint32_t a, uint32_t b, uint32_t r)
{
    printf("%-6s %08lx %08lx -> %08lx\n", what, (unsigned long)a, (unsigned long)b, (unsigned long)r);
    mix(r);
}

/* Compact rows: a label, the operands, then many results on one line. */
static void row_begin(const char *what, uint32_t a, uint32_t b)
{
    printf("%s %08lx %08lx:", what, (unsigned long)a, (unsigned long)b);
}

static void rv(uint32_t r)
{
    printf(" %lx", (unsigned long)r);
    mix(r);
}

static void row_end(void)
{
    printf("\n");
}

/* Flag-setting arithmetic through inline assembly: result and NZCV. */
#define FLAGOP(name, insn)                                                        \
    static uint32_t name(uint32_t a, uint32_t b, uint32_t cin, uint32_t *psr)    \
    {                                                                             \
        uint32_t r;                                                               \
        uint32_t c = cin ? 0x20000000u : 0;                                       \
        __asm volatile("msr apsr_nzcvq, %3\n\t" insn " %0, %1, %2\n\tmrs %1, apsr" \
                       : "=&r"(r), "+&r"(a)                                       \
                       : "r"(b), "r"(c)                                           \
                       : "cc");                                                   \
        *psr = a >> 27;                                                           \
        return r;                                                                 \
    }
FLAGOP(op_adds, "adds")
FLAGOP(op_adcs, "adcs")
FLAGOP(op_subs, "subs")
FLAGOP(op_sbcs, "sbcs")
FLAGOP(op_rsbs, "rsbs")
FLAGOP(op_ands, "ands")
FLAGOP(op_eors, "eors")
FLAGOP(op_orns, "orns")
FLAGOP(op_bics, "bics")
FLAGOP(op_lsls, "lsls")
FLAGOP(op_lsrs, "lsrs")
FLAGOP(op_asrs, "asrs")
FLAGOP(op_rors, "rors")

typedef uint32_t (*flagop_t)(uint32_t, uint32_t, uint32_t, uint32_t *);

static void test_flags(void)
{
    static const struct { const char *n; flagop_t f; } ops[] = {
        {"adds", op_adds}, {"adcs", op_adcs}, {"subs", op_subs}, {"sbcs", op_sbcs},
        {"rsbs", op_rsbs}, {"ands", op_ands}, {"eors", op_eors}, {"orns", op_orns},
        {"bics", op_bics}, {"lsls", op_lsls}, {"lsrs", op_lsrs}, {"asrs", op_asrs},
        {"rors", op_rors},
    };
    static const uint32_t sel[] = {0x00000000, 0x00000001, 0x0000001F, 0x00000020,
                                   0x00000021, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                                   0xDEADBEEF};
    printf("== flags (result NZCVQ)\n");
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (unsigned i = 0; i < sizeof sel / sizeof sel[0]; i++) {
            for (unsigned j = 0; j < sizeof sel / sizeof sel[0]; j++) {
                row_begin(ops[o].n, sel[i], sel[j]);
                for (uint32_t cin = 0; cin < 2; cin++) {
                    uint32_t psr;
                    uint32_t r = ops[o].f(sel[i], sel[j], cin, &psr);
                    printf(" %lx %c%c%c%c%c", (unsigned long)r,
                           psr & 16 ? 'N' : '-', psr & 8 ? 'Z' : '-', psr & 4 ? 'C' : '-',
                           psr & 2 ? 'V' : '-', psr & 1 ? 'Q' : '-');
                    mix(r);
                    mix(psr);
                }
                row_end();
            }
        }
    }
}

static void test_arith(void)
{
    printf("== arithmetic\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j += 3) {
            uint32_t a = OPQ(V[i]), b = OPQ(V[j]);
            row_begin("alu", a, b);
            rv(a + b);
            rv(a - b);
            rv(a * b);
            rv(a * b + 0x01020304u);
            rv(0x01020304u - a * b);
            rv(a & b);
            rv(a | b);
            rv(a ^ b);
            rv(a & ~b);
            rv(a | ~b);
            rv(0u - a);
            rv(a << (b & 31));
            rv(a >> (b & 31));
            rv((uint32_t)((int32_t)a >> (b & 31)));
            rv((a >> (b & 31)) | (a << ((32 - (b & 31)) & 31)));
            rv((a < b) | (a <= b) << 1 | (a > b) << 2 | (a >= b) << 3 | (a == b) << 4);
            rv(((int32_t)a < (int32_t)b) | ((int32_t)a <= (int32_t)b) << 1 |
               ((int32_t)a > (int32_t)b) << 2 | ((int32_t)a >= (int32_t)b) << 3);
            rv((int32_t)a < (int32_t)b ? a : b);
            rv(a > b ? a : b);
            rv((a & 0x80) ? a + 7 : b - 3);
            row_end();
        }
    }
}

/* Shifts by register use the bottom byte of the amount: 32..255 are legal in ARM. */
static uint32_t lsl_reg(uint32_t a, uint32_t n) { uint32_t r; __asm("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(n)); return r; }
static uint32_t lsr_reg(uint32_t a, uint32_t n) { uint32_t r; __asm("lsr %0, %1, %2" : "=r"(r) : "r"(a), "r"(n)); return r; }
static uint32_t asr_reg(uint32_t a, uint32_t n) { uint32_t r; __asm("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(n)); return r; }
static uint32_t ror_reg(uint32_t a, uint32_t n) { uint32_t r; __asm("ror %0, %1, %2" : "=r"(r) : "r"(a), "r"(n)); return r; }
static uint32_t rrx(uint32_t a, uint32_t c)
{
    uint32_t r;
    __asm volatile("msr apsr_nzcvq, %2\n\trrx %0, %1" : "=r"(r) : "r"(a), "r"(c ? 0x20000000u : 0u) : "cc");
    return r;
}

static void test_shifts(void)
{
    static const uint32_t amounts[] = {0, 1, 4, 15, 31, 32, 33, 63, 64, 127, 128, 255, 256, 257, 0xFFFFFF01};
    printf("== register shifts\n");
    for (unsigned i = 0; i < NV; i += 2) {
        for (unsigned k = 0; k < sizeof amounts / sizeof amounts[0]; k++) {
            uint32_t a = V[i], n = amounts[k];
            row_begin("shr", a, n);
            rv(lsl_reg(a, n));
            rv(lsr_reg(a, n));
            rv(asr_reg(a, n));
            rv(ror_reg(a, n));
            row_end();
        }
        out("rrx0", V[i], 0, rrx(V[i], 0));
        out("rrx1", V[i], 1, rrx(V[i], 1));
    }
    /* Shifted-register operands (ADD with LSL #n etc.). */
    uint32_t acc = 1;
    for (unsigned i = 0; i < NV; i++) {
        uint32_t a = OPQ(V[i]);
        acc = acc + (a << 3);
        acc ^= a >> 7;
        acc = acc - (uint32_t)((int32_t)a >> 11);
        acc |= (a >> 30) << 5;
        out("shop", a, i, acc);
    }
}

static void test_bits(void)
{
    printf("== clz rbit rev\n");
    for (unsigned i = 0; i < NV; i++) {
        uint32_t a = OPQ(V[i]);
        uint32_t clz, rbit, rev, rev16, revsh;
        __asm("clz %0, %1" : "=r"(clz) : "r"(a));
        __asm("rbit %0, %1" : "=r"(rbit) : "r"(a));
        __asm("rev %0, %1" : "=r"(rev) : "r"(a));
        __asm("rev16 %0, %1" : "=r"(rev16) : "r"(a));
        __asm("revsh %0, %1" : "=r"(revsh) : "r"(a));
        row_begin("bits", a, 0);
        rv(clz);
        rv(rbit);
        rv(rev);
        rv(rev16);
        rv(revsh);
        rv(__builtin_bswap32(a));
        rv(a ? (uint32_t)__builtin_ctz(a) : 32u);
        rv((uint32_t)__builtin_popcount(a));
        rv((uint32_t)__builtin_parity(a));
        rv((a >> 5) & 0x3FF);
        rv((uint32_t)(((int32_t)(a << 7)) >> 20));
        rv((a & ~0x0FF0u) | ((a >> 24) << 4));
        rv(a & ~0x00FFF000u);
        rv((uint32_t)(int32_t)(int8_t)a);
        rv((uint32_t)(int32_t)(int16_t)a);
        rv((uint8_t)a);
        rv((uint16_t)a);
        row_end();
    }
}

struct packed_bits {
    unsigned a : 3;
    signed b : 5;
    unsigned c : 12;
    signed d : 9;
    unsigned e : 3;
};

static void test_bitfields(void)
{
    printf("== bitfields\n");
    volatile struct packed_bits s;
    uint32_t seed = 0x1234567u;
    for (int i = 0; i < 40; i++) {
        seed = seed * 1103515245u + 12345u;
        s.a = seed >> 3;
        s.b = (int)(seed >> 9);
        s.c = seed >> 14;
        s.d = (int)(seed >> 2);
        s.e = seed >> 29;
        uint32_t raw;
        __builtin_memcpy(&raw, (const void *)&s, 4);
        printf("bf %08lx: a=%u b=%d c=%u d=%d e=%u raw=%08lx\n", (unsigned long)seed, s.a, s.b,
               s.c, s.d, s.e, (unsigned long)raw);
        s.b = s.b + 3;
        s.d = -s.d;
        __builtin_memcpy(&raw, (const void *)&s, 4);
        out("bf2", seed, 0, raw);
    }
}

/* Dense switch: compiled to TBB (byte offsets). */
static int __attribute__((noinline)) small_switch(int x, int y)
{
    switch (x) {
    case 0: y += 11; break;
    case 1: y = y * y + 22; break;
    case 2: y -= 35; break;
    case 3: y = x * 7 + y; break;
    case 4: y = -y; break;
    case 5: y ^= 1000; break;
    case 6: y = x << 4; break;
    case 7: y = y * 77; break;
    case 8: y = x ^ 0x55; break;
    case 9: y += 12345; break;
    case 10: y = y - 99; break;
    case 12: y |= 3; break;
    case 13: y = 0x7FFF - y; break;
    default: y = -1; break;
    }
    return y;
}

static volatile int sink;
static void __attribute__((noinline)) burn(int k)
{
    sink = sink * 31 + k;
}

#define BIG(n) burn(n); burn(n + 1); burn(n + 2); burn(n + 3); burn(n + 4); burn(n + 5); burn(n + 6); burn(n + 7)

/* Long case bodies push the branch distances past 510 bytes: TBH. */
static int __attribute__((noinline)) big_switch(int x)
{
    sink = 0;
    switch (x) {
    case 0: BIG(10); BIG(20); break;
    case 1: BIG(30); BIG(40); break;
    case 2: BIG(50); BIG(60); break;
    case 3: BIG(70); BIG(80); break;
    case 4: BIG(90); BIG(100); break;
    case 5: BIG(110); BIG(120); break;
    case 6: BIG(130); BIG(140); break;
    case 7: BIG(150); BIG(160); break;
    case 8: BIG(170); BIG(180); break;
    case 9: BIG(190); BIG(200); break;
    case 10: BIG(210); BIG(220); break;
    case 11: BIG(230); BIG(240); break;
    case 12: BIG(250); BIG(260); break;
    case 13: BIG(270); BIG(280); break;
    case 14: BIG(290); BIG(300); break;
    case 15: BIG(310); BIG(320); break;
    default: burn(-1); break;
    }
    return sink;
}

static void test_switch(void)
{
    printf("== switch\n");
    for (int i = -2; i < 16; i++) {
        printf("small %d -> %d\n", i, small_switch(OPQ(i), OPQ(i * 13 + 5)));
    }
    for (int i = -1; i < 18; i++) {
        printf("big %d -> %d\n", i, big_switch(OPQ(i)));
    }
}

static int32_t sat16(int32_t x) { return x > 32767 ? 32767 : x < -32768 ? -32768 : x; }
static uint32_t satu8(int32_t x) { return x > 255 ? 255 : x < 0 ? 0 : (uint32_t)x; }
static uint32_t addsat_u32(uint32_t a, uint32_t b) { uint32_t r = a + b; return r < a ? 0xFFFFFFFFu : r; }
static int32_t addsat_s32(int32_t a, int32_t b)
{
    int32_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        return a < 0 ? INT32_MIN : INT32_MAX;
    }
    return r;
}

#define SATOP(name, insn)                                                         \
    static uint32_t name(uint32_t a, uint32_t *q)                                 \
    {                                                                             \
        uint32_t r, psr;                                                          \
        __asm volatile("msr apsr_nzcvq, %2\n\t" insn "\n\tmrs %1, apsr"           \
                       : "=&r"(r), "=&r"(psr) : "r"(0), "r"(a) : "cc");           \
        *q = (psr >> 27) & 1;                                                     \
        return r;                                                                 \
    }
SATOP(ssat8, "ssat %0, #8, %3")
SATOP(ssat16i, "ssat %0, #16, %3")
SATOP(ssat1, "ssat %0, #1, %3")
SATOP(ssat32lsl, "ssat %0, #32, %3, lsl #4")
SATOP(usat8, "usat %0, #8, %3")
SATOP(usat0, "usat %0, #0, %3")
SATOP(usat31asr, "usat %0, #31, %3, asr #3")
SATOP(ssat12asr, "ssat %0, #12, %3, asr #20")

static void test_saturate(void)
{
    printf("== saturation\n");
    for (unsigned i = 0; i < NV; i++) {
        uint32_t a = OPQ(V[i]);
        uint32_t q;
        row_begin("satc", a, 0);
        rv((uint32_t)sat16((int32_t)a));
        rv(satu8((int32_t)a));
        rv((uint32_t)sat16((int32_t)a >> 8));
        for (unsigned j = 0; j < NV; j += 4) {
            rv(addsat_u32(a, V[j]));
            rv((uint32_t)addsat_s32((int32_t)a, (int32_t)V[j]));
        }
        row_end();
        row_begin("sati", a, 0);
        rv(ssat8(a, &q)); rv(q);
        rv(ssat16i(a, &q)); rv(q);
        rv(ssat1(a, &q)); rv(q);
        rv(ssat32lsl(a, &q)); rv(q);
        rv(usat8(a, &q)); rv(q);
        rv(usat0(a, &q)); rv(q);
        rv(usat31asr(a, &q)); rv(q);
        rv(ssat12asr(a, &q)); rv(q);
        row_end();
    }
}

static void test_memory(void)
{
    printf("== loads and stores\n");
    static uint8_t buf[64] __attribute__((aligned(8)));
    for (int i = 0; i < 64; i++) {
        buf[i] = (uint8_t)(i * 37 + 0x81);
    }
    volatile uint8_t *vb = buf;
    for (int off = 0; off < 8; off++) {
        /* Unaligned word and halfword accesses are legal (CCR.UNALIGN_TRP clear). */
        uint32_t w = *(volatile uint32_t *)(vb + off);
        uint16_t h = *(volatile uint16_t *)(vb + off);
        int16_t sh = *(volatile int16_t *)(vb + off);
        int8_t sb = *(volatile int8_t *)(vb + off);
        printf("ld off=%d w=%08lx h=%04x sh=%d sb=%d\n", off, (unsigned long)w, h, sh, sb);
        *(volatile uint32_t *)(vb + 32 + off) = w ^ 0xA5A5A5A5u;
    }
    for (int i = 32; i < 48; i++) {
        printf("%02x", vb[i]);
    }
    printf("\n");
    /* LDM/STM and LDRD/STRD through structure copies. */
    struct { uint32_t w[6]; uint64_t d; } s1, s2;
    for (int i = 0; i < 6; i++) {
        s1.w[i] = 0x11111111u * (uint32_t)(i + 1);
    }
    s1.d = 0x0123456789ABCDEFull;
    s2 = *(volatile __typeof__(s1) *)&s1;
    for (int i = 0; i < 6; i++) {
        out("stm", (uint32_t)i, 0, s2.w[i]);
    }
    out("ldrd", 0, 0, (uint32_t)(s2.d >> 32));
    out("ldrd", 1, 0, (uint32_t)s2.d);
    /* LDREX/STREX on a single word. */
    volatile uint32_t word = 5;
    uint32_t old, fail;
    __asm volatile("1: ldrex %0, [%2]\n\tadd %0, %0, #3\n\tstrex %1, %0, [%2]\n\tcmp %1, #0\n\tbne 1b"
                   : "=&r"(old), "=&r"(fail) : "r"(&word) : "cc", "memory");
    out("strex", old, fail, word);
    __asm volatile("clrex");
}

static void test_crc(void)
{
    printf("== crc32 / xorshift\n");
    uint32_t x = 2463534242u;
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint8_t byte = (uint8_t)x;
        crc ^= byte;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        if ((i % 250) == 249) {
            out("crc", (uint32_t)i, x, ~crc);
        }
    }
}

int main(void)
{
    printf("integer corpus\n");
    test_arith();
    test_flags();
    test_shifts();
    test_bits();
    test_bitfields();
    test_switch();
    test_saturate();
    test_memory();
    test_crc();
    printf("hash %08lx\n", hashacc);
    printf("done\n");
    return 0;
}
