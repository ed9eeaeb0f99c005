/*
 * The USART2 driver of the virtual-bus link. The receive interrupt feeds the frame hunter (vbus_frame.c)
 * byte by byte, dropping a partial frame after 20 ms of silence, and keeps one checked frame for the main
 * loop. Transmission is interrupt driven from a ring buffer.
 */
#include <string.h>
#include "board.h"
#include "clock.h"
#include "vbus_frame.h"
#include "vbus_usart.h"

#define USART USART2_BASE

static struct vbus_hunter hunter;           /* interrupt side */
static uint32_t last_byte_us;
/* the frame handed to the main loop */
static uint8_t request[VBUS_FRAME_MAX];
static volatile int request_ready;
/* transmitter */
static uint8_t tx[1024];
static volatile unsigned tx_head, tx_tail;

/* A checked frame from the hunter, in the interrupt. */
static void take(const uint8_t *frame, unsigned length)
{
    if (!request_ready) {               /* a request while one waits would be a master's mistake: dropped */
        memcpy(request, frame, length);
        request_ready = 1;
    }
}

void vbus_usart_init(void)
{
    vbus_hunter_init(&hunter, take);
    RCC_APB1ENR |= 1u << 17;   /* USART2EN */
    /* PA2 TX, PA3 RX on AF7 */
    GPIO_AFRL(GPIOA_BASE) = (GPIO_AFRL(GPIOA_BASE) & ~0xFF00u) | 0x7700u;
    GPIO_MODER(GPIOA_BASE) = (GPIO_MODER(GPIOA_BASE) & ~(0xFu << 4)) | (0xAu << 4);
    USART_BRR(USART) = (CLOCK_HZ + 115200u / 2) / 115200u;   /* 139: 115108 baud, -0.08 % */
    USART_CR1(USART) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
    nvic_enable(USART2_IRQn, 2);
}

void USART2_IRQHandler(void)
{
    uint32_t sr = USART_SR(USART);
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        uint8_t b = (uint8_t)USART_DR(USART);
        uint32_t t = clock_us();
        if (vbus_hunter_inside(&hunter) && t - last_byte_us > VBUS_INTER_BYTE_US) {
            vbus_hunter_drop(&hunter);
        }
        last_byte_us = t;
        vbus_hunt(&hunter, b);
    }
    if ((USART_CR1(USART) & USART_CR1_TXEIE) && (sr & USART_SR_TXE)) {
        if (tx_tail != tx_head) {
            USART_DR(USART) = tx[tx_tail];
            tx_tail = (tx_tail + 1) % sizeof tx;
        } else {
            USART_CR1(USART) &= ~USART_CR1_TXEIE;
        }
    }
}

int vbus_usart_pending(void)
{
    return request_ready;
}

const uint8_t *vbus_usart_request(void)
{
    return request_ready ? request : 0;
}

void vbus_usart_release(void)
{
    request_ready = 0;
}

void vbus_usart_send(const uint8_t *frame, unsigned length)
{
    irq_disable();
    for (unsigned i = 0; i < length; i++) {
        unsigned next = (tx_head + 1) % sizeof tx;
        if (next == tx_tail) {
            break;                     /* full: the rest of the frame is lost, and the receiver drops it */
        }
        tx[tx_head] = frame[i];
        tx_head = next;
    }
    USART_CR1(USART) |= USART_CR1_TXEIE;
    irq_enable();
}
