/* AIRCR.SYSRESETREQ: the program resets the system three times. A counter in PSRAM (not part of the
 * image, so a reset leaves it alone) tells the boots apart; .data and .bss start fresh on every boot
 * because the image is loaded again. */
#include <stdint.h>
#include <stdio.h>
#include "corpus.h"

#define BOOTS REG32(0x21000000)
static int initialised = 7;
static int zeroed;

int main(void) {
    uint32_t boot = BOOTS;
    printf("boot %lu: initialised=%d zeroed=%d VTOR=%08lx\n", (unsigned long)boot, initialised, zeroed,
           (unsigned long)SCB_VTOR);
    initialised++;
    zeroed++;
    if (boot < 3) {
        BOOTS = boot + 1;
        __asm volatile("dsb");
        SCB_AIRCR = 0x05FA0004u; /* VECTKEY | SYSRESETREQ */
        __asm volatile("dsb");
        for (;;) {
        }
    }
    printf("done after %lu resets\n", (unsigned long)boot);
    return 0;
}
