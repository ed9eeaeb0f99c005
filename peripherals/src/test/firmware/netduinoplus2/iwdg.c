/* GOLDEN: rm0090 */
/*
 * Independent watchdog and reset flags. RCC_CSR (RM0090 6.3.21) holds why the chip reset: a power-on
 * reset sets PORRSTF, PINRSTF and BORRSTF (reset value 0x0E000000); every reset drives NRST, so an IWDG
 * reset sets IWDGRSTF and PINRSTF; RMVF clears them all. The first boot clears the flags, starts the
 * IWDG (RM0090 19.3: 0xCCCC starts, 0x5555 unlocks PR and RLR) with PR /4 and RLR 99, a time-out of
 * (99 + 1) * 4 / 32 kHz = 12.5 ms (RM0090 table 107), and spins without reloading. The second boot
 * prints the flags, clears them and ends. A boot counter in a .noinit variable survives the system reset
 * (SRAM keeps its contents; startup.c zeroes only .bss).
 */
#include "stm32f405.h"

#define RCC_CSR  REG(RCC_BASE, 0x74)
#define IWDG_KR  REG(IWDG_BASE, 0x00)
#define IWDG_PR  REG(IWDG_BASE, 0x04)
#define IWDG_RLR REG(IWDG_BASE, 0x08)
#define IWDG_SR  REG(IWDG_BASE, 0x0C)

#define CSR_RMVF (1u << 24)

static uint32_t boot_magic __attribute__((noinit));
static uint32_t boots __attribute__((noinit));

static void print_flags(const char *when)
{
    static const char *const names[] = {"BORRSTF", "PINRSTF", "PORRSTF", "SFTRSTF", "IWDGRSTF", "WWDGRSTF",
                                        "LPWRRSTF"};
    uint32_t csr = RCC_CSR;
    printf("%s: CSR=%08lx", when, (unsigned long)(csr & 0xFE000000u));
    for (int i = 0; i < 7; i++) {
        if (csr & (1u << (25 + i))) {
            printf(" %s", names[i]);
        }
    }
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (boot_magic != 0x1D6B007u) {
        boot_magic = 0x1D6B007u;
        boots = 0;
    }
    boots++;
    printf("boot %lu\n", (unsigned long)boots);
    print_flags("reset flags");
    if (RCC_CSR & (1u << 29)) {           /* IWDGRSTF */
        RCC_CSR |= CSR_RMVF;
        print_flags("after RMVF");
        finish(0);
    }
    if (boots > 1) {
        printf("second boot without IWDGRSTF\n");
        finish(1);
    }
    RCC_CSR |= CSR_RMVF;
    print_flags("after RMVF");
    IWDG_KR = 0x5555u;
    IWDG_PR = 0;                          /* /4 */
    IWDG_RLR = 99;
    while (IWDG_SR & 3u) {                /* PVU, RVU: wait for the update (RM0090 19.4.4) */
    }
    IWDG_KR = 0xCCCCu;
    IWDG_KR = 0xAAAAu;                    /* load RLR */
    printf("IWDG started\n");
    for (;;) {
    }
}
