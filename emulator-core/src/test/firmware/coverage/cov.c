/* Coverage fixture: a function called three times, one never called, an if with one side taken. */
#include <stdint.h>
extern uint32_t _estack;
void reset(void);
__attribute__((section(".vectors"))) const void *vectors[16] = { &_estack, reset };
volatile int sink;
int scale(int v);

int called(int x) {
    if (x > 0) {
        sink = 1;
    } else {
        sink = 2;
    }
    return x + 1;
}

int never_called(int x) {
    sink = x;
    return x * 3;
}

static void exit_ok(void) {
    register int r0 asm("r0") = 0x18;
    register int r1 asm("r1") = 0x20026;
    asm volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
}

void reset(void) {
    int total = 0;
    for (int i = 0; i < 3; i++) {
        total += called(i + 1);
    }
    sink = total + scale(total);
    exit_ok();
    for (;;) {
    }
}
