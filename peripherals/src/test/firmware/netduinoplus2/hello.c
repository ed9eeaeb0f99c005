/* GOLDEN: qemu */
/*
 * The smallest netduinoplus2 program: boots from the flash alias at 0, prints through semihosting,
 * reads the SRAM back and exits with a status. Proves the board's memory map and the harness.
 */
#include "stm32f405.h"

static volatile uint32_t pattern[64];

int main(void)
{
    uint32_t sum = 0;
    for (int i = 0; i < 64; i++) {
        pattern[i] = 0x9E3779B9u * (uint32_t)i;
    }
    for (int i = 0; i < 64; i++) {
        sum ^= pattern[i];
    }
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    printf("hello from netduinoplus2: sum=%08lx stack in SRAM: %s\n", (unsigned long)sum,
           (sp >= 0x20000000u && sp < 0x20020000u) ? "yes" : "no");
    return 3;
}
