/* console.h on the host, for running the vector test natively while developing (build.sh --host). */
#include <stdio.h>
#include <stdlib.h>

#include "console.h"

void console_write(const char *text) { fputs(text, stdout); }

void console_hex(const uint8_t *bytes, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        printf("%02x", bytes[i]);
    }
}

void console_unsigned(uint32_t value) { printf("%lu", (unsigned long)value); }

void finish(int status)
{
    fflush(stdout);
    exit(status);
}
