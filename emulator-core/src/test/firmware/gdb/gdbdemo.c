/* Firmware for the gdb server's differential test (GdbDifferentialTest): a call to finish, a global
 * to watch, a stack frame to examine. Built by build.sh with -O0 -g. */
#include <stdlib.h>

volatile unsigned int counter;
unsigned int table[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static unsigned int mix(unsigned int a, unsigned int b)
{
    unsigned int local[4] = {a, b, a ^ b, a + b};
    return local[0] * 3u + local[1] + local[2] - local[3];
}

int main(void)
{
    unsigned int sum = 0;
    for (int i = 0; i < 8; i++) {
        sum += mix(table[i], (unsigned int)i);
    }
    counter = sum;
    table[0] = counter + 1u;
    exit((int)(sum & 0x7f));
}
