/* W25Q64JV instructions over SPI1, one chip-select frame each (Winbond W25Q64JV datasheet, section 8). */
#include "nor.h"

#include "registers.h"

enum {
    WRITE_ENABLE = 0x06, READ_STATUS_1 = 0x05, READ_DATA = 0x03, PAGE_PROGRAM = 0x02, BLOCK_ERASE_64K = 0xD8, SECTOR_ERASE = 0x20,
    RELEASE_POWER_DOWN = 0xAB,
    STATUS_BUSY = 0x01,
    CS_PIN = 4, /* PA4 */
    SR_RXNE = 1u << 0, SR_TXE = 1u << 1, SR_BSY = 1u << 7,
};

static void select(void) { REG(GPIOA + GPIO_BSRR) = 1u << (CS_PIN + 16); }

static void deselect(void)
{
    while (REG(SPI1 + SPI_SR) & SR_BSY) { /* the last byte has left the shift register */
    }
    REG(GPIOA + GPIO_BSRR) = 1u << CS_PIN;
}

static uint8_t transfer(uint8_t out)
{
    while (!(REG(SPI1 + SPI_SR) & SR_TXE)) {
    }
    REG(SPI1 + SPI_DR) = out;
    while (!(REG(SPI1 + SPI_SR) & SR_RXNE)) {
    }
    return (uint8_t)REG(SPI1 + SPI_DR);
}

static void command_address(uint8_t instruction, uint32_t address)
{
    transfer(instruction);
    transfer((uint8_t)(address >> 16));
    transfer((uint8_t)(address >> 8));
    transfer((uint8_t)address);
}

static void wait_ready(void)
{
    select();
    transfer(READ_STATUS_1);
    while (transfer(0) & STATUS_BUSY) { /* the chip repeats status register 1 until /CS rises */
    }
    deselect();
}

static void write_enable(void)
{
    select();
    transfer(WRITE_ENABLE);
    deselect();
}

void nor_init(void)
{
    REG(RCC_AHB1ENR) |= 1u << 0;  /* GPIOA */
    REG(RCC_APB2ENR) |= 1u << 12; /* SPI1 */
    REG(GPIOA + GPIO_BSRR) = 1u << CS_PIN;
    REG(GPIOA + GPIO_MODER) = (REG(GPIOA + GPIO_MODER) & ~(3u << 2 * CS_PIN)) | 1u << 2 * CS_PIN;
    /* mode 0, master, software slave management (SSM, SSI), baud rate fPCLK/2, enabled */
    REG(SPI1 + SPI_CR1) = 1u << 9 | 1u << 8 | 1u << 2 | 1u << 6;
    select();
    transfer(RELEASE_POWER_DOWN); /* in case the application left the chip powered down */
    deselect();
    wait_ready();
}

void nor_read(uint32_t address, uint8_t *out, uint32_t size)
{
    select();
    command_address(READ_DATA, address);
    for (uint32_t i = 0; i < size; i++) {
        out[i] = transfer(0);
    }
    deselect();
}

static void erase(uint8_t instruction, uint32_t address)
{
    write_enable();
    select();
    command_address(instruction, address);
    deselect();
    wait_ready();
}

void nor_erase_block(uint32_t address) { erase(BLOCK_ERASE_64K, address); }

void nor_erase_sector(uint32_t address) { erase(SECTOR_ERASE, address); }

void nor_program(uint32_t address, const uint8_t *data, uint32_t size)
{
    while (size > 0) {
        uint32_t n = NOR_PAGE - (address & (NOR_PAGE - 1)); /* to the end of this page */
        if (n > size) {
            n = size;
        }
        write_enable();
        select();
        command_address(PAGE_PROGRAM, address);
        for (uint32_t i = 0; i < n; i++) {
            transfer(data[i]);
        }
        deselect();
        wait_ready();
        address += n;
        data += n;
        size -= n;
    }
}
