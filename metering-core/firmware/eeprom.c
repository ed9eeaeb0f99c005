/*
 * M95256 driver: SPI2 master, mode 3, f_PCLK1 / 4 = 4 MHz. Instructions from the M95256 datasheet: WREN 06h,
 * RDSR 05h (b0 WIP), READ 03h, WRITE 02h with a 16-bit address; a WRITE stays within its page.
 */
#include "board.h"
#include "clock.h"
#include "eeprom.h"

#define SPI SPI2_BASE
#define WREN 0x06u
#define RDSR 0x05u
#define READ 0x03u
#define WRITE 0x02u

static volatile uint32_t systick_count;

static uint8_t spi_byte(uint8_t out)
{
    while (!(SPI_SR(SPI) & SPI_SR_TXE)) {
    }
    SPI_DR(SPI) = out;
    while (!(SPI_SR(SPI) & SPI_SR_RXNE)) {
    }
    return (uint8_t)SPI_DR(SPI);
}

static void deselect(void)
{
    while (SPI_SR(SPI) & SPI_SR_BSY) {
    }
    pin_high(EE_CS);
}

void eeprom_init(void)
{
    RCC_APB1ENR |= 1u << 14;  /* SPI2EN */
    /* PB13/14/15 SCK/MISO/MOSI on AF5; PB12 S and PB11 W outputs, both high (deselected, writes allowed) */
    GPIO_AFRH(GPIOB_BASE) = (GPIO_AFRH(GPIOB_BASE) & ~0xFFF00000u) | 0x55500000u;
    pin_high(EE_CS);
    pin_high(EE_W);
    GPIO_MODER(GPIOB_BASE) = (GPIO_MODER(GPIOB_BASE) & ~(0xFFFu << 22)) | (0xA9u << 24) | (1u << 22);
    SPI_CR1(SPI) = (1u << 9) | (1u << 8) | (1u << 3) | (1u << 2) | 3u; /* SSM SSI BR=1 MSTR CPOL CPHA */
    SPI_CR1(SPI) |= 1u << 6;
}

void eeprom_read(uint16_t address, void *data, size_t length)
{
    uint8_t *p = data;
    pin_low(EE_CS);
    spi_byte(READ);
    spi_byte((uint8_t)(address >> 8));
    spi_byte((uint8_t)address);
    while (length--) {
        *p++ = spi_byte(0xFF);
    }
    deselect();
}

int eeprom_write(uint16_t address, const void *data, size_t length)
{
    const uint8_t *p = data;
    pin_low(EE_CS);
    spi_byte(WREN);
    deselect();
    pin_low(EE_CS);
    spi_byte(WRITE);
    spi_byte((uint8_t)(address >> 8));
    spi_byte((uint8_t)address);
    while (length--) {
        spi_byte(*p++);
    }
    deselect();
    /* tW is 5 ms at most: check WIP each millisecond for up to 10 ms, sleeping in between (SysTick wakes
       the core; polling WIP back to back would cost thousands of instructions per write) */
    SYST_RVR = CLOCK_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u;                           /* processor clock, interrupt, enable */
    int result = -1;
    for (int ms = 0; ms <= 10; ms++) {
        pin_low(EE_CS);
        spi_byte(RDSR);
        uint8_t status = spi_byte(0xFF);
        deselect();
        if (!(status & 1u)) {
            result = 0;
            break;
        }
        for (uint32_t t = systick_count; t == systick_count;) {
            wait_for_interrupt();
        }
    }
    SYST_CSR = 0;
    return result;
}

void SysTick_Handler(void)
{
    systick_count++;
}
