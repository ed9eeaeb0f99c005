/*
 * The product image's kernel console: USART1, the board's debug console (machines/management.yaml), polled
 * at 115200 8N1 from the 16 MHz HSI (RM0430 USART: TXE before each DR write). The same USART is /dev/ttyS0
 * for processes (dev_uart.c); the kernel's own lines wait for TXE like any character. finish() has no host
 * to return to: it waits for the watchdog to reset the core.
 */
#include "console.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_APB2ENR REG(0x40023844u)
#define USART1_SR REG(0x40011000u)
#define USART1_DR REG(0x40011004u)
#define USART1_BRR REG(0x40011008u)
#define USART1_CR1 REG(0x4001100Cu)
#define SR_TXE (1u << 7)

static void start(void)
{
    static int started;
    if (!started) {
        RCC_APB2ENR |= 1u << 4; /* USART1EN */
        __asm__ volatile("dsb");
        USART1_BRR = 8u << 4 | 11u;         /* 16 MHz / (16 x 8.6875) = 115108 baud, 0.08% from 115200 */
        USART1_CR1 = 1u << 13 | 1u << 3 | 1u << 2; /* UE, TE, RE */
        started = 1;
    }
}

void console_write(const char *text)
{
    start();
    for (; *text != 0; text++) {
        while (!(USART1_SR & SR_TXE)) {
        }
        USART1_DR = (uint8_t)*text;
    }
}

void console_unsigned(uint32_t value)
{
    char buffer[11];
    int i = 10;
    buffer[10] = 0;
    do {
        buffer[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    console_write(buffer + i);
}

void console_hex(const uint8_t *bytes, size_t size)
{
    static const char DIGITS[] = "0123456789abcdef";
    char pair[3] = {0};
    for (size_t i = 0; i < size; i++) {
        pair[0] = DIGITS[bytes[i] >> 4];
        pair[1] = DIGITS[bytes[i] & 15];
        console_write(pair);
    }
}

void finish(int status)
{
    console_write("rtos: stopped, status ");
    console_unsigned((uint32_t)status);
    console_write(": waiting for the watchdog\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
