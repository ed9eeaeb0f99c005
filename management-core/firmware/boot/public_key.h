/* The Ed25519 public key images must be signed for: generated at build time from the key file build.sh is
   given (BOOT_PUBLIC_KEY; keys/test-ed25519.pub, RFC 8032 TEST 1's key, unless told otherwise). */
#ifndef PUBLIC_KEY_H
#define PUBLIC_KEY_H

#include <stdint.h>

extern const uint8_t BOOT_PUBLIC_KEY[32];

#endif
