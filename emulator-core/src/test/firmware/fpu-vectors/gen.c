/*
 * Golden-vector generator for MeterTwin's FPv4-SP library (org.metertwin.core.cpu.fpu.Vfp).
 *
 * Runs bare-metal on QEMU mps2-an386 (Cortex-M4F). For a fixed list of interesting operands and a
 * seeded random list, it executes each VFP instruction with inline assembly under many FPSCR
 * control settings (RMode x FZ x DN, plus AHP for half-precision conversions) and prints one line
 * per case:
 *
 *     <op> <fpscr_in> <operand>... <result> <fpscr_out>
 *
 * all numbers as 8 hex digits. fpscr_in holds only control bits (flags cleared before each op);
 * fpscr_out is FPSCR read back right after the instruction (NZCV for compares, cumulative flags).
 * Ternary ops print d n m (accumulator first). Half-precision values are printed in the low 16
 * bits. The code is integer-only on purpose: the C compiler never emits VFP code of its own, so
 * the FPSCR mode left behind by a test cannot influence operand generation.
 */
#include <stdint.h>

typedef uint32_t u32;

void semihost_write0(const char *s);

/* ---------------------------------------------------------------- output */

static char obuf[16384];
static u32 olen;
static u32 nlines;

static void flush(void)
{
    obuf[olen] = 0;
    semihost_write0(obuf);
    olen = 0;
}

static void put_str(const char *s)
{
    while (*s) obuf[olen++] = *s++;
}

static void put_hex(u32 v)
{
    static const char hx[] = "0123456789abcdef";
    obuf[olen++] = ' ';
    for (int i = 28; i >= 0; i -= 4) obuf[olen++] = hx[(v >> i) & 15];
}

static void put_dec(u32 v)
{
    char t[12];
    int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) obuf[olen++] = t[--n];
}

static void end_line(void)
{
    obuf[olen++] = '\n';
    nlines++;
    if (olen > sizeof obuf - 256) flush();
}

/* name, fpscr_in, n operands, result, fpscr_out */
static void emit(const char *name, u32 fi, int n, const u32 *ops, u32 r, u32 fo)
{
    put_str(name);
    put_hex(fi);
    for (int i = 0; i < n; i++) put_hex(ops[i]);
    put_hex(r);
    put_hex(fo);
    end_line();
}

/* ------------------------------------------------------------ randomness */

static u32 rng_state = 0x2545F491u; /* fixed seed: the golden file is reproducible */

static u32 rnd(void)
{
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static u32 make_float(u32 sign, u32 exp, u32 frac)
{
    return (sign << 31) | ((exp & 0xFF) << 23) | (frac & 0x7FFFFF);
}

/* A random single from one of several classes chosen to hit rounding, cancellation,
   underflow and overflow paths. */
static u32 rnd_float(void)
{
    u32 s = rnd() & 1, f = rnd() & 0x7FFFFF;
    switch (rnd() % 10) {
    case 0: return rnd();                                       /* any bit pattern */
    case 1: return make_float(s, rnd() % 4, f);                 /* denormal / tiny */
    case 2: return make_float(s, 118 + rnd() % 18, f);          /* near 1 */
    case 3: return make_float(s, 50 + rnd() % 30, f);           /* products land near 2^-126 */
    case 4: return make_float(s, 180 + rnd() % 20, f);          /* products land near 2^127 */
    case 5: return make_float(s, 250 + rnd() % 5, f);           /* near overflow */
    case 6: return make_float(s, 1 + rnd() % 254, f);           /* any normal */
    case 7: return make_float(s, 120 + rnd() % 16, f & 0x7E0000); /* few significant bits: ties */
    case 8: return make_float(s, 100 + rnd() % 60, f | 0x7FFF00); /* long runs of ones */
    default: return make_float(s, 20 + rnd() % 10, f);          /* small normals */
    }
}

/* b related to a: close in magnitude (cancellation) or a tie-making partner. */
static u32 rnd_partner(u32 a)
{
    switch (rnd() % 4) {
    case 0: return (a ^ 0x80000000u) + (rnd() % 5) - 2;             /* -a +- few ulp */
    case 1: return a + (rnd() % 5) - 2;                             /* a +- few ulp */
    case 2: return ((a & 0x80000000u) ^ ((rnd() & 1) << 31)) | ((a & 0x7F800000u) - (24u << 23)); /* ulp-ish */
    default: return rnd_float();
    }
}

/* Integer-only approximation of a*b (sign, exponent, top mantissa bits): an addend that nearly
   cancels the product in a fused multiply-add. */
static u32 approx_product(u32 a, u32 b)
{
    int ea = (int)((a >> 23) & 0xFF), eb = (int)((b >> 23) & 0xFF);
    if (ea == 0 || eb == 0 || ea == 255 || eb == 255) return rnd_float();
    uint64_t p = (uint64_t)((a & 0x7FFFFF) | 0x800000) * ((b & 0x7FFFFF) | 0x800000);
    int e = ea + eb - 127;
    if (p >> 47) { p >>= 1; e++; }
    if (e < 1 || e > 254) return rnd_float();
    u32 m = (u32)(p >> 23) & 0x7FFFFF;
    return make_float((a ^ b) >> 31, (u32)e, m) + (rnd() % 5) - 2;
}

/* ---------------------------------------------------------- the operations */

#define CLOB "s0", "s1", "s2", "s3", "memory"

#define BINOP(fn, insn)                                                                 \
    static u32 fn(u32 fi, u32 a, u32 b, u32 *fo)                                        \
    {                                                                                   \
        u32 r, f;                                                                       \
        __asm__ volatile("vmsr fpscr, %[fi]\n\t"                                        \
                         "vmov s0, %[a]\n\t"                                            \
                         "vmov s1, %[b]\n\t" insn " s2, s0, s1\n\t"                     \
                         "vmov %[r], s2\n\t"                                            \
                         "vmrs %[f], fpscr"                                             \
                         : [r] "=&r"(r), [f] "=&r"(f)                                   \
                         : [fi] "r"(fi), [a] "r"(a), [b] "r"(b)                         \
                         : CLOB);                                                       \
        *fo = f;                                                                        \
        return r;                                                                       \
    }

/* d = d op (n, m) */
#define TEROP(fn, insn)                                                                 \
    static u32 fn(u32 fi, u32 d, u32 n, u32 m, u32 *fo)                                 \
    {                                                                                   \
        u32 r, f;                                                                       \
        __asm__ volatile("vmsr fpscr, %[fi]\n\t"                                        \
                         "vmov s0, %[n]\n\t"                                            \
                         "vmov s1, %[m]\n\t"                                            \
                         "vmov s2, %[d]\n\t" insn " s2, s0, s1\n\t"                     \
                         "vmov %[r], s2\n\t"                                            \
                         "vmrs %[f], fpscr"                                             \
                         : [r] "=&r"(r), [f] "=&r"(f)                                   \
                         : [fi] "r"(fi), [d] "r"(d), [n] "r"(n), [m] "r"(m)             \
                         : CLOB);                                                       \
        *fo = f;                                                                        \
        return r;                                                                       \
    }

/* s1 = op(s0); s1 preloaded with `pre` (matters for vcvtb/vcvtt to half, which keep a half) */
#define UNOP(fn, insn)                                                                  \
    static u32 fn(u32 fi, u32 a, u32 pre, u32 *fo)                                      \
    {                                                                                   \
        u32 r, f;                                                                       \
        __asm__ volatile("vmsr fpscr, %[fi]\n\t"                                        \
                         "vmov s0, %[a]\n\t"                                            \
                         "vmov s1, %[p]\n\t" insn "\n\t"                                \
                         "vmov %[r], s1\n\t"                                            \
                         "vmrs %[f], fpscr"                                             \
                         : [r] "=&r"(r), [f] "=&r"(f)                                   \
                         : [fi] "r"(fi), [a] "r"(a), [p] "r"(pre)                       \
                         : CLOB);                                                       \
        *fo = f;                                                                        \
        return r;                                                                       \
    }

BINOP(op_add, "vadd.f32")
BINOP(op_sub, "vsub.f32")
BINOP(op_mul, "vmul.f32")
BINOP(op_div, "vdiv.f32")
BINOP(op_nmul, "vnmul.f32")

TEROP(op_mla, "vmla.f32")
TEROP(op_mls, "vmls.f32")
TEROP(op_nmla, "vnmla.f32")
TEROP(op_nmls, "vnmls.f32")
TEROP(op_fma, "vfma.f32")
TEROP(op_fms, "vfms.f32")
TEROP(op_fnma, "vfnma.f32")
TEROP(op_fnms, "vfnms.f32")

UNOP(op_sqrt, "vsqrt.f32 s1, s0")
UNOP(op_abs, "vabs.f32 s1, s0")
UNOP(op_neg, "vneg.f32 s1, s0")
UNOP(op_toint_s32, "vcvt.s32.f32 s1, s0")
UNOP(op_toint_u32, "vcvt.u32.f32 s1, s0")
UNOP(op_tointr_s32, "vcvtr.s32.f32 s1, s0")
UNOP(op_tointr_u32, "vcvtr.u32.f32 s1, s0")
UNOP(op_fromint_s32, "vcvt.f32.s32 s1, s0")
UNOP(op_fromint_u32, "vcvt.f32.u32 s1, s0")
UNOP(op_tohalfb, "vcvtb.f16.f32 s1, s0")
UNOP(op_tohalft, "vcvtt.f16.f32 s1, s0")
UNOP(op_fromhalfb, "vcvtb.f32.f16 s1, s0")
UNOP(op_fromhalft, "vcvtt.f32.f16 s1, s0")

static u32 op_cmp(u32 fi, u32 a, u32 b, u32 *fo)
{
    u32 f;
    __asm__ volatile("vmsr fpscr, %[fi]\n\tvmov s0, %[a]\n\tvmov s1, %[b]\n\t"
                     "vcmp.f32 s0, s1\n\tvmrs %[f], fpscr"
                     : [f] "=&r"(f) : [fi] "r"(fi), [a] "r"(a), [b] "r"(b) : CLOB);
    *fo = f;
    return f & 0xF0000000u;
}

static u32 op_cmpe(u32 fi, u32 a, u32 b, u32 *fo)
{
    u32 f;
    __asm__ volatile("vmsr fpscr, %[fi]\n\tvmov s0, %[a]\n\tvmov s1, %[b]\n\t"
                     "vcmpe.f32 s0, s1\n\tvmrs %[f], fpscr"
                     : [f] "=&r"(f) : [fi] "r"(fi), [a] "r"(a), [b] "r"(b) : CLOB);
    *fo = f;
    return f & 0xF0000000u;
}

/* compare with #0.0: the result is NZCV from FPSCR */
#define CMPZ(fn, insn)                                                                  \
    static u32 fn(u32 fi, u32 a, u32 pre, u32 *fo)                                      \
    {                                                                                   \
        u32 f;                                                                          \
        (void)pre;                                                                      \
        __asm__ volatile("vmsr fpscr, %[fi]\n\tvmov s0, %[a]\n\t" insn "\n\t"              \
                         "vmrs %[f], fpscr"                                             \
                         : [f] "=&r"(f) : [fi] "r"(fi), [a] "r"(a) : CLOB);              \
        *fo = f;                                                                        \
        return f & 0xF0000000u;                                                         \
    }

CMPZ(op_cmpz, "vcmp.f32 s0, #0")
CMPZ(op_cmpez, "vcmpe.f32 s0, #0")

/* Fixed-point conversions: the fraction-bit count is an immediate, so one asm per value. */
#define FIXCASE(insn, fb)                                                               \
    case fb:                                                                            \
        __asm__ volatile("vmsr fpscr, %[fi]\n\tvmov s0, %[a]\n\t" insn                  \
                         " s0, s0, #" #fb "\n\tvmov %[r], s0\n\tvmrs %[f], fpscr"       \
                         : [r] "=&r"(r), [f] "=&r"(f) : [fi] "r"(fi), [a] "r"(a) : CLOB); \
        break;
#define FIX1_16(insn)                                                                   \
    FIXCASE(insn, 1) FIXCASE(insn, 2) FIXCASE(insn, 3) FIXCASE(insn, 4) FIXCASE(insn, 5) \
    FIXCASE(insn, 6) FIXCASE(insn, 7) FIXCASE(insn, 8) FIXCASE(insn, 9) FIXCASE(insn, 10) \
    FIXCASE(insn, 11) FIXCASE(insn, 12) FIXCASE(insn, 13) FIXCASE(insn, 14)             \
    FIXCASE(insn, 15) FIXCASE(insn, 16)
#define FIX16(insn) FIXCASE(insn, 0) FIX1_16(insn)
#define FIX32(insn)                                                                     \
    FIX1_16(insn) FIXCASE(insn, 17) FIXCASE(insn, 18) FIXCASE(insn, 19) FIXCASE(insn, 20) \
    FIXCASE(insn, 21) FIXCASE(insn, 22) FIXCASE(insn, 23) FIXCASE(insn, 24)             \
    FIXCASE(insn, 25) FIXCASE(insn, 26) FIXCASE(insn, 27) FIXCASE(insn, 28)             \
    FIXCASE(insn, 29) FIXCASE(insn, 30) FIXCASE(insn, 31) FIXCASE(insn, 32)

#define FIXFN(fn, insn, LIST)                                                           \
    static u32 fn(u32 fi, u32 a, u32 fb, u32 *fo)                                       \
    {                                                                                   \
        u32 r = 0, f = 0;                                                               \
        switch (fb) { LIST(insn) }                                                      \
        *fo = f;                                                                        \
        return r;                                                                       \
    }

FIXFN(op_tofix_s16, "vcvt.s16.f32", FIX16)
FIXFN(op_tofix_u16, "vcvt.u16.f32", FIX16)
FIXFN(op_tofix_s32, "vcvt.s32.f32", FIX32)
FIXFN(op_tofix_u32, "vcvt.u32.f32", FIX32)
FIXFN(op_fromfix_s16, "vcvt.f32.s16", FIX16)
FIXFN(op_fromfix_u16, "vcvt.f32.u16", FIX16)
FIXFN(op_fromfix_s32, "vcvt.f32.s32", FIX32)
FIXFN(op_fromfix_u32, "vcvt.f32.u32", FIX32)

/* VMOV.F32 Sd, #imm for all 256 imm8 values, via the raw T2 encoding (EEB0 0A00 | imm4H<<16 | imm4L). */
__attribute__((noinline)) static void gen_vmov_imm(void)
{
    static u32 out[256];
    u32 *p = out;
    __asm__ volatile(".set vmi_i, 0\n\t"
                     ".rept 256\n\t"
                     ".inst.w 0xEEB00A00 | ((vmi_i >> 4) << 16) | (vmi_i & 15)\n\t"
                     "vstmia %0!, {s0}\n\t"
                     ".set vmi_i, vmi_i + 1\n\t"
                     ".endr"
                     : "+r"(p)
                     :
                     : CLOB);
    for (u32 i = 0; i < 256; i++) {
        u32 ops[1] = {i};
        emit("vmovi", 0, 1, ops, out[i], 0);
    }
}

/* ------------------------------------------------------------ operand sets */

static const u32 SPECIAL[] = {
    0x00000000, 0x80000000,             /* +-0 */
    0x00000001, 0x80000001,             /* +-smallest denormal */
    0x007FFFFF, 0x807FFFFF,             /* +-largest denormal */
    0x00400000,                         /* 2^-127 */
    0x00800000, 0x80800000,             /* +-smallest normal */
    0x00800001,                         /* smallest normal + ulp */
    0x3F800000, 0xBF800000,             /* +-1 */
    0x3F800001,                         /* 1 + ulp */
    0x3FFFFFFF,                         /* just below 2 */
    0x3FC00000,                         /* 1.5 */
    0x40400000,                         /* 3 */
    0x3EAAAAAB,                         /* 1/3 */
    0x33800000,                         /* 2^-24: half an ulp of 1 */
    0x34400000,                         /* 3 * 2^-24 */
    0x4B800000,                         /* 2^24 */
    0x4F000000, 0xCF000000,             /* +-2^31 */
    0x1F800000, 0x5F800000,             /* 2^-64, 2^64 */
    0x7F000000,                         /* 2^127 */
    0x7F7FFFFF, 0xFF7FFFFF,             /* +-largest normal */
    0x7F800000, 0xFF800000,             /* +-infinity */
    0x7FC00000, 0xFFC00000,             /* default qNaN, negative qNaN */
    0x7FC12345, 0xFFD00001,             /* qNaNs with payload */
    0x7F800001, 0xFFA54321, 0x7FBFFFFF, /* sNaNs with payload */
};
#define NSPECIAL (sizeof SPECIAL / sizeof SPECIAL[0])

static const u32 TSPECIAL[] = {
    0x00000000, 0x80000000, 0x00000001, 0x80800000, 0x3F800000, 0xBF800001,
    0x33800000, 0x7F7FFFFF, 0xFF800000, 0x7F800000, 0x7FC12345, 0xFF812345,
};
#define NTSPECIAL (sizeof TSPECIAL / sizeof TSPECIAL[0])

/* Conversion to integer: values around integers, halves and the saturation limits. */
static const u32 TOINT[] = {
    0x3F000000, 0xBF000000,             /* +-0.5 */
    0x3EFFFFFF, 0xBEFFFFFF,             /* just below 0.5 */
    0x3F000001,                         /* just above 0.5 */
    0x3FC00000, 0xBFC00000,             /* +-1.5 */
    0x40200000, 0xC0200000,             /* +-2.5 */
    0x3F7FFFFF, 0xBF7FFFFF,             /* just below 1 */
    0x4EFFFFFF, 0xCEFFFFFF,             /* +-(2^31 - 128) */
    0x4F000000, 0xCF000000,             /* +-2^31 */
    0x4F000001, 0xCF000001,             /* just beyond 2^31 */
    0x4F7FFFFF, 0x4F800000,             /* 2^32 - 256, 2^32 */
    0x4B000001, 0x4AFFFFFF,             /* 2^23 + 1, 2^23 - 0.5 */
    0x46FFFE00, 0x477FFF00,             /* 32767, 65535 */
    0x47000000, 0xC7000000,             /* +-32768 */
    0x46FFFF00, 0x477FFF80,             /* 32767.5, 65535.5 */
};
#define NTOINT (sizeof TOINT / sizeof TOINT[0])

/* Conversion to half: the half-precision range, ties and the AHP range. */
static const u32 TOHALF[] = {
    0x477FE000, 0xC77FE000,             /* +-65504 = half max */
    0x477FEFFF, 0x477FF000, 0x477FF001, /* around the tie to infinity (65520) */
    0x47800000,                         /* 65536 */
    0x47FFE000, 0x47FFEFFF, 0x47FFF000, 0xC7FFF000, 0x48000000, /* AHP max 131008 and beyond */
    0x38800000, 0x387FFFFF, 0x38800001, /* 2^-14 = smallest half normal and neighbours */
    0x33800000, 0xB3800000,             /* 2^-24 = smallest half denormal */
    0x33000000, 0x33000001, 0x32FFFFFF, /* 2^-25 tie to zero and neighbours */
    0x33400000, 0x33C00000,             /* 1.5 * 2^-24, 1.5 * 2^-23 */
    0x38000000,                         /* 2^-15 half denormal */
    0x3F801000, 0x3F803000, 0x3F801001, 0xBF801000, /* ties in 1 + ulp(half) */
    0x7FC0A000, 0xFFC02000, 0x7F802000, 0x7F800001, 0xFFBFE000, /* NaN payloads that survive or not */
};
#define NTOHALF (sizeof TOHALF / sizeof TOHALF[0])

static const u32 HALVES[] = {
    0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x3C01, 0x7BFF, 0xFBFF,
    0x7C00, 0xFC00, 0x7C01, 0xFC01, 0x7D55, 0x7DFF, 0x7E00, 0xFE00, 0x7E01, 0x7FFF, 0xFFFF,
};
#define NHALVES (sizeof HALVES / sizeof HALVES[0])

static const u32 INTS[] = {
    0x00000000, 0x00000001, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0x00FFFFFF,
    0x01000000, 0x01000001, 0x01000002, 0x01000003, 0x02000002, 0x02000006, 0x7FFFFFC0,
    0x7FFFFF80, 0x7FFFFF40, 0xFFFFFF80, 0xFFFFFFC0, 0x0000FFFF, 0x00007FFF, 0x00008000,
    0x00008001, 0x0000FFFE, 0x12345678, 0xFEDCBA98, 0xDEAD8001, 0x00010000, 0x0001FFFF,
};
#define NINTS (sizeof INTS / sizeof INTS[0])

/* ----------------------------------------------------------------- drivers */

#define FZ (1u << 24)
#define DN (1u << 25)
#define AHP (1u << 26)
#define RMODE(r) ((u32)(r) << 22)

typedef u32 (*binfn)(u32, u32, u32, u32 *);
typedef u32 (*terfn)(u32, u32, u32, u32, u32 *);
typedef u32 (*unfn)(u32, u32, u32, u32 *);

static void run_bin(const char *name, binfn fn, u32 fi, u32 a, u32 b)
{
    u32 fo, ops[2] = {a, b};
    u32 r = fn(fi, a, b, &fo);
    emit(name, fi, 2, ops, r, fo);
}

static void run_ter(const char *name, terfn fn, u32 fi, u32 d, u32 n, u32 m)
{
    u32 fo, ops[3] = {d, n, m};
    u32 r = fn(fi, d, n, m, &fo);
    emit(name, fi, 3, ops, r, fo);
}

static void run_un(const char *name, unfn fn, u32 fi, u32 a, u32 pre, u32 mask, int shift)
{
    u32 fo, ops[1] = {a};
    u32 r = fn(fi, a, pre, &fo);
    emit(name, fi, 1, ops, (r >> shift) & mask, fo);
}

/* all 16 combinations of RMode x FZ x DN */
static u32 mode16(int i) { return RMODE(i & 3) | ((i & 4) ? FZ : 0) | ((i & 8) ? DN : 0); }
/* all 8 combinations of RMode x FZ; DN alternates with the case number */
static u32 mode8(int i, u32 k) { return RMODE(i & 3) | ((i & 4) ? FZ : 0) | ((k & 1) ? DN : 0); }
/* 4 settings covering each rounding mode once, FZ and DN both ways */
static const u32 MODE4[4] = {RMODE(0), RMODE(2) | FZ, RMODE(1) | DN, RMODE(3) | FZ | DN};

static void gen_binary(const char *name, binfn fn, u32 nrandom)
{
    for (u32 i = 0; i < NSPECIAL; i++)
        for (u32 j = 0; j < NSPECIAL; j++)
            for (int m = 0; m < 16; m++) run_bin(name, fn, mode16(m), SPECIAL[i], SPECIAL[j]);
    for (u32 k = 0; k < nrandom; k++) {
        u32 a = rnd_float(), b = rnd_partner(a);
        if (rnd() & 1) { u32 t = a; a = b; b = t; }
        for (int m = 0; m < 8; m++) run_bin(name, fn, mode8(m, k), a, b);
    }
}

static void gen_ternary(const char *name, terfn fn, int full, u32 nrandom)
{
    for (u32 i = 0; i < NTSPECIAL; i++)
        for (u32 j = 0; j < NTSPECIAL; j++)
            for (u32 l = 0; l < NTSPECIAL; l++) {
                if (full)
                    for (int m = 0; m < 16; m++) run_ter(name, fn, mode16(m), TSPECIAL[i], TSPECIAL[j], TSPECIAL[l]);
                else
                    for (int m = 0; m < 4; m++) run_ter(name, fn, MODE4[m], TSPECIAL[i], TSPECIAL[j], TSPECIAL[l]);
            }
    for (u32 k = 0; k < nrandom; k++) {
        u32 n = rnd_float(), m = rnd_float(), d;
        switch (rnd() % 3) {
        case 0: d = approx_product(n, m); break;                    /* near cancellation */
        case 1: d = approx_product(n, m) ^ 0x80000000u; break;
        default: d = rnd_float(); break;
        }
        for (int md = 0; md < 8; md++) run_ter(name, fn, mode8(md, k), d, n, m);
    }
}

/*
 * Fused multiply-add cases whose exact result needs a sticky bit far below the rounding point:
 * 24-bit significands a, b with a*b == 1 (mod 2^39), i.e. the product is H*2^39 + 1, a few top
 * bits, a run of 38 zeros and a lone 1. Added to +-1.0 with the lone bit 2^-61..2^-64 below it,
 * only that bit decides inexactness (and breaks the tie when H sits at the half-ulp position).
 * b is a's inverse modulo 2^39 (Newton iteration), kept when it is itself a 24-bit significand.
 */
static void gen_sticky_fma(void)
{
    u32 found = 0;
    for (u32 a = (rnd() & 0x7FFFFF) | 0x800001; found < 24; a = ((a + 2) & 0x7FFFFF) | 0x800001) {
        uint64_t x = a;
        for (int i = 0; i < 6; i++) x *= 2 - (uint64_t)a * x;    /* x = a^-1 mod 2^64 */
        uint64_t b = x & ((1ull << 39) - 1);
        if (b < 0x800000 || b > 0xFFFFFF) continue;
        found++;
        for (int e = -61; e >= -64; e--) {
            /* value(n) * value(m) = a*b * 2^e : n = a * 2^-23 (exponent field 127), m = b * 2^(e+23) */
            u32 n = make_float(0, 127, a), m = make_float(0, (u32)(e + 23 + 150), (u32)b);
            for (int sg = 0; sg < 4; sg++) {
                u32 acc = (sg & 1) ? 0xBF800000u : 0x3F800000u;
                u32 nn = n ^ ((sg & 2) ? 0x80000000u : 0);
                for (int md = 0; md < 4; md++) run_ter("fma", op_fma, RMODE(md), acc, nn, m);
            }
        }
    }
}

static void gen_compare(void)
{
    for (u32 i = 0; i < NSPECIAL; i++)
        for (u32 j = 0; j < NSPECIAL; j++)
            for (int m = 0; m < 2; m++) {
                u32 fi = m ? FZ : 0;
                run_bin("cmp", op_cmp, fi, SPECIAL[i], SPECIAL[j]);
                run_bin("cmpe", op_cmpe, fi | (m ? 0 : DN), SPECIAL[i], SPECIAL[j]);
            }
    for (u32 k = 0; k < 400; k++) {
        u32 a = rnd_float(), b = rnd_partner(a);
        for (int m = 0; m < 2; m++) {
            run_bin("cmp", op_cmp, m ? FZ : 0, a, b);
            run_bin("cmpe", op_cmpe, m ? FZ : 0, a, b);
        }
    }
    for (u32 i = 0; i < NSPECIAL; i++)
        for (int m = 0; m < 2; m++) {
            run_un("cmpz", op_cmpz, m ? FZ : 0, SPECIAL[i], 0, 0xF0000000u, 0);
            run_un("cmpez", op_cmpez, m ? FZ : 0, SPECIAL[i], 0, 0xF0000000u, 0);
        }
}

static void gen_sqrt_abs_neg(void)
{
    for (u32 i = 0; i < NSPECIAL; i++) {
        for (int m = 0; m < 16; m++) run_un("sqrt", op_sqrt, mode16(m), SPECIAL[i], 0, ~0u, 0);
        run_un("abs", op_abs, FZ | DN, SPECIAL[i], 0, ~0u, 0);
        run_un("neg", op_neg, FZ | DN, SPECIAL[i], 0, ~0u, 0);
    }
    for (u32 k = 0; k < 1500; k++) {
        u32 a = rnd_float();
        if (k & 2) a &= 0x7FFFFFFF;  /* mostly positive */
        if ((k & 7) == 1) a = make_float(0, 127 + (rnd() % 8) * 2, (rnd() % 4096) * (rnd() % 4096) >> 1); /* near squares */
        for (int m = 0; m < 8; m++) run_un("sqrt", op_sqrt, mode8(m, k), a, 0, ~0u, 0);
    }
}

static const char *const TOINT_NAMES[4] = {"toint.s32", "toint.u32", "tointr.s32", "tointr.u32"};
static const unfn TOINT_FNS[4] = {op_toint_s32, op_toint_u32, op_tointr_s32, op_tointr_u32};

static void gen_toint(void)
{
    for (int v = 0; v < 4; v++) {
        for (u32 i = 0; i < NSPECIAL + NTOINT; i++) {
            u32 a = i < NSPECIAL ? SPECIAL[i] : TOINT[i - NSPECIAL];
            for (int m = 0; m < 8; m++) run_un(TOINT_NAMES[v], TOINT_FNS[v], mode8(m, i), a, 0, ~0u, 0);
        }
        for (u32 k = 0; k < 300; k++) {
            u32 a = (k & 1) ? make_float(rnd() & 1, 120 + rnd() % 40, rnd()) : rnd_float();
            for (int m = 0; m < 8; m++) run_un(TOINT_NAMES[v], TOINT_FNS[v], mode8(m, k), a, 0, ~0u, 0);
        }
    }
    for (u32 i = 0; i < NINTS + 200; i++) {
        u32 a = i < NINTS ? INTS[i] : rnd() >> (rnd() % 32);
        if (i >= NINTS && (i & 1)) a = ~a;
        for (int m = 0; m < 4; m++) {
            run_un("fromint.s32", op_fromint_s32, RMODE(m) | (m & 1 ? FZ : 0), a, 0, ~0u, 0);
            run_un("fromint.u32", op_fromint_u32, RMODE(m) | (m & 1 ? DN : 0), a, 0, ~0u, 0);
        }
    }
}

static void gen_fixed(void)
{
    static const char *const TO[4] = {"tofix.s16.", "tofix.u16.", "tofix.s32.", "tofix.u32."};
    static const char *const FROM[4] = {"fromfix.s16.", "fromfix.u16.", "fromfix.s32.", "fromfix.u32."};
    static u32 fvals[48], ivals[48];
    u32 nf = 0, ni = 0;
    for (u32 i = 0; i < 16; i++) fvals[nf++] = SPECIAL[(i * 7) % NSPECIAL];
    for (u32 i = 0; i < 16; i++) fvals[nf++] = TOINT[(i * 5) % NTOINT];
    while (nf < 48) fvals[nf++] = make_float(rnd() & 1, 110 + rnd() % 40, rnd());
    for (u32 i = 0; i < 20; i++) ivals[ni++] = INTS[i % NINTS];
    while (ni < 48) ivals[ni++] = rnd() >> (rnd() % 32);

    for (int v = 0; v < 4; v++) {
        u32 lo = v < 2 ? 0 : 1, hi = v < 2 ? 16 : 32;
        for (u32 fb = lo; fb <= hi; fb++) {
            char name[24];
            u32 n = 0;
            for (const char *s = TO[v]; *s; s++) name[n++] = *s;
            if (fb >= 10) name[n++] = (char)('0' + fb / 10);
            name[n++] = (char)('0' + fb % 10);
            name[n] = 0;
            for (u32 i = 0; i < nf; i++)
                for (int m = 0; m < 2; m++) {
                    u32 fi = m ? RMODE(2) | FZ | DN : RMODE(0);
                    u32 fo, ops[1] = {fvals[i]}, r;
                    switch (v) {
                    case 0: r = op_tofix_s16(fi, fvals[i], fb, &fo); break;
                    case 1: r = op_tofix_u16(fi, fvals[i], fb, &fo); break;
                    case 2: r = op_tofix_s32(fi, fvals[i], fb, &fo); break;
                    default: r = op_tofix_u32(fi, fvals[i], fb, &fo); break;
                    }
                    emit(name, fi, 1, ops, r, fo);
                }
            n = 0;
            for (const char *s = FROM[v]; *s; s++) name[n++] = *s;
            if (fb >= 10) name[n++] = (char)('0' + fb / 10);
            name[n++] = (char)('0' + fb % 10);
            name[n] = 0;
            for (u32 i = 0; i < ni; i++)
                for (int m = 0; m < 4; m++) {
                    u32 fi = RMODE(m) | (m == 3 ? FZ : 0);
                    u32 fo, ops[1] = {ivals[i]}, r;
                    switch (v) {
                    case 0: r = op_fromfix_s16(fi, ivals[i], fb, &fo); break;
                    case 1: r = op_fromfix_u16(fi, ivals[i], fb, &fo); break;
                    case 2: r = op_fromfix_s32(fi, ivals[i], fb, &fo); break;
                    default: r = op_fromfix_u32(fi, ivals[i], fb, &fo); break;
                    }
                    emit(name, fi, 1, ops, r, fo);
                }
        }
    }
}

static void gen_half(void)
{
    /* single -> half: all 32 settings of RMode x FZ x DN x AHP for VCVTB */
    for (u32 i = 0; i < NSPECIAL + NTOHALF + 400; i++) {
        u32 a = i < NSPECIAL ? SPECIAL[i]
              : i < NSPECIAL + NTOHALF ? TOHALF[i - NSPECIAL]
              : make_float(rnd() & 1, 95 + rnd() % 50, (i & 1) ? rnd() : rnd() & 0x7FF000);
        for (int m = 0; m < 32; m++) {
            u32 fi = mode16(m & 15) | ((m & 16) ? AHP : 0);
            run_un("tohalfb", op_tohalfb, fi, a, 0xA5A5C3C3u, 0xFFFF, 0);
            if ((m & 7) == 0 || (m & 7) == 6) run_un("tohalft", op_tohalft, fi, a, 0x5A5A3C3Cu, 0xFFFF, 16);
        }
    }
    /* half -> single: the values sit in the selected half, junk in the other */
    for (u32 i = 0; i < NHALVES + 2000; i++) {
        u32 h = i < NHALVES ? HALVES[i] : (rnd() & 0xFFFF);
        if (i >= NHALVES && (i & 3) == 0) h |= 0x7C00; /* many NaN/Inf (or AHP big) encodings */
        for (int m = 0; m < 8; m++) {
            u32 fi = ((m & 1) ? FZ : 0) | ((m & 2) ? DN : 0) | ((m & 4) ? AHP : 0) | RMODE(m == 5 ? 2 : 0);
            u32 fo, ops[1] = {h};
            u32 r = op_fromhalfb(fi, h | 0xDEAD0000u, 0, &fo);
            emit("fromhalfb", fi, 1, ops, r, fo);
            if (i < NHALVES || (i & 7) == 0) {
                r = op_fromhalft(fi, (h << 16) | 0xBEEFu, 0, &fo);
                emit("fromhalft", fi, 1, ops, r, fo);
            }
        }
    }
}

int main(void)
{
    put_str("# MeterTwin FPv4-SP golden vectors, QEMU mps2-an386 (cortex-m4), generator gen.c\n");
    put_str("# op fpscr_in operands... result fpscr_out\n");

    gen_binary("add", op_add, 1500);
    gen_binary("sub", op_sub, 1000);
    gen_binary("mul", op_mul, 1500);
    gen_binary("div", op_div, 1000);
    gen_binary("nmul", op_nmul, 300);

    gen_ternary("mla", op_mla, 1, 1000);
    gen_ternary("mls", op_mls, 0, 300);
    gen_ternary("nmla", op_nmla, 0, 300);
    gen_ternary("nmls", op_nmls, 0, 300);
    gen_ternary("fma", op_fma, 1, 2500);
    gen_ternary("fms", op_fms, 0, 300);
    gen_ternary("fnma", op_fnma, 0, 300);
    gen_ternary("fnms", op_fnms, 0, 300);
    gen_sticky_fma();

    gen_compare();
    gen_sqrt_abs_neg();
    gen_toint();
    gen_fixed();
    gen_half();
    gen_vmov_imm();

    put_str("# end ");
    put_dec(nlines);
    put_str(" vectors\n");
    flush();
    return 0;
}
