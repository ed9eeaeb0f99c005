/* Test fixture: reads an unmapped address with no fault handlers installed. The BusFault is disabled at
 * reset, so it escalates to HardFault, whose vector is empty. `metertwin exec` must stop with status 6 and
 * name the faulting instruction (reset+0x4) and BFAR. */
#include <stdint.h>
extern uint32_t _estack;
void reset(void);
__attribute__((section(".vectors"))) const void *vectors[16] = {&_estack, reset};
static volatile uint32_t *const bad = (uint32_t *)0x70000000;
void reset(void) {
    uint32_t x = *bad;
    (void)x;
    for (;;) {
    }
}
