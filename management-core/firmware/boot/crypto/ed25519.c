/*
 * Ed25519 verification written from RFC 8032: the curve of 5.1 (p = 2^255 - 19, d = -121665/121666, B with
 * y = 4/5 and x even, L = 2^252 + 27742317777372353535851937790883648493), point decoding of 5.1.3, the
 * extended-coordinate addition and doubling formulas of 5.1.4 and the verification steps of 5.1.7 with
 * the cofactored group equation. Every constant but p and L is derived from its definition at first use.
 * Not constant-time: verification handles only public data.
 *
 * Field elements are eight 32-bit words, little-endian, holding any value below 2^256 that is congruent to
 * the element mod p (2^256 = 38 mod p folds carries back); canonical form (< p) only for comparisons.
 */
#include "ed25519.h"

#include <string.h>

#include "sha512.h"

typedef struct {
    uint32_t v[8];
} fe;

/* extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z */
typedef struct {
    fe X, Y, Z, T;
} point;

static const uint32_t P[8] = {0xFFFFFFED, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                              0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x7FFFFFFF};
/* L = 2^252 + 27742317777372353535851937790883648493 */
static const uint32_t L[8] = {0x5CF5D3ED, 0x5812631A, 0xA2F79CD6, 0x14DEF9DE,
                              0x00000000, 0x00000000, 0x00000000, 0x10000000};

/* --- 256-bit unsigned integers, as eight little-endian words --- */

/* a >= b */
static int big_ge(const uint32_t a[8], const uint32_t b[8])
{
    for (int i = 7; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] > b[i];
        }
    }
    return 1;
}

/* r = a - b mod 2^256; returns the borrow out */
static uint32_t big_sub(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t t = (uint64_t)a[i] - b[i] - borrow;
        r[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }
    return borrow;
}

static void big_from_bytes(uint32_t r[8], const uint8_t b[32])
{
    for (int i = 0; i < 8; i++) {
        r[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16
               | (uint32_t)b[4 * i + 3] << 24;
    }
}

static int bit(const uint32_t a[8], int i) { return (int)(a[i / 32] >> (i % 32)) & 1; }

/* --- the field GF(p) --- */

/* r += carry * 2^256, that is carry * 38 mod p, until nothing is carried out */
static void fe_fold(fe *r, uint32_t carry)
{
    while (carry != 0) {
        uint64_t c = (uint64_t)carry * 38;
        for (int i = 0; i < 8; i++) {
            c += r->v[i];
            r->v[i] = (uint32_t)c;
            c >>= 32;
        }
        carry = (uint32_t)c;
    }
}

static void fe_add(fe *r, const fe *a, const fe *b)
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->v[i] + b->v[i];
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    fe_fold(r, (uint32_t)c);
}

static void fe_sub(fe *r, const fe *a, const fe *b)
{
    uint32_t borrow = big_sub(r->v, a->v, b->v);
    /* a borrow left r = a - b + 2^256, which is 38 too much mod p; subtracting 38 may borrow once more */
    while (borrow != 0) {
        uint64_t t = (uint64_t)r->v[0] - 38;
        r->v[0] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
        for (int i = 1; i < 8 && borrow; i++) {
            t = (uint64_t)r->v[i] - 1;
            r->v[i] = (uint32_t)t;
            borrow = (uint32_t)(t >> 63);
        }
    }
}

static void fe_mul(fe *r, const fe *a, const fe *b)
{
    uint32_t t[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint32_t carry = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t x = (uint64_t)a->v[i] * b->v[j] + t[i + j] + carry; /* at most 2^64 - 1 */
            t[i + j] = (uint32_t)x;
            carry = (uint32_t)(x >> 32);
        }
        t[i + 8] = carry;
    }
    /* t = lo + 2^256 hi = lo + 38 hi mod p */
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)t[i + 8] * 38 + t[i];
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    fe_fold(r, (uint32_t)c);
}

static void fe_sq(fe *r, const fe *a) { fe_mul(r, a, a); }

static void fe_set(fe *r, uint32_t small)
{
    memset(r, 0, sizeof *r);
    r->v[0] = small;
}

/* the representative below p: a value below 2^256 is below 3p, so at most two subtractions */
static void fe_canonical(fe *r, const fe *a)
{
    *r = *a;
    for (int k = 0; k < 2; k++) {
        if (big_ge(r->v, P)) {
            big_sub(r->v, r->v, P);
        }
    }
}

static int fe_equal(const fe *a, const fe *b)
{
    fe x, y;
    fe_canonical(&x, a);
    fe_canonical(&y, b);
    return memcmp(x.v, y.v, sizeof x.v) == 0;
}

static int fe_is_zero(const fe *a)
{
    fe zero;
    fe_set(&zero, 0);
    return fe_equal(a, &zero);
}

/* the "sign" of 5.1.2: the least significant bit of the canonical value */
static int fe_is_negative(const fe *a)
{
    fe x;
    fe_canonical(&x, a);
    return (int)(x.v[0] & 1);
}

static void fe_negate(fe *r, const fe *a)
{
    fe zero;
    fe_set(&zero, 0);
    fe_sub(r, &zero, a);
}

/* r = a^e, square and multiply from the top bit */
static void fe_pow(fe *r, const fe *a, const uint32_t e[8])
{
    fe x;
    fe_set(&x, 1);
    for (int i = 255; i >= 0; i--) {
        fe_sq(&x, &x);
        if (bit(e, i)) {
            fe_mul(&x, &x, a);
        }
    }
    *r = x;
}

/* e = (p - sub) >> shift, the exponents of inversion and square roots */
static void p_exponent(uint32_t e[8], uint32_t sub, int shift)
{
    uint32_t s[8] = {sub};
    big_sub(e, P, s);
    for (int i = 0; shift > 0 && i < 8; i++) {
        e[i] = (e[i] >> shift) | (i < 7 ? e[i + 1] << (32 - shift) : 0);
    }
}

/* --- the curve constants, derived once --- */

static struct {
    int ready;
    fe d, d2, sqrt_m1; /* d, 2d, and 2^((p-1)/4), a square root of -1 */
    uint32_t exp_inverse[8], exp_root[8], exp_sqrt_m1[8];
    point base;
} curve;

static void fe_invert(fe *r, const fe *a) { fe_pow(r, a, curve.exp_inverse); } /* Fermat: a^(p-2) */

static int recover_x(fe *x, const fe *y, int sign);

static void curve_init(void)
{
    if (curve.ready) {
        return;
    }
    p_exponent(curve.exp_inverse, 2, 0);     /* p - 2 */
    p_exponent(curve.exp_root, 5, 3);        /* (p - 5) / 8 */
    p_exponent(curve.exp_sqrt_m1, 1, 2);     /* (p - 1) / 4 */
    fe a, b;
    fe_set(&a, 121665);
    fe_negate(&a, &a);
    fe_set(&b, 121666);
    fe_invert(&b, &b);
    fe_mul(&curve.d, &a, &b);
    fe_add(&curve.d2, &curve.d, &curve.d);
    fe_set(&a, 2);
    fe_pow(&curve.sqrt_m1, &a, curve.exp_sqrt_m1);
    /* B: y = 4/5, x the even root */
    fe_set(&a, 4);
    fe_set(&b, 5);
    fe_invert(&b, &b);
    fe_mul(&curve.base.Y, &a, &b);
    recover_x(&curve.base.X, &curve.base.Y, 0);
    fe_set(&curve.base.Z, 1);
    fe_mul(&curve.base.T, &curve.base.X, &curve.base.Y);
    curve.ready = 1;
}

/* 5.1.3 steps 2-4: x from y and the sign bit; 0 when there is no such point */
static int recover_x(fe *x, const fe *y, int sign)
{
    fe one, u, v, v3, v7, t, vx2, neg_u;
    fe_set(&one, 1);
    fe_sq(&t, y);
    fe_sub(&u, &t, &one);       /* u = y^2 - 1 */
    fe_mul(&v, &curve.d, &t);
    fe_add(&v, &v, &one);       /* v = d y^2 + 1 */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);       /* v^3 */
    fe_sq(&v7, &v3);
    fe_mul(&v7, &v7, &v);       /* v^7 */
    fe_mul(&t, &u, &v7);
    fe_pow(&t, &t, curve.exp_root);
    fe_mul(&t, &t, &v3);
    fe_mul(x, &t, &u);          /* x = u v^3 (u v^7)^((p-5)/8) */
    fe_sq(&t, x);
    fe_mul(&vx2, &v, &t);
    fe_negate(&neg_u, &u);
    if (fe_equal(&vx2, &neg_u)) {
        fe_mul(x, x, &curve.sqrt_m1);
    } else if (!fe_equal(&vx2, &u)) {
        return 0;               /* u/v is not a square */
    }
    if (fe_is_zero(x) && sign) {
        return 0;
    }
    if (fe_is_negative(x) != sign) {
        fe_negate(x, x);
    }
    return 1;
}

/* 5.1.3: a 32-byte encoding to a point; 0 when it is not one */
static int point_decode(point *r, const uint8_t encoding[32])
{
    uint8_t bytes[32];
    memcpy(bytes, encoding, 32);
    int sign = bytes[31] >> 7;
    bytes[31] &= 0x7F;
    big_from_bytes(r->Y.v, bytes);
    if (big_ge(r->Y.v, P)) {
        return 0;               /* y must be below p */
    }
    if (!recover_x(&r->X, &r->Y, sign)) {
        return 0;
    }
    fe_set(&r->Z, 1);
    fe_mul(&r->T, &r->X, &r->Y);
    return 1;
}

/* 5.1.4 addition */
static void point_add(point *r, const point *p, const point *q)
{
    fe a, b, c, d, e, f, g, h, t;
    fe_sub(&a, &p->Y, &p->X);
    fe_sub(&t, &q->Y, &q->X);
    fe_mul(&a, &a, &t);             /* A = (Y1-X1)*(Y2-X2) */
    fe_add(&b, &p->Y, &p->X);
    fe_add(&t, &q->Y, &q->X);
    fe_mul(&b, &b, &t);             /* B = (Y1+X1)*(Y2+X2) */
    fe_mul(&c, &p->T, &q->T);
    fe_mul(&c, &c, &curve.d2);      /* C = T1*2*d*T2 */
    fe_mul(&d, &p->Z, &q->Z);
    fe_add(&d, &d, &d);             /* D = Z1*2*Z2 */
    fe_sub(&e, &b, &a);
    fe_sub(&f, &d, &c);
    fe_add(&g, &d, &c);
    fe_add(&h, &b, &a);
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

/* 5.1.4 doubling */
static void point_double(point *r, const point *p)
{
    fe a, b, c, e, f, g, h, t;
    fe_sq(&a, &p->X);               /* A = X1^2 */
    fe_sq(&b, &p->Y);               /* B = Y1^2 */
    fe_sq(&c, &p->Z);
    fe_add(&c, &c, &c);             /* C = 2*Z1^2 */
    fe_add(&h, &a, &b);             /* H = A+B */
    fe_add(&t, &p->X, &p->Y);
    fe_sq(&t, &t);
    fe_sub(&e, &h, &t);             /* E = H-(X1+Y1)^2 */
    fe_sub(&g, &a, &b);             /* G = A-B */
    fe_add(&f, &c, &g);             /* F = C+G */
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

static void point_negate(point *r, const point *p)
{
    fe_negate(&r->X, &p->X);
    r->Y = p->Y;
    r->Z = p->Z;
    fe_negate(&r->T, &p->T);
}

static void point_identity(point *r)
{
    fe_set(&r->X, 0);
    fe_set(&r->Y, 1);
    fe_set(&r->Z, 1);
    fe_set(&r->T, 0);
}

/* the neutral element (0, 1): X = 0 and Y = Z */
static int point_is_identity(const point *p) { return fe_is_zero(&p->X) && fe_equal(&p->Y, &p->Z); }

/* r = [s]B + [k]Q, both scalars' bits at once (Straus): one doubling per bit */
static void double_scalar_mul(point *r, const uint32_t s[8], const uint32_t k[8], const point *q)
{
    point b_plus_q;
    point_add(&b_plus_q, &curve.base, q);
    point acc;
    point_identity(&acc);
    for (int i = 255; i >= 0; i--) {
        point_double(&acc, &acc);
        int bs = bit(s, i), bk = bit(k, i);
        if (bs && bk) {
            point_add(&acc, &acc, &b_plus_q);
        } else if (bs) {
            point_add(&acc, &acc, &curve.base);
        } else if (bk) {
            point_add(&acc, &acc, q);
        }
    }
    *r = acc;
}

/* r = the 64-byte little-endian number h mod L, by binary long division */
static void reduce_mod_l(uint32_t r[8], const uint8_t h[64])
{
    uint32_t rem[8] = {0};
    for (int i = 511; i >= 0; i--) {
        /* rem < L < 2^253, so 2 rem + 1 still fits in 256 bits */
        for (int w = 7; w > 0; w--) {
            rem[w] = rem[w] << 1 | rem[w - 1] >> 31;
        }
        rem[0] = rem[0] << 1 | ((h[i / 8] >> (i % 8)) & 1);
        if (big_ge(rem, L)) {
            big_sub(rem, rem, L);
        }
    }
    memcpy(r, rem, sizeof rem);
}

ed25519_result ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_SIZE], const void *message, size_t size,
                              const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE])
{
    curve_init();
    /* 5.1.7 step 1: S an integer 0 <= S < L, A and R points */
    uint32_t s[8];
    big_from_bytes(s, signature + 32);
    if (big_ge(s, L)) {
        return ED25519_S_OUT_OF_RANGE;
    }
    point a, r;
    if (!point_decode(&a, public_key)) {
        return ED25519_BAD_PUBLIC_KEY;
    }
    if (!point_decode(&r, signature)) {
        return ED25519_BAD_R;
    }
    /* step 2: k = SHA-512(R || A || M) mod L (Ed25519: dom2 is empty, PH is the identity) */
    sha512_ctx h;
    uint8_t digest[SHA512_DIGEST_SIZE];
    sha512_init(&h);
    sha512_update(&h, signature, 32);
    sha512_update(&h, public_key, 32);
    sha512_update(&h, message, size);
    sha512_final(&h, digest);
    uint32_t k[8];
    reduce_mod_l(k, digest);
    /* step 3: [8][S]B = [8]R + [8][k]A, checked as [8]([S]B + [k](-A) - R) = 0 */
    point neg_a, check, neg_r;
    point_negate(&neg_a, &a);
    double_scalar_mul(&check, s, k, &neg_a);
    point_negate(&neg_r, &r);
    point_add(&check, &check, &neg_r);
    for (int i = 0; i < 3; i++) {
        point_double(&check, &check);
    }
    return point_is_identity(&check) ? ED25519_VALID : ED25519_MISMATCH;
}
