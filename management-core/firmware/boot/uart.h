/* The bootloader's messages on USART1, the board's debug console: 115200 baud 8N1 at the 16 MHz HSI. */
#ifndef UART_H
#define UART_H

#include <stdint.h>

void uart_init(void);
void uart_write(const char *text);
void uart_unsigned(uint32_t value);
/* waits until the last character has left the line (TC), so nothing is cut off by the jump */
void uart_flush(void);

#endif
