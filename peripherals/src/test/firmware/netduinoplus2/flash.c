/* GOLDEN: rm0090 */
/*
 * Flash interface (RM0090 section 3): unlock (3.5.1), erase sector 11 (3.6.3), program words, halfwords and
 * bytes with the matching parallelism PSIZE (3.6.4, 3.9.5), read back, and the error flags of a misaligned
 * write (PGAERR) and of a write while CR is locked (PG cannot be set, so the write is a programming
 * sequence error, PGSERR) (3.9.4). EOP is set only when EOPIE is set (3.9.4, FLASH_SR).
 * The link script leaves sectors 8-11 to flash tests.
 */
#include "stm32f405.h"

#define FLASH_ACR     REG(FLASH_R_BASE, 0x00)
#define FLASH_KEYR    REG(FLASH_R_BASE, 0x04)
#define FLASH_SR      REG(FLASH_R_BASE, 0x0C)
#define FLASH_CR      REG(FLASH_R_BASE, 0x10)
#define FLASH_OPTCR   REG(FLASH_R_BASE, 0x14)

#define SR_EOP    (1u << 0)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_PGPERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_BSY    (1u << 16)
#define SR_ERRORS (SR_WRPERR | SR_PGAERR | SR_PGPERR | SR_PGSERR)
#define CR_PG     (1u << 0)
#define CR_SER    (1u << 1)
#define CR_SNB(n) ((uint32_t)(n) << 3)
#define CR_PSIZE(p) ((uint32_t)(p) << 8)   /* 0 x8, 1 x16, 2 x32 */
#define CR_STRT   (1u << 16)
#define CR_EOPIE  (1u << 24)
#define CR_LOCK   (1u << 31)

#define SECTOR11 0x080E0000u

static void wait_idle(void)
{
    while (FLASH_SR & SR_BSY) {
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("reset: CR=%08lx OPTCR=%08lx\n", (unsigned long)FLASH_CR, (unsigned long)FLASH_OPTCR); /* 3.9.5, 3.9.7 */

    /* 3.5.1: KEY1 then KEY2 clears LOCK */
    FLASH_KEYR = 0x45670123u;
    FLASH_KEYR = 0xCDEF89ABu;
    printf("unlocked: %s\n", (FLASH_CR & CR_LOCK) ? "no" : "yes");

    /* 3.6.3: sector erase at x32 parallelism, with EOPIE so that EOP is reported */
    wait_idle();
    FLASH_CR = CR_SER | CR_SNB(11) | CR_PSIZE(2) | CR_EOPIE;
    FLASH_CR |= CR_STRT;
    printf("erase started, busy: %s\n", (FLASH_SR & SR_BSY) ? "yes" : "no");
    wait_idle();
    printf("erase done: SR=%08lx\n", (unsigned long)FLASH_SR);
    FLASH_SR = SR_EOP;
    volatile uint32_t *w = (volatile uint32_t *)SECTOR11;
    uint32_t all = 0xFFFFFFFFu;
    for (int i = 0; i < 128 * 1024 / 4; i += 509) {
        all &= w[i];
    }
    printf("erased: %08lx %08lx\n", (unsigned long)all, (unsigned long)w[128 * 1024 / 4 - 1]);

    /* 3.6.4: programming words at x32 */
    FLASH_CR = CR_PG | CR_PSIZE(2);
    w[0] = 0x12345678u;
    wait_idle();
    w[1] = 0xCAFEF00Du;
    wait_idle();
    /* halfwords at x16, bytes at x8 */
    FLASH_CR = CR_PG | CR_PSIZE(1);
    volatile uint16_t *h = (volatile uint16_t *)(SECTOR11 + 8);
    h[0] = 0xBEEFu;
    wait_idle();
    h[1] = 0x0102u;
    wait_idle();
    FLASH_CR = CR_PG | CR_PSIZE(0);
    volatile uint8_t *b = (volatile uint8_t *)(SECTOR11 + 12);
    b[0] = 0xA5u;
    wait_idle();
    b[3] = 0x3Cu;
    wait_idle();
    /* programming can only clear bits (erased state is all ones) */
    FLASH_CR = CR_PG | CR_PSIZE(2);
    w[1] = 0x0F0F0F0Fu;
    wait_idle();
    printf("programmed: %08lx %08lx %08lx %08lx SR=%08lx\n", (unsigned long)w[0], (unsigned long)w[1],
           (unsigned long)w[2], (unsigned long)w[3], (unsigned long)(FLASH_SR & SR_ERRORS));

    /* 3.9.4 PGAERR: a word not aligned within a 128-bit row */
    w[4] = 0xFFFFFFFFu; /* all ones: changes nothing */
    wait_idle();
    *(volatile uint32_t *)(SECTOR11 + 0x1E) = 0u;
    printf("misaligned word: SR errors=%08lx\n", (unsigned long)(FLASH_SR & SR_ERRORS));
    FLASH_SR = SR_ERRORS;

    /* 3.9.4 PGPERR: a halfword while PSIZE selects x32 */
    *(volatile uint16_t *)(SECTOR11 + 0x20) = 0u;
    printf("halfword at x32: SR errors=%08lx\n", (unsigned long)(FLASH_SR & SR_ERRORS));
    FLASH_SR = SR_ERRORS;

    /* 3.5.1: LOCK set: CR ignores writes, so PG stays clear and a write to flash is a sequence error */
    FLASH_CR = CR_LOCK;
    FLASH_CR = CR_PG | CR_PSIZE(2);
    w[8] = 0u;
    printf("locked write: CR=%08lx SR errors=%08lx word=%08lx\n", (unsigned long)FLASH_CR,
           (unsigned long)(FLASH_SR & SR_ERRORS), (unsigned long)w[8]);
    FLASH_SR = SR_ERRORS;
    printf("after clear: SR=%08lx ACR=%08lx\n", (unsigned long)FLASH_SR, (unsigned long)FLASH_ACR);
    finish(0);
}
