/* The virtual-bus link to the management core on USART2 (docs/virtual-bus.md). */
#ifndef VBUS_H
#define VBUS_H
#include <stdint.h>

#define VBUS_OWN 0x01u
#define VBUS_ROUTER 0x10u
#define VBUS_BROADCAST 0xFFu

void vbus_init(void);
/* Whether a complete request waits to be answered. */
int vbus_pending(void);
/* Answers the waiting request, if any. */
void vbus_serve(void);
/* Sends a report frame (function 0x04, DI 03.80.00.01) with an event record. */
void vbus_report(const uint8_t record[8]);

#endif
