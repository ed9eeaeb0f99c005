/*
 * The bootloader's SHA-256, SHA-512 and Ed25519 verification against published test vectors: FIPS 180-4's
 * examples (NIST CSRC "Cryptographic Standards and Guidelines: Examples with Intermediate Values", and the
 * CAVP one-million-'a' message), and RFC 8032 7.1 tests 1, 2, 3, 1024 and SHA(abc), each also with one bit
 * flipped in the message, R, S and the public key, with S + L in place of S (S >= L), and with a public
 * key whose y is not below p. Last, the worked example of docs/firmware-update.md: its header built from
 * the documented fields, its trailer's hash and signature checked. Prints one line per case; exits with
 * the number of cases that failed.
 */
#include <string.h>

#include "console.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "vectors.h"

static int failures;

static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        uint8_t b = 0;
        for (int i = 0; i < 2; i++) {
            char c = hex[i];
            b = (uint8_t)(b << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10));
        }
        out[n++] = b;
    }
    return n;
}

static void verdict(int ok)
{
    console_write(ok ? " ok\n" : " FAIL\n");
    failures += !ok;
}

/* --- hashes --- */

static const char ABC448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char ABC896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

typedef struct {
    const char *name;
    const char *message; /* NULL: one million 'a' */
    const char *sha256;
    const char *sha512;
} hash_vector;

static const hash_vector HASHES[] = {
    {"abc", "abc", SHA256_ABC, SHA512_ABC},
    {"empty", "", SHA256_EMPTY, SHA512_EMPTY},
    {"448-bit", ABC448, SHA256_448, SHA512_448},
    {"896-bit", ABC896, SHA256_896, SHA512_896},
    {"million-a", NULL, SHA256_MILLION_A, SHA512_MILLION_A},
};

static void hash_case(const hash_vector *v, int wide)
{
    uint8_t digest[SHA512_DIGEST_SIZE], expected[SHA512_DIGEST_SIZE];
    size_t size = wide ? SHA512_DIGEST_SIZE : SHA256_DIGEST_SIZE;
    static const uint8_t thousand_a[1000] = {[0 ... 999] = 'a'};
    if (wide) {
        sha512_ctx c;
        sha512_init(&c);
        if (v->message) {
            sha512_update(&c, v->message, strlen(v->message));
        } else {
            for (int i = 0; i < 1000; i++) {
                sha512_update(&c, thousand_a, sizeof thousand_a);
            }
        }
        sha512_final(&c, digest);
    } else {
        sha256_ctx c;
        sha256_init(&c);
        if (v->message) {
            sha256_update(&c, v->message, strlen(v->message));
        } else {
            for (int i = 0; i < 1000; i++) {
                sha256_update(&c, thousand_a, sizeof thousand_a);
            }
        }
        sha256_final(&c, digest);
    }
    unhex(expected, wide ? v->sha512 : v->sha256);
    console_write(wide ? "sha512 " : "sha256 ");
    console_write(v->name);
    console_write(" ");
    console_hex(digest, size);
    verdict(memcmp(digest, expected, size) == 0);
}

/* --- Ed25519 --- */

typedef struct {
    const char *name, *public_key, *message, *signature;
} signature_vector;

static const signature_vector SIGNATURES[] = {
    {"test1", ED_TEST1_PUBLIC, ED_TEST1_MESSAGE, ED_TEST1_SIGNATURE},
    {"test2", ED_TEST2_PUBLIC, ED_TEST2_MESSAGE, ED_TEST2_SIGNATURE},
    {"test3", ED_TEST3_PUBLIC, ED_TEST3_MESSAGE, ED_TEST3_SIGNATURE},
    {"test1024", ED_TEST1024_PUBLIC, ED_TEST1024_MESSAGE, ED_TEST1024_SIGNATURE},
    {"sha-abc", ED_SHA_ABC_PUBLIC, ED_SHA_ABC_MESSAGE, ED_SHA_ABC_SIGNATURE},
};

static const char *const RESULT_NAMES[] = {"valid", "s-out-of-range", "bad-public-key", "bad-r", "mismatch"};

static void signature_case(const char *vector, const char *mutation, const uint8_t *sig, const uint8_t *msg,
                           size_t size, const uint8_t *key, ed25519_result expected)
{
    ed25519_result r = ed25519_verify(sig, msg, size, key);
    console_write("ed25519 ");
    console_write(vector);
    console_write(" ");
    console_write(mutation);
    console_write(" ");
    console_write(RESULT_NAMES[r]);
    verdict(r == expected);
}

/* S + L, little-endian (S < L < 2^253, so no carry out of 256 bits) */
static void add_l(uint8_t s[32])
{
    static const uint8_t L_BYTES[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                        0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        carry += (unsigned)s[i] + L_BYTES[i];
        s[i] = (uint8_t)carry;
        carry >>= 8;
    }
}

static void signature_vector_cases(const signature_vector *v)
{
    static uint8_t msg[1100];
    uint8_t key[32], sig[64], k2[32], s2[64];
    unhex(key, v->public_key);
    unhex(sig, v->signature);
    size_t size = unhex(msg, v->message);

    signature_case(v->name, "as-published", sig, msg, size, key, ED25519_VALID);
    if (size > 0) {
        msg[size / 2] ^= 0x01;
        signature_case(v->name, "message-bit", sig, msg, size, key, ED25519_MISMATCH);
        msg[size / 2] ^= 0x01;
    } else { /* no bit to flip in an empty message: one byte more */
        msg[0] = 0;
        signature_case(v->name, "message-byte-added", sig, msg, 1, key, ED25519_MISMATCH);
    }
    memcpy(s2, sig, 64);
    s2[0] ^= 0x01; /* R: a flipped bit of y gives another point or none */
    ed25519_result r = ed25519_verify(s2, msg, size, key);
    signature_case(v->name, "r-bit", s2, msg, size, key, r == ED25519_BAD_R ? ED25519_BAD_R : ED25519_MISMATCH);
    memcpy(s2, sig, 64);
    s2[32] ^= 0x01;
    signature_case(v->name, "s-bit", s2, msg, size, key, ED25519_MISMATCH);
    memcpy(s2, sig, 64);
    add_l(s2 + 32); /* the same group element, so only the range check refuses it */
    signature_case(v->name, "s-plus-l", s2, msg, size, key, ED25519_S_OUT_OF_RANGE);
    memcpy(k2, key, 32);
    k2[0] ^= 0x01;
    r = ed25519_verify(sig, msg, size, k2);
    signature_case(v->name, "key-bit", sig, msg, size, k2,
                   r == ED25519_BAD_PUBLIC_KEY ? ED25519_BAD_PUBLIC_KEY : ED25519_MISMATCH);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* docs/firmware-update.md "Worked example": header fields as the tables give them, body 00..0f */
static void image_example(void)
{
    static uint8_t image[512 + 16 + 144];
    memset(image, 0, sizeof image);
    put32(image + 0, 0x5746544Du);  /* magic "MTFW" */
    put32(image + 4, 0x08020000u);  /* load_addr: the application slot */
    put32(image + 8, 0x0200u);      /* hdr_size 512, protect_tlv_size 0 */
    put32(image + 12, 16);          /* img_size */
    put32(image + 16, 0);           /* flags */
    image[20] = 1;                  /* version 1.2.3+4 */
    image[21] = 2;
    image[22] = 3;
    put32(image + 24, 4);
    put32(image + 28, 5);           /* security_counter */
    for (int i = 0; i < 16; i++) {
        image[512 + i] = (uint8_t)i;
    }
    uint8_t *trailer = image + 512 + 16;
    unhex(trailer, IMAGE_EXAMPLE_TRAILER);
    uint8_t key[32], key_hash[32], digest[32];
    unhex(key, ED_TEST1_PUBLIC);
    sha256(key, sizeof key, key_hash);
    sha256(image, 512 + 16, digest);
    int layout = trailer[0] == 0x07 && trailer[1] == 0x69 && trailer[2] == 144 && trailer[3] == 0
                 && trailer[4] == 0x01 && trailer[6] == 32 && trailer[40] == 0x10 && trailer[42] == 32
                 && trailer[76] == 0x24 && trailer[78] == 64;
    console_write("image-example trailer");
    verdict(layout);
    console_write("image-example keyhash");
    verdict(memcmp(trailer + 8, key_hash, 32) == 0);
    console_write("image-example sha256 ");
    console_hex(digest, 32);
    verdict(memcmp(trailer + 44, digest, 32) == 0);
    signature_case("image-example", "signature", trailer + 80, digest, 32, key, ED25519_VALID);
    image[28] = 6; /* a higher security counter, same trailer: the hash no longer matches */
    sha256(image, 512 + 16, digest);
    console_write("image-example counter-changed");
    verdict(memcmp(trailer + 44, digest, 32) != 0);
}

int main(void)
{
    console_write("management crypto vectors\n");
    for (size_t i = 0; i < sizeof HASHES / sizeof HASHES[0]; i++) {
        hash_case(&HASHES[i], 0);
    }
    for (size_t i = 0; i < sizeof HASHES / sizeof HASHES[0]; i++) {
        hash_case(&HASHES[i], 1);
    }
    for (size_t i = 0; i < sizeof SIGNATURES / sizeof SIGNATURES[0]; i++) {
        signature_vector_cases(&SIGNATURES[i]);
    }
    /* a public key whose y is p itself (not below p, 5.1.3 step 1): refused however the rest decodes */
    uint8_t key[32], sig[64];
    static const uint8_t msg[1] = {0};
    unhex(key, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    unhex(sig, ED_TEST1_SIGNATURE);
    signature_case("y-equals-p", "public-key", sig, msg, 0, key, ED25519_BAD_PUBLIC_KEY);
    image_example();
    console_write("failures ");
    console_unsigned((uint32_t)failures);
    console_write("\n");
    finish(failures);
}
