/* Fuzz harness: for every case in the batch table, seed the scratch buffer and the S registers,
   run the snippet through run_case(), and print one line with what changed. */
#include <stdint.h>

#define SCRATCH_BYTES 2048u

struct fuzz_case {            /* emitted by the generator, 17 words */
    uint32_t code;            /* snippet address | 1 */
    uint32_t seed;
    uint32_t apsr;
    uint32_t fpscr;
    uint32_t r[13];
};

struct fuzz_ctx {             /* offsets used by startup.S */
    uint32_t r[13];           /* 0 */
    uint32_t code;            /* 52 */
    uint32_t apsr;            /* 56 */
    uint32_t fpscr;           /* 60 */
    uint32_t sp;              /* 64 */
    uint32_t s[32];           /* 68 */
    uint32_t sys;             /* 196: PRIMASK | FAULTMASK << 1 | BASEPRI << 8 after the snippet */
    uint32_t lr;              /* 200: LR after a snippet that wrote it (harness_back_lr), else 0 */
};

extern const struct fuzz_case fuzz_cases[];
extern const uint32_t fuzz_case_count;
extern const uint32_t fuzz_first_id;        /* corpus-wide id of the batch's first case */
extern void run_case(struct fuzz_ctx *c);
extern uint32_t semihost_call(uint32_t op, const void *arg);

uint32_t harness_sp;
struct fuzz_ctx *harness_ctx;
static volatile uint32_t fault_seen, fault_ipsr, fault_cfsr, fault_hfsr, fault_pc;
/* fixed address (linker script): the generator points base registers into it */
uint32_t scratch[SCRATCH_BYTES / 4] __attribute__((section(".scratch"), aligned(8)));
static struct fuzz_ctx ctx;
static uint32_t s_in[32];
static char line[768];

/* xorshift32: scratch pattern and S-register inputs derive from the case seed */
static uint32_t rng_next(uint32_t *x)
{
    uint32_t v = *x;
    v ^= v << 13;
    v ^= v >> 17;
    v ^= v << 5;
    *x = v;
    return v;
}

static const uint32_t special_floats[16] = {
    0x00000000u, 0x80000000u, 0x7f800000u, 0xff800000u,   /* +-0, +-inf */
    0x7fc00000u, 0x7f800001u, 0xffc00001u, 0x7fbfffffu,   /* qNaN, sNaN, -qNaN payload, sNaN max */
    0x00000001u, 0x807fffffu, 0x00800000u, 0x7f7fffffu,   /* denormals, min normal, max */
    0x3f800000u, 0xbf000000u, 0x4f000000u, 0xcf000001u,   /* 1, -0.5, 2^31, just below -2^31 */
};

/* Interesting single-precision inputs: specials, small integers, values near 1, raw bits. */
static uint32_t float_input(uint32_t *x)
{
    uint32_t k = rng_next(x);
    uint32_t v = rng_next(x);
    switch (k & 7u) {
    case 0: return special_floats[v & 15u];
    case 1: return (v & 0x807fffffu) | ((uint32_t)(120u + ((v >> 23) & 15u)) << 23); /* near 1 */
    case 2: return (v & 0x80000000u) | ((uint32_t)(127u + ((k >> 3) & 31u)) << 23)
                   | (v & 0x007f0000u);                                           /* few mantissa bits */
    case 3: return v & 0x807fffffu;                                               /* denormal */
    default: return v;
    }
}

static char *put_hex(char *p, uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4) {
        uint32_t d = (v >> i) & 15u;
        *p++ = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    return p;
}

static char *put_dec(char *p, uint32_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10u);
        v /= 10u;
    }
    return p + digits;
}

static char *put_str(char *p, const char *s)
{
    while (*s) *p++ = *s++;
    return p;
}

static char *put_reg(char *p, char kind, uint32_t n, uint32_t v)
{
    *p++ = ' ';
    *p++ = kind;
    if (n >= 10) *p++ = (char)('0' + n / 10u);
    *p++ = (char)('0' + n % 10u);
    *p++ = '=';
    return put_hex(p, v);
}

void fault_report(uint32_t *frame, uint32_t ipsr)
{
    volatile uint32_t *cfsr = (volatile uint32_t *)0xE000ED28u;
    volatile uint32_t *hfsr = (volatile uint32_t *)0xE000ED2Cu;
    fault_seen = 1;
    fault_ipsr = ipsr;
    fault_cfsr = *cfsr;
    fault_hfsr = *hfsr;
    fault_pc = frame[6];
    *cfsr = fault_cfsr;       /* write-one-to-clear */
    *hfsr = fault_hfsr;
}

void harness_main(void)
{
    const uint32_t scratch_base = (uint32_t)scratch;
    for (uint32_t i = 0; i < fuzz_case_count; i++) {
        const struct fuzz_case *c = &fuzz_cases[i];
        uint32_t x = c->seed ? c->seed : 0x9e3779b9u;
        for (uint32_t w = 0; w < SCRATCH_BYTES / 4; w++) scratch[w] = rng_next(&x);
        for (int k = 0; k < 32; k++) s_in[k] = ctx.s[k] = float_input(&x);
        for (int k = 0; k < 13; k++) ctx.r[k] = c->r[k];
        ctx.code = c->code;
        ctx.apsr = c->apsr;
        ctx.fpscr = c->fpscr;
        ctx.sp = scratch_base + SCRATCH_BYTES / 2;
        ctx.sys = 0;
        ctx.lr = 0;
        fault_seen = 0;

        run_case(&ctx);

        char *p = put_dec(line, fuzz_first_id + i, 5);
        if (fault_seen) {
            p = put_str(p, " FAULT exc=");
            p = put_hex(p, fault_ipsr);
            p = put_str(p, " cfsr=");
            p = put_hex(p, fault_cfsr);
            p = put_str(p, " hfsr=");
            p = put_hex(p, fault_hfsr);
            p = put_str(p, " pc=");
            p = put_hex(p, fault_pc);
        } else {
            uint32_t sum = 0x811c9dc5u;                  /* FNV-1a over the scratch words */
            for (uint32_t w = 0; w < SCRATCH_BYTES / 4; w++) sum = (sum ^ scratch[w]) * 0x01000193u;
            p = put_str(p, " a=");
            p = put_hex(p, ctx.apsr);
            p = put_str(p, " f=");
            p = put_hex(p, ctx.fpscr);
            p = put_str(p, " m=");
            p = put_hex(p, sum);
            if (ctx.sys != 0) {
                p = put_str(p, " x=");
                p = put_hex(p, ctx.sys);
            }
            if (ctx.lr != 0) {
                p = put_str(p, " l=");
                p = put_hex(p, ctx.lr);
            }
            if (ctx.sp != scratch_base + SCRATCH_BYTES / 2) {
                p = put_str(p, " sp=");
                p = put_hex(p, ctx.sp);
            }
            for (uint32_t k = 0; k < 13; k++)
                if (ctx.r[k] != c->r[k]) p = put_reg(p, 'r', k, ctx.r[k]);
            for (uint32_t k = 0; k < 32; k++)
                if (ctx.s[k] != s_in[k]) p = put_reg(p, 's', k, ctx.s[k]);
        }
        *p++ = '\n';
        *p = 0;
        semihost_call(4, line);                         /* SYS_WRITE0 */
    }
}
