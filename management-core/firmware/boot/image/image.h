/*
 * The firmware image format of docs/firmware-update.md ("Image format"): a 512-byte header, the body, and
 * a 144-byte trailer of KEYHASH, SHA256 and ED25519 records. image_check() makes the checks of its table
 * "What the bootloader checks", in that order, and says which one refused the image.
 */
#ifndef IMAGE_H
#define IMAGE_H

#include <stdint.h>

#define IMAGE_MAGIC 0x5746544Du          /* "MTFW" */
#define IMAGE_HEADER_SIZE 0x200u
#define IMAGE_TRAILER_SIZE 144u
#define IMAGE_TLV_INFO_MAGIC 0x6907u
#define IMAGE_TLV_KEYHASH 0x0001u
#define IMAGE_TLV_SHA256 0x0010u
#define IMAGE_TLV_ED25519 0x0024u
#define IMAGE_SLOT_ADDRESS 0x08020000u    /* the application slot: internal flash sectors 5-11 */
#define IMAGE_SLOT_SIZE (7u * 128u * 1024u)

typedef enum {
    IMAGE_VALID = 0,
    IMAGE_BAD_HEADER,
    IMAGE_WRONG_LOAD_ADDRESS,
    IMAGE_TOO_LARGE,
    IMAGE_BAD_TRAILER,
    IMAGE_WRONG_KEY,
    IMAGE_BAD_HASH,
    IMAGE_BAD_SIGNATURE,
    IMAGE_ROLLBACK,
    IMAGE_READ_ERROR,
} image_result;

/* the reason's name in the event log (docs/firmware-update.md) */
const char *image_result_name(image_result r);

typedef struct {
    uint32_t load_address;
    uint32_t body_size;
    uint8_t major, minor;
    uint16_t revision;
    uint32_t build;
    uint32_t security_counter;
} image_header;

/* Where an image is read from: internal flash, or the NOR slots through SPI. read() returns 0 on success. */
typedef struct {
    int (*read)(void *context, uint32_t offset, uint8_t *out, uint32_t size);
    void *context;
    uint32_t size; /* bytes the slot holds */
} image_source;

image_result image_check(const image_source *source, const uint8_t public_key[32], uint32_t installed_counter,
                         image_header *header);

#endif
