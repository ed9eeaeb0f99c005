/* SHA-256 (FIPS 180-4 sections 5 and 6.2), for the bootloader's image hash. */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

typedef struct {
    uint32_t h[8];                    /* H(i), the intermediate hash value */
    uint64_t length;                  /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK_SIZE]; /* the message block being filled */
    size_t used;                      /* bytes in block */
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t size);
void sha256_final(sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t size, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
