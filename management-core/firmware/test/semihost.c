/*
 * console.h through Arm semihosting (BKPT 0xAB; "Semihosting for AArch32 and AArch64"): SYS_WRITE0 for
 * text and SYS_EXIT_EXTENDED for the exit status, which MeterTwin and QEMU (-semihosting) both answer.
 */
#include "console.h"

enum { SYS_WRITE0 = 0x04, SYS_EXIT_EXTENDED = 0x20, ADP_STOPPED_APPLICATION_EXIT = 0x20026 };

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void console_write(const char *text) { semihost(SYS_WRITE0, text); }

void console_hex(const uint8_t *bytes, size_t size)
{
    static const char DIGITS[] = "0123456789abcdef";
    char buffer[2 * 64 + 1];
    while (size > 0) {
        size_t n = size > 64 ? 64 : size;
        for (size_t i = 0; i < n; i++) {
            buffer[2 * i] = DIGITS[bytes[i] >> 4];
            buffer[2 * i + 1] = DIGITS[bytes[i] & 15];
        }
        buffer[2 * n] = 0;
        console_write(buffer);
        bytes += n;
        size -= n;
    }
}

void console_unsigned(uint32_t value)
{
    char buffer[11];
    int i = 10;
    buffer[i] = 0;
    do {
        buffer[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    console_write(buffer + i);
}

void finish(int status)
{
    const int block[2] = {ADP_STOPPED_APPLICATION_EXIT, status};
    semihost(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}
