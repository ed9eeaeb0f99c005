/* Bit-band aliases (ARMv7-M ARM B3.1.2): single-bit set,
 * clear and test through the SRAM alias, the effect on neighbouring bits and bytes, and which values of a
 * write count. */
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

static volatile uint32_t words[4] __attribute__((aligned(4)));

static volatile uint32_t *alias(volatile void *p, int bit) {
    uint32_t a = (uint32_t)p;
    return (volatile uint32_t *)(0x22000000u + (a - 0x20000000u) * 32u + (uint32_t)bit * 4u);
}

int main(void) {
    if ((uint32_t)words >= 0x20100000u) {
        printf("words not in the bit-band region\n");
        return 1;
    }
    for (int i = 0; i < 4; i++) words[i] = 0;
    *alias(&words[0], 0) = 1;
    *alias(&words[0], 31) = 1;
    *alias((volatile uint8_t *)&words[1] + 2, 5) = 1;
    printf("after sets:   %08lx %08lx\n", (unsigned long)words[0], (unsigned long)words[1]);
    *alias(&words[0], 0) = 0xFFFFFFFE; /* only bit 0 of the written value counts */
    printf("after clear:  %08lx\n", (unsigned long)words[0]);
    words[2] = 0xA5A55A5Au;
    uint32_t read_back = 0;
    for (int b = 0; b < 32; b++) read_back |= (*alias(&words[2], b) & 1u) << b;
    printf("read bits:    %08lx\n", (unsigned long)read_back);
    for (int b = 0; b < 32; b += 2) *alias(&words[3], b) = 1;
    printf("even bits:    %08lx\n", (unsigned long)words[3]);
    printf("alias reads:  %lu %lu\n", (unsigned long)*alias(&words[3], 0), (unsigned long)*alias(&words[3], 1));
    return 0;
}
