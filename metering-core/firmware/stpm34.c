/*
 * STPM34 driver. SPI1 master, mode 3 (CPOL = CPHA = 1), MSB first, 8-bit, f_PCLK2 / 2 = 8 MHz. A frame is
 * [READ_ADDR][WRITE_ADDR][DATA_LSB][DATA_MSB][CRC] under one SCS low; the chip answers, byte for byte, the
 * register the previous frame asked for ([D0..D3][CRC]), so a read of n registers takes n + 1 frames.
 */
#include "board.h"
#include "clock.h"
#include "crc.h"
#include "stpm34.h"

#define SPI SPI1_BASE
#define NO_WRITE 0xFFu

static uint32_t powered_at;

/* One byte at a time: after RXNE of the previous byte the transmit buffer is empty (TXE), so only RXNE
   is polled (RM0090 28.3.5, full-duplex master). */
static uint8_t spi_byte(uint8_t out)
{
    SPI_DR(SPI) = out;
    while (!(SPI_SR(SPI) & SPI_SR_RXNE)) {
    }
    return (uint8_t)SPI_DR(SPI);
}

/* One frame; returns the 32-bit answer, and whether its CRC was right in *ok. */
static uint32_t frame(uint8_t read_row, uint8_t write_row, uint16_t data, int *ok)
{
    uint8_t tx[5] = {read_row, write_row, (uint8_t)data, (uint8_t)(data >> 8), 0};
    uint8_t rx[5];
    tx[4] = crc8_stpm(tx, 4);
    pin_low(STPM_SCS);
    for (int i = 0; i < 5; i++) {
        rx[i] = spi_byte(tx[i]);
    }
    while (SPI_SR(SPI) & SPI_SR_BSY) {
    }
    pin_high(STPM_SCS);
    *ok = rx[4] == crc8_stpm(rx, 4);
    return (uint32_t)rx[0] | (uint32_t)rx[1] << 8 | (uint32_t)rx[2] << 16 | (uint32_t)rx[3] << 24;
}

void stpm_power_up(void)
{
    RCC_APB2ENR |= 1u << 12;  /* SPI1EN */
    /* PA5/6/7 SCK/MISO/MOSI on AF5 */
    GPIO_AFRL(GPIOA_BASE) = (GPIO_AFRL(GPIOA_BASE) & ~0xFFF00000u) | 0x55500000u;
    GPIO_MODER(GPIOA_BASE) = (GPIO_MODER(GPIOA_BASE) & ~(0x3Fu << 10)) | (0x2Au << 10);
    /* SCS (PA4), EN (PC0), SYN (PC1) outputs: EN low first, so the chip restarts from its reset state */
    pin_low(STPM_EN);
    pin_high(STPM_SYN);
    pin_low(STPM_SCS);
    GPIO_MODER(GPIOA_BASE) = (GPIO_MODER(GPIOA_BASE) & ~(3u << 8)) | (1u << 8);
    GPIO_MODER(GPIOC_BASE) = (GPIO_MODER(GPIOC_BASE) & ~0xFu) | 0x5u;
    SPI_CR1(SPI) = (1u << 9) | (1u << 8) | (1u << 2) | 3u; /* SSM SSI BR=0 MSTR CPOL CPHA */
    SPI_CR1(SPI) |= 1u << 6;                                            /* SPE */
    delay_us(1000);
    pin_high(STPM_EN);          /* SCS low at EN's rising edge selects SPI; the chip measures from here */
    powered_at = clock_us();
}

void stpm_wait_ready(void)
{
    while (clock_us() - powered_at < 40000u) {   /* start-up: the chip answers after 35 ms */
    }
    pin_high(STPM_SCS);
}

void stpm_write(int reg, uint32_t value)
{
    int ok;
    frame(NO_WRITE, (uint8_t)(2 * reg), (uint16_t)value, &ok);
    frame(NO_WRITE, (uint8_t)(2 * reg + 1), (uint16_t)(value >> 16), &ok);
}

int stpm_read(const uint8_t *regs, int n, uint32_t *out)
{
    int ok, bad = 0;
    frame((uint8_t)(2 * regs[0]), NO_WRITE, 0, &ok);
    for (int i = 0; i < n; i++) {
        uint8_t next = i + 1 < n ? (uint8_t)(2 * regs[i + 1]) : (uint8_t)(2 * regs[i]);
        out[i] = frame(next, NO_WRITE, 0, &ok);
        bad |= !ok;
    }
    return bad;
}

void stpm_latch(void)
{
    pin_low(STPM_SYN);
    for (volatile int i = 0; i < 8; i++) {
    }
    pin_high(STPM_SYN);
}
