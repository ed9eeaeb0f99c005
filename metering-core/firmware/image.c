/* The image self-check: the CRC-32 of every loaded byte before the .image_crc word (link.ld, build.sh). */
#include "crc.h"
#include "image.h"

/* The image's CRC-32, patched in after linking (build.sh); the image is everything before it. */
__attribute__((section(".image_crc"), used)) const uint32_t image_crc_stored = 0xFFFFFFFFu;
extern const uint8_t _image_start[];

uint32_t image_crc_computed;
uint8_t image_crc_good;

void image_check(void)
{
    image_crc_computed = crc32(_image_start, (uint32_t)((const uint8_t *)&image_crc_stored - _image_start));
    /* read the word from flash: the compiler would otherwise use its initial value */
    image_crc_good = image_crc_computed == *(const volatile uint32_t *)&image_crc_stored;
}
