/* Console output for unprivileged threads, through SYS_CONSOLE_WRITE (whose text may be in the thread's
   memory or in flash: a string literal is passed as it is). */
#include "rtos.h"

void u_puts(const char *s)
{
    uint32_t n = 0;
    while (s[n] != 0) {
        n++;
    }
    rtos_console_write(s, n);
}

void u_putu(uint32_t v)
{
    char buffer[10];
    int i = 10;
    do {
        buffer[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    rtos_console_write(buffer + i, (uint32_t)(10 - i));
}

void u_puti(int32_t v)
{
    if (v < 0) {
        u_puts("-");
        u_putu(0u - (uint32_t)v);
    } else {
        u_putu((uint32_t)v);
    }
}

void u_puthex(uint32_t v)
{
    static const char DIGITS[] = "0123456789abcdef";
    char buffer[10] = {'0', 'x'};
    int n = 0;
    for (int shift = 28; shift >= 0; shift -= 4) {
        if ((v >> shift) != 0 || shift == 0 || n > 0) {
            buffer[2 + n++] = DIGITS[(v >> shift) & 15];
        }
    }
    rtos_console_write(buffer, (uint32_t)(2 + n));
}
