/* GOLDEN: rm0090 */
/* power_cycle.c without a battery: power_nobat.vdd removes VBAT before the outage (see power_cycle.c). */
#include "power_cycle.c"
