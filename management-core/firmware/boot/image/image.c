/*
 * image_check(): the bootloader's verdict on an image, by the rules and in the order of
 * docs/firmware-update.md. The image is read through an image_source in small pieces, so the same code
 * checks the memory-mapped application slot and the NOR download slot.
 */
#include "image.h"

#include <string.h>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

static const char *const NAMES[] = {"valid", "bad-header", "wrong-load-address", "too-large", "bad-trailer",
                                    "wrong-key", "bad-hash", "bad-signature", "rollback", "read-error"};

const char *image_result_name(image_result r) { return (unsigned)r < sizeof NAMES / sizeof NAMES[0] ? NAMES[r] : "?"; }

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* a record's type and length at its place in the fixed trailer */
static int record_is(const uint8_t *trailer, unsigned at, uint16_t type, uint16_t length)
{
    return get16(trailer + at) == type && get16(trailer + at + 2) == length;
}

image_result image_check(const image_source *source, const uint8_t public_key[32], uint32_t installed_counter,
                         image_header *header)
{
    uint8_t chunk[256];
    if (source->size < IMAGE_HEADER_SIZE || source->read(source->context, 0, chunk, 32) != 0) {
        return source->size < IMAGE_HEADER_SIZE ? IMAGE_TOO_LARGE : IMAGE_READ_ERROR;
    }
    header->load_address = get32(chunk + 4);
    header->body_size = get32(chunk + 12);
    header->major = chunk[20];
    header->minor = chunk[21];
    header->revision = get16(chunk + 22);
    header->build = get32(chunk + 24);
    header->security_counter = get32(chunk + 28);
    if (get32(chunk) != IMAGE_MAGIC || get16(chunk + 8) != IMAGE_HEADER_SIZE || get16(chunk + 10) != 0
        || get32(chunk + 16) != 0) {
        return IMAGE_BAD_HEADER;
    }
    /* the padding, bytes 32-511, must be zero: the header has one encoding */
    for (uint32_t at = 32; at < IMAGE_HEADER_SIZE; at += sizeof chunk) {
        uint32_t n = IMAGE_HEADER_SIZE - at < sizeof chunk ? IMAGE_HEADER_SIZE - at : sizeof chunk;
        if (source->read(source->context, at, chunk, n) != 0) {
            return IMAGE_READ_ERROR;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (chunk[i] != 0) {
                return IMAGE_BAD_HEADER;
            }
        }
    }
    if (header->load_address != IMAGE_SLOT_ADDRESS) {
        return IMAGE_WRONG_LOAD_ADDRESS;
    }
    /* sizes compared in 64 bits: body_size comes from the image and may be anything */
    uint64_t total = (uint64_t)IMAGE_HEADER_SIZE + header->body_size + IMAGE_TRAILER_SIZE;
    if (header->body_size == 0 || total > IMAGE_SLOT_SIZE || total > source->size) {
        return IMAGE_TOO_LARGE;
    }
    uint32_t hashed = IMAGE_HEADER_SIZE + header->body_size;
    uint8_t trailer[IMAGE_TRAILER_SIZE];
    if (source->read(source->context, hashed, trailer, sizeof trailer) != 0) {
        return IMAGE_READ_ERROR;
    }
    if (get16(trailer) != IMAGE_TLV_INFO_MAGIC || get16(trailer + 2) != IMAGE_TRAILER_SIZE
        || !record_is(trailer, 4, IMAGE_TLV_KEYHASH, 32) || !record_is(trailer, 40, IMAGE_TLV_SHA256, 32)
        || !record_is(trailer, 76, IMAGE_TLV_ED25519, 64)) {
        return IMAGE_BAD_TRAILER;
    }
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256(public_key, 32, digest);
    if (memcmp(trailer + 8, digest, sizeof digest) != 0) {
        return IMAGE_WRONG_KEY;
    }
    sha256_ctx h;
    sha256_init(&h);
    for (uint32_t at = 0; at < hashed; at += sizeof chunk) {
        uint32_t n = hashed - at < sizeof chunk ? hashed - at : sizeof chunk;
        if (source->read(source->context, at, chunk, n) != 0) {
            return IMAGE_READ_ERROR;
        }
        sha256_update(&h, chunk, n);
    }
    sha256_final(&h, digest);
    if (memcmp(trailer + 44, digest, sizeof digest) != 0) {
        return IMAGE_BAD_HASH;
    }
    if (ed25519_verify(trailer + 80, digest, sizeof digest, public_key) != ED25519_VALID) {
        return IMAGE_BAD_SIGNATURE;
    }
    /* last: an unauthentic image's counter means nothing */
    if (header->security_counter < installed_counter) {
        return IMAGE_ROLLBACK;
    }
    return IMAGE_VALID;
}
