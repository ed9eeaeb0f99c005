/*
 * A stand-in management core on a netduinoplus2: the virtual-bus router (address 0x10, docs/virtual-bus.md)
 * between the link to the metering core (USART2) and a host side (USART3) where a test's client speaks as a
 * service of the management core. Each side's receive interrupt feeds its own frame hunter
 * (firmware-common/vbus); a checked frame is routed by its destination: 0x01 to the link, 0x10-0x7F and
 * broadcasts to the host side; anything else is dropped. Transmission is interrupt driven from one ring per
 * side. Both USARTs at 115200 8N1 from the 16 MHz HSI. Registers: RM0090 30.6 (USART), 6.3 (RCC).
 * No inter-byte timeout: the test's traffic has no partial frames.
 */
#include <string.h>
#include "stm32f405.h"
#include "vbus_frame.h"

#define RCC_APB1ENR  REG(RCC_BASE, 0x40)
#define USART_SR(b)  REG(b, 0x00)
#define USART_DR(b)  REG(b, 0x04)
#define USART_BRR(b) REG(b, 0x08)
#define USART_CR1(b) REG(b, 0x0C)
#define SR_RXNE  (1u << 5)
#define SR_ORE   (1u << 3)
#define SR_TXE   (1u << 7)
#define CR1_UE     (1u << 13)
#define CR1_TXEIE  (1u << 7)
#define CR1_RXNEIE (1u << 5)
#define CR1_TE     (1u << 3)
#define CR1_RE     (1u << 2)

/* One side of the router: a USART, its hunter and its transmit ring. */
struct side {
    uint32_t usart;
    struct vbus_hunter hunter;
    uint8_t tx[1024];
    volatile unsigned head, tail;
};

static struct side link = { .usart = USART2_BASE }, host = { .usart = USART3_BASE };
static volatile uint32_t routed, dropped;

static void send(struct side *s, const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned next = (s->head + 1) % sizeof s->tx;
        if (next == s->tail) {             /* ring full: the frame's rest is lost, the receiver drops it */
            break;
        }
        s->tx[s->head] = bytes[i];
        s->head = next;
    }
    USART_CR1(s->usart) |= CR1_TXEIE;
}

static void route(const uint8_t *frame, unsigned length)
{
    struct vbus_frame f;
    vbus_decode(frame, &f);
    if (f.dst == VBUS_METERING) {
        send(&link, frame, length);
    } else if ((f.dst >= VBUS_ROUTER && f.dst <= 0x7F) || f.dst == VBUS_BROADCAST) {
        send(&host, frame, length);
    } else {
        dropped++;
        return;
    }
    routed++;
}

static void serve(struct side *s)
{
    uint32_t sr = USART_SR(s->usart);
    if (sr & (SR_RXNE | SR_ORE)) {
        vbus_hunt(&s->hunter, (uint8_t)USART_DR(s->usart));
    }
    if ((USART_CR1(s->usart) & CR1_TXEIE) && (sr & SR_TXE)) {
        if (s->tail != s->head) {
            USART_DR(s->usart) = s->tx[s->tail];
            s->tail = (s->tail + 1) % sizeof s->tx;
        } else {
            USART_CR1(s->usart) &= ~CR1_TXEIE;
        }
    }
}

void USART2_IRQHandler(void)
{
    serve(&link);
}

void USART3_IRQHandler(void)
{
    serve(&host);
}

int main(void)
{
    RCC_APB1ENR |= (1u << 17) | (1u << 18); /* USART2EN, USART3EN */
    vbus_hunter_init(&link.hunter, route);
    vbus_hunter_init(&host.hunter, route);
    for (struct side *s = &link; s; s = s == &link ? &host : 0) {
        USART_BRR(s->usart) = 0x8B;         /* 16 MHz / (16 * 8.6875) = 115108 baud */
        USART_CR1(s->usart) = CR1_UE | CR1_RXNEIE | CR1_TE | CR1_RE;
    }
    nvic_enable(USART2_IRQn);
    nvic_enable(USART3_IRQn);
    for (;;) {
        __asm volatile("wfi");
    }
}
