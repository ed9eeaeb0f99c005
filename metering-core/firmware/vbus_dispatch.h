/* The metering core's data identifiers on the virtual bus (docs/virtual-bus.md): answers and reports. */
#ifndef VBUS_DISPATCH_H
#define VBUS_DISPATCH_H
#include <stdint.h>

/* Answers the request waiting on the link, if any. */
void vbus_dispatch_serve(void);
/* Sends a report frame (function 0x04, DI 03.80.00.01) with an event record to the router. */
void vbus_dispatch_report(const uint8_t record[8]);

#endif
