/* What a test program prints through: semihosting on the board (semihost.c), stdio on the host. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_write(const char *text);
void console_hex(const uint8_t *bytes, size_t size);
void console_unsigned(uint32_t value);
void finish(int status) __attribute__((noreturn));

#endif
