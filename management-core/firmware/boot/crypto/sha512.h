/* SHA-512 (FIPS 180-4 sections 5 and 6.4), the hash inside Ed25519 (RFC 8032 5.1). */
#ifndef SHA512_H
#define SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_SIZE 64
#define SHA512_BLOCK_SIZE 128

typedef struct {
    uint64_t h[8];
    uint64_t length;                  /* bytes hashed so far (the 128-bit length's high half stays 0) */
    uint8_t block[SHA512_BLOCK_SIZE];
    size_t used;
} sha512_ctx;

void sha512_init(sha512_ctx *ctx);
void sha512_update(sha512_ctx *ctx, const void *data, size_t size);
void sha512_final(sha512_ctx *ctx, uint8_t digest[SHA512_DIGEST_SIZE]);
void sha512(const void *data, size_t size, uint8_t digest[SHA512_DIGEST_SIZE]);

#endif
