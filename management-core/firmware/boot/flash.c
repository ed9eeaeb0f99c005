/* Internal flash erase and program by the sequences of RM0430 3.7.5-3.7.6 (RM0090 3.6.3-3.6.4). */
#include "flash.h"

#include "registers.h"

enum {
    KEY1 = 0x45670123u, KEY2 = 0xCDEF89ABu,
    CR_PG = 1u << 0, CR_SER = 1u << 1, CR_SNB_SHIFT = 3, CR_PSIZE_X32 = 2u << 8, CR_STRT = 1u << 16,
    CR_LOCK = 1u << 31,
    SR_BSY = 1u << 16,
    SR_ERRORS = 0xF2u, /* PGSERR, PGPERR, PGAERR, WRPERR, OPERR */
};

uint32_t flash_sector_address(unsigned sector)
{
    return 0x08000000u + (sector < 4 ? sector * 0x4000u : sector == 4 ? 0x10000u : (sector - 4) * 0x20000u);
}

static void wait_not_busy(void)
{
    while (REG(FLASH_SR) & SR_BSY) {
    }
}

static void unlock(void)
{
    if (REG(FLASH_CR) & CR_LOCK) {
        REG(FLASH_KEYR) = KEY1;
        REG(FLASH_KEYR) = KEY2;
    }
}

/* the errors of the operation that just ended, cleared (they are rc_w1) */
static uint32_t take_errors(void)
{
    uint32_t errors = REG(FLASH_SR) & SR_ERRORS;
    REG(FLASH_SR) = errors;
    return errors;
}

uint32_t flash_erase_sector(unsigned sector)
{
    wait_not_busy();
    unlock();
    take_errors();
    /* x32 parallelism: the supply is 2.7-3.6 V (RM0430 table "program/erase parallelism") */
    REG(FLASH_CR) = CR_PSIZE_X32 | CR_SER | sector << CR_SNB_SHIFT;
    REG(FLASH_CR) |= CR_STRT;
    wait_not_busy();
    REG(FLASH_CR) = CR_PSIZE_X32;
    return take_errors();
}

uint32_t flash_program(uint32_t address, const uint8_t *data, uint32_t size)
{
    wait_not_busy();
    unlock();
    take_errors();
    REG(FLASH_CR) = CR_PSIZE_X32 | CR_PG;
    uint32_t errors = 0;
    for (uint32_t at = 0; at < size && errors == 0; at += 4) {
        uint32_t word = 0;
        for (uint32_t i = 0; i < 4; i++) {
            word |= (uint32_t)(at + i < size ? data[at + i] : 0xFFu) << (8 * i);
        }
        REG(address + at) = word;
        wait_not_busy();
        errors = take_errors();
    }
    REG(FLASH_CR) = CR_PSIZE_X32;
    return errors;
}

void flash_lock(void) { REG(FLASH_CR) |= CR_LOCK; }
