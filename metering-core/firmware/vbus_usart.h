/* The virtual-bus link to the management core on USART2, 115200 8N1 (docs/virtual-bus.md). */
#ifndef VBUS_USART_H
#define VBUS_USART_H
#include <stdint.h>

void vbus_usart_init(void);
/* Whether a complete frame waits to be answered. */
int vbus_usart_pending(void);
/* The complete frame waiting to be answered, or 0 when there is none. */
const uint8_t *vbus_usart_request(void);
/* The waiting frame has been read: the receiver may take the next one. */
void vbus_usart_release(void);
/* Queues a frame for the interrupt-driven transmitter. */
void vbus_usart_send(const uint8_t *frame, unsigned length);

#endif
