/* USART1 transmit-only, polled (RM0430 USART: TXE before each DR write, TC at the end). */
#include "uart.h"

#include "registers.h"

enum { SR_TC = 1u << 6, SR_TXE = 1u << 7, CR1_TE = 1u << 3, CR1_UE = 1u << 13 };

void uart_init(void)
{
    REG(RCC_APB2ENR) |= 1u << 4; /* USART1 */
    /* USARTDIV = 16 MHz / (16 x 115200) = 8.6875: mantissa 8, fraction 11 */
    REG(USART1 + USART_BRR) = 8u << 4 | 11u;
    REG(USART1 + USART_CR1) = CR1_UE | CR1_TE;
}

void uart_write(const char *text)
{
    for (; *text; text++) {
        while (!(REG(USART1 + USART_SR) & SR_TXE)) {
        }
        REG(USART1 + USART_DR) = (uint8_t)*text;
    }
}

void uart_unsigned(uint32_t value)
{
    char buffer[11];
    int i = 10;
    buffer[i] = 0;
    do {
        buffer[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    uart_write(buffer + i);
}

void uart_flush(void)
{
    while (!(REG(USART1 + USART_SR) & SR_TC)) {
    }
}
