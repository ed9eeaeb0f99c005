/* docs/firmware-update.md "Worked example": the 672-byte image, built from the documented fields. */
#ifndef EXAMPLE_IMAGE_H
#define EXAMPLE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define EXAMPLE_IMAGE_SIZE (512 + 16 + 144)

void example_image(uint8_t image[EXAMPLE_IMAGE_SIZE]);
size_t unhex(uint8_t *out, const char *hex);

#endif
