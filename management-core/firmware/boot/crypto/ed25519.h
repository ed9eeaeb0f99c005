/* Ed25519 signature verification (RFC 8032 5.1.7), for the bootloader's image check. */
#ifndef ED25519_H
#define ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBLIC_KEY_SIZE 32
#define ED25519_SIGNATURE_SIZE 64

/* Why a signature is refused, in the order the checks are made. */
typedef enum {
    ED25519_VALID = 0,
    ED25519_S_OUT_OF_RANGE = 1, /* S >= L: refused before any arithmetic, so S cannot be malleated */
    ED25519_BAD_PUBLIC_KEY = 2, /* A does not decode to a curve point (5.1.3) */
    ED25519_BAD_R = 3,          /* R does not decode */
    ED25519_MISMATCH = 4,       /* [8][S]B != [8]R + [8][k]A */
} ed25519_result;

ed25519_result ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_SIZE], const void *message, size_t size,
                              const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE]);

#endif
