/*
 * Boots on the management board and reads each part at its address, printing what it finds; the JUnit test
 * (ManagementBoardTest) compares each line with the value the part's manual gives. Exits 0.
 *   flash-size  F_SIZE (0x1FFF7A22), the flash in KiB: 1024 for the STM32F413RG (RM0430 31.2)
 *   sram        a word written and read back at the first and last word of SRAM1 and SRAM2 (RM0430 2.3)
 *   usartN-sr   USART_SR after reset: 0x00C0, TXE and TC set (RM0430 USART_SR reset value)
 *   rtc-isr     RTC_ISR after a backup-domain reset but RSF: 0x00000007 (RM0430 RTC_ISR reset value). RSF
 *               (bit 5) is left out: the chip sets it only when RTCCLK copies the calendar to the shadow
 *               registers, which it cannot do before RTCEN; the stm32f4-rtc model reads it as 1 already.
 *   nor-jedec   W25Q64JV JEDEC ID (9Fh): EF 40 17 (Winbond datasheet, ID table)
 *   eeprom-sr   M95M01 status register (RDSR) before and after WREN: 00, then 02 (WEL)
 *   inputs      GPIO levels: the buttons released (high), the covers closed (low), the relay closed (high)
 */
#include <stdint.h>

#include "console.h"

#define REG(a) (*(volatile uint32_t *)(a))

enum {
    RCC = 0x40023800, RCC_AHB1ENR = RCC + 0x30, RCC_APB1ENR = RCC + 0x40, RCC_APB2ENR = RCC + 0x44,
    GPIOA = 0x40020000, GPIOB = 0x40020400, GPIOC = 0x40020800,
    GPIO_MODER = 0x00, GPIO_IDR = 0x10, GPIO_BSRR = 0x18,
    SPI1 = 0x40013000, SPI2 = 0x40003800, SPI_CR1 = 0x00, SPI_SR = 0x08, SPI_DR = 0x0C,
    RTC_ISR = 0x40002800 + 0x0C,
};

static void print_hex32(const char *name, uint32_t value)
{
    uint8_t bytes[4] = {(uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8), (uint8_t)value};
    console_write(name);
    console_write(" 0x");
    console_hex(bytes, 4);
    console_write("\n");
}

static void gpio_output_high(uint32_t port, int pin)
{
    REG(port + GPIO_BSRR) = 1u << pin;
    REG(port + GPIO_MODER) = (REG(port + GPIO_MODER) & ~(3u << 2 * pin)) | 1u << 2 * pin;
}

static void gpio_set(uint32_t port, int pin, int high) { REG(port + GPIO_BSRR) = 1u << (pin + (high ? 0 : 16)); }

static int gpio_level(uint32_t port, int pin) { return (int)(REG(port + GPIO_IDR) >> pin) & 1; }

static uint8_t spi_transfer(uint32_t spi, uint8_t out)
{
    while (!(REG(spi + SPI_SR) & 2)) { /* TXE */
    }
    REG(spi + SPI_DR) = out;
    while (!(REG(spi + SPI_SR) & 1)) { /* RXNE */
    }
    return (uint8_t)REG(spi + SPI_DR);
}

/* one instruction frame: chip select low, `count` bytes out (answers into `in`), chip select high */
static void spi_frame(uint32_t spi, uint32_t cs_port, int cs_pin, const uint8_t *out, uint8_t *in, int count)
{
    gpio_set(cs_port, cs_pin, 0);
    for (int i = 0; i < count; i++) {
        in[i] = spi_transfer(spi, out[i]);
    }
    while (REG(spi + SPI_SR) & 0x80) { /* BSY */
    }
    gpio_set(cs_port, cs_pin, 1);
}

int main(void)
{
    console_write("management board check\n");
    console_write("flash-size ");
    console_unsigned(*(volatile uint16_t *)0x1FFF7A22);
    console_write("\n");

    static const uint32_t words[] = {0x20000000, 0x2003FFFC, 0x20040000, 0x2004FFFC};
    int sram_ok = 1;
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
        uint32_t keep = REG(words[i]); /* the first words hold .data/.bss, the last the stack */
        REG(words[i]) = 0xA5C30F00u ^ words[i];
        sram_ok &= REG(words[i]) == (0xA5C30F00u ^ words[i]);
        REG(words[i]) = keep;
    }
    console_write(sram_ok ? "sram 320KiB ok\n" : "sram FAIL\n");

    print_hex32("usart1-sr", REG(0x40011000));
    print_hex32("usart2-sr", REG(0x40004400));
    print_hex32("usart3-sr", REG(0x40004800));
    print_hex32("uart4-sr", REG(0x40004C00));
    print_hex32("usart6-sr", REG(0x40011400));
    print_hex32("rtc-isr", REG(RTC_ISR) & ~0x20u);

    REG(RCC_AHB1ENR) |= 7;        /* GPIOA, GPIOB, GPIOC */
    REG(RCC_APB2ENR) |= 1u << 12; /* SPI1 */
    REG(RCC_APB1ENR) |= 1u << 14; /* SPI2 */
    gpio_output_high(GPIOA, 4);   /* NOR /CS */
    gpio_output_high(GPIOB, 12);  /* EEPROM S */
    gpio_output_high(GPIOB, 11);  /* EEPROM W: writes allowed */
    /* mode 0, master, software slave select, fPCLK/8 */
    REG(SPI1 + SPI_CR1) = 1u << 9 | 1u << 8 | 2u << 3 | 1u << 2 | 1u << 6;
    REG(SPI2 + SPI_CR1) = 1u << 9 | 1u << 8 | 2u << 3 | 1u << 2 | 1u << 6;

    uint8_t out[4] = {0x9F, 0, 0, 0}, in[4];
    spi_frame(SPI1, GPIOA, 4, out, in, 4);
    console_write("nor-jedec ");
    console_hex(in + 1, 3);
    console_write("\n");

    uint8_t sr[2];
    out[0] = 0x05;
    spi_frame(SPI2, GPIOB, 12, out, in, 2);
    sr[0] = in[1];
    out[0] = 0x06; /* WREN */
    spi_frame(SPI2, GPIOB, 12, out, in, 1);
    out[0] = 0x05;
    spi_frame(SPI2, GPIOB, 12, out, in, 2);
    sr[1] = in[1];
    console_write("eeprom-sr ");
    console_hex(sr, 1);
    console_write(" ");
    console_hex(sr + 1, 1);
    console_write("\n");

    console_write("inputs page=");
    console_unsigned((uint32_t)gpio_level(GPIOC, 0));
    console_write(" program=");
    console_unsigned((uint32_t)gpio_level(GPIOC, 1));
    console_write(" cover=");
    console_unsigned((uint32_t)gpio_level(GPIOC, 2));
    console_write(" terminal-cover=");
    console_unsigned((uint32_t)gpio_level(GPIOC, 3));
    console_write(" relay-feedback=");
    console_unsigned((uint32_t)gpio_level(GPIOB, 6));
    console_write(" mains-ok=");
    console_unsigned((uint32_t)gpio_level(GPIOA, 8));
    console_write("\n");
    return 0;
}
