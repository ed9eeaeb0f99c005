/* The worked example image of docs/firmware-update.md, and the hex decoding the test programs share. */
#include "example_image.h"

#include <string.h>

#include "vectors.h"

size_t unhex(uint8_t *out, const char *hex)
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

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* header fields as the document's tables give them, body 00..0f, the trailer as signed on the host */
void example_image(uint8_t image[EXAMPLE_IMAGE_SIZE])
{
    memset(image, 0, EXAMPLE_IMAGE_SIZE);
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
    unhex(image + 512 + 16, IMAGE_EXAMPLE_TRAILER);
}
