/*
 * DSP-extension reference vectors for MeterTwin's Dsp/DspMultiply, run on QEMU mps2-an386 (Cortex-M4).
 *
 * Executes every covered instruction on a fixed list of operand tuples and prints one line per case:
 *
 *   NAME I1 I2 A B C D RLO RHI Q GE
 *
 * NAME is the mnemonic (with its variant suffix, e.g. SMLABT, SSAT_ASR, SXTAB_ROR), I1/I2 decimal
 * immediates (saturate_to, shift or rotation amount, or the GE[3:0] given to SEL; 0 when unused), A..D the
 * inputs in assembler order (RdLo/RdHi first for the 64-bit accumulators; 0 when unused), RLO/RHI the
 * result (RHI only for 64-bit results), Q and GE the APSR flags after the instruction. Q and GE are cleared
 * (msr APSR_nzcvqg) right before each instruction, in the same asm block, except for SEL which gets I1 as GE.
 *
 * Freestanding: its own vector table, no libc; output through semihosting SYS_WRITE0, exit through
 * SYS_EXIT. Deterministic: random operands come from a fixed-seed xorshift32.
 */
#include <stdint.h>

extern uint32_t _estack;
void reset(void);
__attribute__((section(".vectors"), used)) const void *vectors[16] = { &_estack, reset };

/* ---------------------------------------------------------------- semihosting output */

static int semihost(int op, void *arg) {
    register int r0 asm("r0") = op;
    register void *r1 asm("r1") = arg;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static char out[4096];
static int outLen;

static void flush(void) {
    out[outLen] = 0;
    if (outLen) semihost(0x04, out);
    outLen = 0;
}

static void putStr(const char *s) { while (*s) out[outLen++] = *s++; }

static void putHex(uint32_t v) {
    static const char h[] = "0123456789abcdef";
    for (int i = 28; i >= 0; i -= 4) out[outLen++] = h[(v >> i) & 15];
}

static void putDec(uint32_t v) {
    char t[12];
    int n = 0;
    do { t[n++] = (char) ('0' + v % 10); v /= 10; } while (v);
    while (n) out[outLen++] = t[--n];
}

static long lines;

static void emit(const char *name, uint32_t i1, uint32_t i2, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
                 uint32_t rlo, uint32_t rhi, uint32_t psr) {
    if (outLen > (int) sizeof out - 160) flush();
    putStr(name); out[outLen++] = ' ';
    putDec(i1); out[outLen++] = ' ';
    putDec(i2); out[outLen++] = ' ';
    putHex(a); out[outLen++] = ' ';
    putHex(b); out[outLen++] = ' ';
    putHex(c); out[outLen++] = ' ';
    putHex(d); out[outLen++] = ' ';
    putHex(rlo); out[outLen++] = ' ';
    putHex(rhi); out[outLen++] = ' ';
    out[outLen++] = (char) ('0' + ((psr >> 27) & 1));
    out[outLen++] = ' ';
    out[outLen++] = "0123456789abcdef"[(psr >> 16) & 15];
    out[outLen++] = '\n';
    lines++;
}

/* ---------------------------------------------------------------- operands */

/* Edge values: zero, +-1, halfword and word extremes, byte extremes in every lane, mixed lanes. */
static const uint32_t EDGE[] = {
    0x00000000, 0x00000001, 0xffffffff, 0x00007fff, 0x00008000, 0x7fffffff,
    0x80000000, 0x7f7f7f7f, 0x80808080, 0x7fff8000, 0x80007fff, 0x7f80ff01,
};
#define NE ((int) (sizeof EDGE / sizeof EDGE[0]))
#define NR 20                 /* random tuples after the NE*NE edge pairs */
#define NT (NE * NE + NR)     /* tuples per instruction */

static uint32_t rng; /* seeded in reset(): no .data copy needed */

static uint32_t xorshift(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Half the random values are uniform, half are assembled from lane-edge bytes, so saturation is common. */
static uint32_t randomOperand(void) {
    static const uint8_t B[] = { 0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40 };
    uint32_t r = xorshift();
    if (r & 1) return xorshift();
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t s = xorshift();
        v |= (uint32_t) ((s & 8) ? (s >> 8) & 0xff : B[s & 7]) << (8 * i);
    }
    return v;
}

static uint32_t A, B, C, D;

/* Tuple k: for k < NE*NE all ordered edge pairs (C, D cycle through the edges), then random tuples. */
static void tuple(int k) {
    if (k < NE * NE) {
        A = EDGE[k / NE];
        B = EDGE[k % NE];
        C = EDGE[(k / NE + k % NE) % NE];
        D = EDGE[(k * 5 + 3) % NE];
    } else {
        A = randomOperand();
        B = randomOperand();
        C = randomOperand();
        D = randomOperand();
    }
}

/* ---------------------------------------------------------------- instruction runners */

#define PRE "msr APSR_nzcvqg, %[z]\n\t"
#define POST "\n\tmrs %[p], APSR"

/* Rd, A, B */
#define OP2(NAME, INSN)                                                                        \
    static void t_##NAME(void) {                                                               \
        for (int k = 0; k < NT; k++) {                                                         \
            uint32_t r, p;                                                                     \
            tuple(k);                                                                          \
            asm volatile(PRE INSN " %[r], %[a], %[b]" POST                                     \
                         : [r] "=&r"(r), [p] "=&r"(p) : [a] "r"(A), [b] "r"(B), [z] "r"(0) : "cc"); \
            emit(#NAME, 0, 0, A, B, 0, 0, r, 0, p);                                            \
        }                                                                                      \
    }

/* Rd, A, B, C */
#define OP3(NAME, INSN)                                                                        \
    static void t_##NAME(void) {                                                               \
        for (int k = 0; k < NT; k++) {                                                         \
            uint32_t r, p;                                                                     \
            tuple(k);                                                                          \
            asm volatile(PRE INSN " %[r], %[a], %[b], %[c]" POST                               \
                         : [r] "=&r"(r), [p] "=&r"(p)                                          \
                         : [a] "r"(A), [b] "r"(B), [c] "r"(C), [z] "r"(0) : "cc");             \
            emit(#NAME, 0, 0, A, B, C, 0, r, 0, p);                                            \
        }                                                                                      \
    }

/* Rd, A (one operand): the plain edges, edges mixed with shifted edges, then random values */
#define OP1(NAME, INSN)                                                                        \
    static void t_##NAME(void) {                                                               \
        for (int k = 0; k < NT; k++) {                                                         \
            uint32_t r, p;                                                                     \
            tuple(k);                                                                          \
            uint32_t a = (k < NE * NE) ? A ^ (B >> (k % 7)) : A;                               \
            asm volatile(PRE INSN " %[r], %[a]" POST                                           \
                         : [r] "=&r"(r), [p] "=&r"(p) : [a] "r"(a), [z] "r"(0) : "cc");        \
            emit(#NAME, 0, 0, a, 0, 0, 0, r, 0, p);                                            \
        }                                                                                      \
    }

/* RdLo, RdHi, C, D: 64-bit accumulate (A = RdLo in, B = RdHi in) */
#define OP64ACC(NAME, INSN)                                                                    \
    static void t_##NAME(void) {                                                               \
        for (int k = 0; k < NT; k++) {                                                         \
            uint32_t lo, hi, p;                                                                \
            tuple(k);                                                                          \
            lo = A;                                                                            \
            hi = B;                                                                            \
            asm volatile(PRE INSN " %[lo], %[hi], %[c], %[d]" POST                             \
                         : [lo] "+&r"(lo), [hi] "+&r"(hi), [p] "=&r"(p)                        \
                         : [c] "r"(C), [d] "r"(D), [z] "r"(0) : "cc");                         \
            emit(#NAME, 0, 0, A, B, C, D, lo, hi, p);                                          \
        }                                                                                      \
    }

/* RdLo, RdHi, A, B: 64-bit product, no accumulator */
#define OP64(NAME, INSN)                                                                       \
    static void t_##NAME(void) {                                                               \
        for (int k = 0; k < NT; k++) {                                                         \
            uint32_t lo, hi, p;                                                                \
            tuple(k);                                                                          \
            asm volatile(PRE INSN " %[lo], %[hi], %[a], %[b]" POST                             \
                         : [lo] "=&r"(lo), [hi] "=&r"(hi), [p] "=&r"(p)                        \
                         : [a] "r"(A), [b] "r"(B), [z] "r"(0) : "cc");                         \
            emit(#NAME, 0, 0, A, B, 0, 0, lo, hi, p);                                          \
        }                                                                                      \
    }

/* Parallel add/subtract: 6 prefixes x 6 operations */
#define PAR(P)                                                                                 \
    OP2(P##ADD16, #P "add16") OP2(P##ASX, #P "asx") OP2(P##SAX, #P "sax")                      \
    OP2(P##SUB16, #P "sub16") OP2(P##ADD8, #P "add8") OP2(P##SUB8, #P "sub8")
PAR(S) PAR(Q) PAR(SH) PAR(U) PAR(UQ) PAR(UH)

OP2(QADD, "qadd") OP2(QSUB, "qsub") OP2(QDADD, "qdadd") OP2(QDSUB, "qdsub")
OP2(USAD8, "usad8") OP3(USADA8, "usada8")
OP1(REV, "rev") OP1(REV16, "rev16") OP1(REVSH, "revsh") OP1(RBIT, "rbit") OP1(CLZ, "clz")

OP3(SMLABB, "smlabb") OP3(SMLABT, "smlabt") OP3(SMLATB, "smlatb") OP3(SMLATT, "smlatt")
OP2(SMULBB, "smulbb") OP2(SMULBT, "smulbt") OP2(SMULTB, "smultb") OP2(SMULTT, "smultt")
OP3(SMLAWB, "smlawb") OP3(SMLAWT, "smlawt") OP2(SMULWB, "smulwb") OP2(SMULWT, "smulwt")
OP3(SMLAD, "smlad") OP3(SMLADX, "smladx") OP3(SMLSD, "smlsd") OP3(SMLSDX, "smlsdx")
OP2(SMUAD, "smuad") OP2(SMUADX, "smuadx") OP2(SMUSD, "smusd") OP2(SMUSDX, "smusdx")
OP64ACC(SMLALD, "smlald") OP64ACC(SMLALDX, "smlaldx") OP64ACC(SMLSLD, "smlsld") OP64ACC(SMLSLDX, "smlsldx")
OP64ACC(SMLALBB, "smlalbb") OP64ACC(SMLALBT, "smlalbt") OP64ACC(SMLALTB, "smlaltb") OP64ACC(SMLALTT, "smlaltt")
OP2(SMMUL, "smmul") OP2(SMMULR, "smmulr") OP3(SMMLA, "smmla") OP3(SMMLAR, "smmlar")
OP3(SMMLS, "smmls") OP3(SMMLSR, "smmlsr")
OP64ACC(UMAAL, "umaal") OP64(SMULL, "smull") OP64(UMULL, "umull")
OP64ACC(SMLAL, "smlal") OP64ACC(UMLAL, "umlal") OP3(MLA, "mla") OP3(MLS, "mls")

/* SEL: GE[3:0] = k mod 16 is the input */
static void t_SEL(void) {
    for (int k = 0; k < NT; k++) {
        uint32_t r, p, ge = (uint32_t) k & 15;
        tuple(k);
        asm volatile(PRE "sel %[r], %[a], %[b]" POST
                     : [r] "=&r"(r), [p] "=&r"(p) : [a] "r"(A), [b] "r"(B), [z] "r"(ge << 16) : "cc");
        emit("SEL", ge, 0, A, B, 0, 0, r, 0, p);
    }
}

/* Immediate forms: one block per constant, over every 9th tuple (19 tuples). */
#define IMM_STRIDE 9

/* Rd, #SAT, A, SHIFT #SH */
#define SAT(NAME, INSN, SHIFT, S, SH)                                                          \
    for (int k = 0; k < NT; k += IMM_STRIDE) {                                                 \
        uint32_t r, p;                                                                         \
        tuple(k);                                                                              \
        asm volatile(PRE INSN " %[r], %[s], %[a], " SHIFT " %[sh]" POST                        \
                     : [r] "=&r"(r), [p] "=&r"(p)                                              \
                     : [a] "r"(A), [z] "r"(0), [s] "i"(S), [sh] "i"(SH) : "cc");               \
        emit(NAME, S, SH, A, 0, 0, 0, r, 0, p);                                                \
    }

/* Rd, #SAT, A (16-bit forms) */
#define SAT16(NAME, INSN, S)                                                                   \
    for (int k = 0; k < NT; k += IMM_STRIDE) {                                                 \
        uint32_t r, p;                                                                         \
        tuple(k);                                                                              \
        asm volatile(PRE INSN " %[r], %[s], %[a]" POST                                         \
                     : [r] "=&r"(r), [p] "=&r"(p) : [a] "r"(A), [z] "r"(0), [s] "i"(S) : "cc"); \
        emit(NAME, S, 0, A, 0, 0, 0, r, 0, p);                                                 \
    }

/* Rd, A, B, SHIFT #SH (PKH) */
#define PKH(NAME, INSN, SHIFT, SH)                                                             \
    for (int k = 0; k < NT; k += IMM_STRIDE) {                                                 \
        uint32_t r, p;                                                                         \
        tuple(k);                                                                              \
        asm volatile(PRE INSN " %[r], %[a], %[b], " SHIFT " %[sh]" POST                        \
                     : [r] "=&r"(r), [p] "=&r"(p)                                              \
                     : [a] "r"(A), [b] "r"(B), [z] "r"(0), [sh] "i"(SH) : "cc");               \
        emit(NAME, 0, SH, A, B, 0, 0, r, 0, p);                                                \
    }

/* Rd, A, ROR #ROT and Rd, A, B, ROR #ROT */
#define XT1(NAME, INSN, ROT)                                                                   \
    for (int k = 0; k < NT; k += IMM_STRIDE) {                                                 \
        uint32_t r, p;                                                                         \
        tuple(k);                                                                              \
        asm volatile(PRE INSN " %[r], %[a], ror %[rot]" POST                                   \
                     : [r] "=&r"(r), [p] "=&r"(p) : [a] "r"(A), [z] "r"(0), [rot] "i"(ROT) : "cc"); \
        emit(NAME, 0, ROT, A, 0, 0, 0, r, 0, p);                                               \
    }
#define XT2(NAME, INSN, ROT)                                                                   \
    for (int k = 0; k < NT; k += IMM_STRIDE) {                                                 \
        uint32_t r, p;                                                                         \
        tuple(k);                                                                              \
        asm volatile(PRE INSN " %[r], %[a], %[b], ror %[rot]" POST                             \
                     : [r] "=&r"(r), [p] "=&r"(p)                                              \
                     : [a] "r"(A), [b] "r"(B), [z] "r"(0), [rot] "i"(ROT) : "cc");             \
        emit(NAME, 0, ROT, A, B, 0, 0, r, 0, p);                                               \
    }
#define ROTS(X, NAME, INSN) X(NAME, INSN, 0) X(NAME, INSN, 8) X(NAME, INSN, 16) X(NAME, INSN, 24)

/* Every saturation width, each with LSL #0, one other LSL and two ASR amounts that vary with the width. */
#define SSAT_ALL(S)                                                                            \
    SAT("SSAT_LSL", "ssat", "lsl", S, 0)                                                       \
    SAT("SSAT_LSL", "ssat", "lsl", S, (S * 5 + 1) % 32)                                        \
    SAT("SSAT_ASR", "ssat", "asr", S, (S * 7) % 31 + 1)                                        \
    SAT("SSAT_ASR", "ssat", "asr", S, 31 - S % 3)
#define USAT_ALL(S)                                                                            \
    SAT("USAT_LSL", "usat", "lsl", S, 0)                                                       \
    SAT("USAT_LSL", "usat", "lsl", S, (S * 5 + 1) % 32)                                        \
    SAT("USAT_ASR", "usat", "asr", S, (S * 7) % 31 + 1)                                        \
    SAT("USAT_ASR", "usat", "asr", S, 31 - S % 3)
#define SAT16_ALL(S) SAT16("SSAT16", "ssat16", S + 1) SAT16("USAT16", "usat16", S)
#define EACH16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define EACH32_FROM1(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(32)
#define EACH32_FROM0(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)

static void t_SSAT(void) { EACH32_FROM1(SSAT_ALL) }
static void t_USAT(void) { EACH32_FROM0(USAT_ALL) }
static void t_SAT16(void) { EACH16(SAT16_ALL) }

static void t_PKH(void) {
    PKH("PKHBT", "pkhbt", "lsl", 0) PKH("PKHBT", "pkhbt", "lsl", 1) PKH("PKHBT", "pkhbt", "lsl", 8)
    PKH("PKHBT", "pkhbt", "lsl", 15) PKH("PKHBT", "pkhbt", "lsl", 16) PKH("PKHBT", "pkhbt", "lsl", 31)
    PKH("PKHTB", "pkhtb", "asr", 1) PKH("PKHTB", "pkhtb", "asr", 8) PKH("PKHTB", "pkhtb", "asr", 15)
    PKH("PKHTB", "pkhtb", "asr", 16) PKH("PKHTB", "pkhtb", "asr", 31) PKH("PKHTB", "pkhtb", "asr", 32)
}

static void t_XT(void) {
    ROTS(XT1, "SXTB16", "sxtb16") ROTS(XT1, "UXTB16", "uxtb16")
    ROTS(XT1, "SXTB", "sxtb") ROTS(XT1, "SXTH", "sxth") ROTS(XT1, "UXTB", "uxtb") ROTS(XT1, "UXTH", "uxth")
    ROTS(XT2, "SXTAB16", "sxtab16") ROTS(XT2, "UXTAB16", "uxtab16")
    ROTS(XT2, "SXTAB", "sxtab") ROTS(XT2, "SXTAH", "sxtah") ROTS(XT2, "UXTAB", "uxtab") ROTS(XT2, "UXTAH", "uxtah")
}

/* ---------------------------------------------------------------- main */

#define RUN_PAR(P) t_##P##ADD16(); t_##P##ASX(); t_##P##SAX(); t_##P##SUB16(); t_##P##ADD8(); t_##P##SUB8();

void reset(void) {
    rng = 0x2545f491u;
    outLen = 0;
    lines = 0;
    RUN_PAR(S) RUN_PAR(Q) RUN_PAR(SH) RUN_PAR(U) RUN_PAR(UQ) RUN_PAR(UH)
    t_QADD(); t_QSUB(); t_QDADD(); t_QDSUB();
    t_SSAT(); t_USAT(); t_SAT16();
    t_SEL(); t_USAD8(); t_USADA8();
    t_PKH(); t_XT();
    t_REV(); t_REV16(); t_REVSH(); t_RBIT(); t_CLZ();
    t_SMLABB(); t_SMLABT(); t_SMLATB(); t_SMLATT();
    t_SMULBB(); t_SMULBT(); t_SMULTB(); t_SMULTT();
    t_SMLAWB(); t_SMLAWT(); t_SMULWB(); t_SMULWT();
    t_SMLAD(); t_SMLADX(); t_SMLSD(); t_SMLSDX();
    t_SMUAD(); t_SMUADX(); t_SMUSD(); t_SMUSDX();
    t_SMLALD(); t_SMLALDX(); t_SMLSLD(); t_SMLSLDX();
    t_SMLALBB(); t_SMLALBT(); t_SMLALTB(); t_SMLALTT();
    t_SMMUL(); t_SMMULR(); t_SMMLA(); t_SMMLAR(); t_SMMLS(); t_SMMLSR();
    t_UMAAL(); t_SMULL(); t_UMULL(); t_SMLAL(); t_UMLAL(); t_MLA(); t_MLS();
    putStr("END "); putDec((uint32_t) lines); out[outLen++] = '\n';
    flush();
    semihost(0x18, (void *) 0x20026); /* ADP_Stopped_ApplicationExit */
    for (;;) {
    }
}
