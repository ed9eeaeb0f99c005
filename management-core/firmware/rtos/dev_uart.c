/*
 * The UART driver (docs/rtos.md, "Devices"): the management board's five USARTs as /dev/ttyS0-3 and
 * /dev/vbus (machines/management.yaml's roles), interrupt driven, each with a 256-byte receive and a
 * 256-byte transmit ring. RM0430 USART registers (SR, DR, BRR, CR1, CR2): RXNE takes a character (PE, FE
 * and ORE counted; a character with a parity or framing error is dropped), TXE feeds the next one, TC ends
 * a transmission: on the RS-485 port it releases the driver-enable line (PA1), raised before the first
 * character. Baud rate and framing by RTOS_IOCTL_TTY_SET; each port starts in its protocol's default.
 *
 * Interrupt latency (docs/rtos.md, "Interrupt priorities"): each USART's interrupt is a top half at
 * UART_TOP_PRIORITY, above the kernel's level, so that no kernel path (a polled console line, a NOR erase
 * inside a /data call, a long system call) can hold a received character past the next one. The top half
 * touches no kernel data: it moves characters between the data register and the rings, counts, and pends the
 * bottom half (a software-triggered interrupt at the kernel's level, BOTTOM_IRQ), which wakes the threads
 * (files_device_ready). The rings are single-producer single-consumer with free-running indices: the receive
 * ring's in index is written by the top half only and its out index by the kernel only, the transmit ring's
 * the other way round. What both sides change (CR1, the sending flag, the RS-485 line) the kernel changes
 * with BASEPRI raised to the top half's level for those few instructions.
 */
#include <stddef.h>
#include <string.h>

#include "device.h"
#include "kernel_private.h"

#define RCC_APB1ENR REG(0x40023840u)
#define RCC_APB2ENR REG(0x40023844u)
#define RCC_AHB1ENR REG(0x40023830u)
#define GPIOA_MODER REG(0x40020000u)
#define GPIOA_BSRR REG(0x40020018u)
#define USART_SR(b) REG((b) + 0x00)
#define USART_DR(b) REG((b) + 0x04)
#define USART_BRR(b) REG((b) + 0x08)
#define USART_CR1(b) REG((b) + 0x0C)
#define USART_CR2(b) REG((b) + 0x10)
#define SR_PE (1u << 0)
#define SR_FE (1u << 1)
#define SR_ORE (1u << 3)
#define SR_RXNE (1u << 5)
#define SR_TC (1u << 6)
#define SR_TXE (1u << 7)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define CR1_TCIE (1u << 6)
#define CR1_TXEIE (1u << 7)
#define CR1_PS (1u << 9)
#define CR1_PCE (1u << 10)
#define CR1_M (1u << 12)
#define CR1_UE (1u << 13)
#define CR2_STOP_2 (2u << 12)
#define NVIC_ISER(n) REG(0xE000E100u + 4u * (n))
#define NVIC_IPR_BYTE(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define NVIC_ISPR(n) REG(0xE000E200u + 4u * (n))
#define KERNEL_PRIORITY 0xF0u
#define UART_TOP_PRIORITY 0x80u /* above the kernel's 0xF0 (SVCall, PendSV, TIM2), below the faults' 0 */
#define BOTTOM_IRQ 101u /* an interrupt no device of the board raises: set pending by the top halves */
#define RING 256u /* a power of two: the free-running indices wrap with it */
#define DE_PIN 1u /* PA1: the RS-485 transceiver's driver enable, high while sending */

struct port {
    uint32_t base;
    uint8_t irq;
    uint8_t apb2;            /* on APB2 (else APB1) */
    uint8_t enable_bit;      /* in RCC_APBxENR */
    uint8_t rs485;
    struct rtos_tty defaults;
};

/* in the order of the device table (files.c): ttyS0-3, vbus */
static const struct port ports[UART_DEVICES] = {
    {0x40011000u, 37, 1, 4, 0, {115200, 8, RTOS_PARITY_NONE, 1, 0}},  /* USART1: debug console */
    {0x40004800u, 39, 0, 18, 1, {2400, 8, RTOS_PARITY_EVEN, 1, 0}},   /* USART3: RS-485, DL/T 645's 2400 8E1 */
    {0x40004C00u, 52, 0, 19, 0, {300, 7, RTOS_PARITY_EVEN, 1, 0}},    /* UART4: optical, IEC 62056-21's 300 7E1 */
    {0x40011400u, 71, 1, 5, 0, {9600, 8, RTOS_PARITY_NONE, 1, 0}},    /* USART6: modem */
    {0x40004400u, 38, 0, 17, 0, {115200, 8, RTOS_PARITY_NONE, 1, 0}}, /* USART2: the virtual-bus link */
};

static struct uart {
    bool started;
    volatile bool sending;   /* TXEIE or TCIE on: characters on their way */
    struct rtos_tty tty;
    struct rtos_tty_counters counters;
    volatile bool pending;   /* the top half has news for the bottom half */
    volatile uint32_t rx_in, tx_out; /* written by the top half */
    volatile uint32_t rx_out, tx_in; /* written by the kernel */
    uint8_t rx[RING], tx[RING];
} state[UART_DEVICES];

/* the kernel's side of what the top half also changes: the top halves held off meanwhile (BASEPRI) */
static inline uint32_t hold_top_halves(void)
{
    uint32_t old;
    __asm__ volatile("mrs %0, basepri\n\tmsr basepri_max, %1" : "=&r"(old) : "r"(UART_TOP_PRIORITY) : "memory");
    return old;
}

static inline void release_top_halves(uint32_t old)
{
    __asm__ volatile("msr basepri, %0" ::"r"(old) : "memory");
}

static uint32_t pclk;
static unsigned first_index;

void uart_init(uint32_t pclk_hz, unsigned first_device_index)
{
    pclk = pclk_hz;
    first_index = first_device_index;
    memset(state, 0, sizeof state);
    NVIC_IPR_BYTE(BOTTOM_IRQ) = KERNEL_PRIORITY;
    NVIC_ISER(BOTTOM_IRQ / 32) = 1u << (BOTTOM_IRQ % 32);
}

static int32_t configure(unsigned u, const struct rtos_tty *t)
{
    if (t->baud < 300 || t->baud > 921600 || (t->data_bits != 7 && t->data_bits != 8) || t->parity > 2
        || (t->stop_bits != 1 && t->stop_bits != 2) || (t->data_bits == 7 && t->parity == RTOS_PARITY_NONE)) {
        return -RTOS_EINVAL;
    }
    uint32_t base = ports[u].base;
    /* USARTDIV = fPCLK / (16 x baud) as 12.4 fixed point, rounded (RM0430 USART baud rate generation) */
    uint32_t div16 = (pclk + t->baud / 2) / t->baud;
    if (div16 < 16 || div16 > 0xFFFFu) {
        return -RTOS_EINVAL;
    }
    uint32_t cr1 = CR1_UE | CR1_TE | CR1_RE | CR1_RXNEIE;
    if (t->parity != RTOS_PARITY_NONE) {
        cr1 |= CR1_PCE | (t->parity == RTOS_PARITY_ODD ? CR1_PS : 0);
        if (t->data_bits == 8) {
            cr1 |= CR1_M; /* 9-bit word: 8 data bits and the parity bit */
        }
    }
    uint32_t held = hold_top_halves();
    USART_CR1(base) = 0;
    USART_BRR(base) = div16;
    USART_CR2(base) = t->stop_bits == 2 ? CR2_STOP_2 : 0;
    USART_CR1(base) = cr1;
    state[u].tty = *t; /* the top half masks 7-bit characters by it */
    release_top_halves(held);
    return 0;
}

int32_t uart_open(unsigned u, uint32_t mode)
{
    (void)mode;
    struct uart *s = &state[u];
    if (s->started) {
        return 0;
    }
    const struct port *p = &ports[u];
    if (p->apb2) {
        RCC_APB2ENR |= 1u << p->enable_bit;
    } else {
        RCC_APB1ENR |= 1u << p->enable_bit;
    }
    if (p->rs485) {
        RCC_AHB1ENR |= 1u << 0; /* GPIOA */
        __asm__ volatile("dsb");
        GPIOA_BSRR = 1u << (DE_PIN + 16); /* receiving */
        GPIOA_MODER = (GPIOA_MODER & ~(3u << 2 * DE_PIN)) | 1u << 2 * DE_PIN;
    }
    __asm__ volatile("dsb");
    configure(u, &p->defaults);
    NVIC_IPR_BYTE(p->irq) = UART_TOP_PRIORITY;
    NVIC_ISER(p->irq / 32) = 1u << (p->irq % 32);
    s->started = true;
    return 0;
}

int32_t uart_read(unsigned u, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)f;
    struct uart *s = &state[u];
    uint32_t out = s->rx_out, count = s->rx_in - out;
    if (count == 0) {
        return -RTOS_EAGAIN;
    }
    uint32_t k = n < count ? n : count;
    for (uint32_t i = 0; i < k; i++) {
        buffer[i] = s->rx[(out + i) % RING];
    }
    __asm__ volatile("" ::: "memory"); /* the characters are read before their slots are given back */
    s->rx_out = out + k;
    return (int32_t)k;
}

int32_t uart_write(unsigned u, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)f;
    struct uart *s = &state[u];
    uint32_t k = 0, in = s->tx_in;
    while (k < n && in - s->tx_out < RING) {
        s->tx[in++ % RING] = data[k++];
    }
    if (k > 0) {
        __asm__ volatile("" ::: "memory"); /* the characters are in before the top half may see them */
        s->tx_in = in;
        const struct port *p = &ports[u];
        uint32_t held = hold_top_halves();
        if (p->rs485 && !s->sending) {
            GPIOA_BSRR = 1u << DE_PIN; /* drive the bus */
        }
        s->sending = true;
        USART_CR1(p->base) = (USART_CR1(p->base) & ~CR1_TCIE) | CR1_TXEIE; /* (again, if TC was awaited) */
        release_top_halves(held);
    }
    return (int32_t)k;
}

uint32_t uart_poll(unsigned u)
{
    const struct uart *s = &state[u];
    return (s->rx_in != s->rx_out ? RTOS_POLLIN : 0) | (s->tx_in - s->tx_out < RING ? RTOS_POLLOUT : 0);
}

int32_t uart_ioctl(unsigned u, struct fd *f, struct tcb *c, uint32_t request, uint32_t arg)
{
    (void)f;
    struct uart *s = &state[u];
    switch (request) {
    case RTOS_IOCTL_TTY_SET: {
        if (!kernel_user_readable(c, (const void *)arg, sizeof(struct rtos_tty))) {
            return -RTOS_EFAULT;
        }
        if (s->sending) {
            return -RTOS_EBUSY; /* output still on its way (RTOS_IOCTL_TTY_DRAIN) */
        }
        struct rtos_tty t = *(const struct rtos_tty *)arg;
        return configure(u, &t);
    }
    case RTOS_IOCTL_TTY_GET:
        if (!kernel_user_memory(c, (void *)arg, sizeof(struct rtos_tty))) {
            return -RTOS_EFAULT;
        }
        *(struct rtos_tty *)arg = s->tty;
        return 0;
    case RTOS_IOCTL_TTY_COUNTERS:
        if (!kernel_user_memory(c, (void *)arg, sizeof(struct rtos_tty_counters))) {
            return -RTOS_EFAULT;
        }
        *(struct rtos_tty_counters *)arg = s->counters;
        return 0;
    case RTOS_IOCTL_TTY_DRAIN:
        return (int32_t)(s->tx_in - s->tx_out + (s->sending ? 1u : 0u)); /* + the character in the shift register */
    case RTOS_IOCTL_PENDING:
        return (int32_t)(s->rx_in - s->rx_out);
    default:
        return -RTOS_ENOTTY;
    }
}

/* the top half, above the kernel's level: the data register and the rings only, then the bottom half pended */
static void isr(unsigned u)
{
    const struct port *p = &ports[u];
    struct uart *s = &state[u];
    uint32_t base = p->base, sr = USART_SR(base), cr1 = USART_CR1(base);
    bool ready = false;
    if (sr & (SR_RXNE | SR_ORE | SR_FE | SR_PE)) {
        uint32_t dr = USART_DR(base); /* the SR read, then this DR read, clear RXNE and the errors */
        if (sr & SR_ORE) {
            s->counters.overruns++;
        }
        if (sr & SR_PE) {
            s->counters.parity_errors++;
        } else if (sr & SR_FE) {
            s->counters.framing_errors++;
        } else if (sr & SR_RXNE) {
            uint32_t in = s->rx_in;
            if (in - s->rx_out < RING) {
                s->rx[in % RING] = (uint8_t)(dr & (s->tty.data_bits == 7 ? 0x7Fu : 0xFFu));
                __asm__ volatile("" ::: "memory"); /* the character before the index that publishes it */
                s->rx_in = in + 1;
                s->counters.received++;
                ready = true;
            } else {
                s->counters.overruns++; /* the ring is full: the readers are behind */
            }
        }
    }
    if ((cr1 & CR1_TXEIE) && (sr & SR_TXE)) {
        uint32_t out = s->tx_out;
        if (out != s->tx_in) {
            USART_DR(base) = s->tx[out % RING];
            s->tx_out = out + 1;
            s->counters.sent++;
            ready = true;
        } else {
            USART_CR1(base) = (cr1 & ~CR1_TXEIE) | CR1_TCIE; /* the last character is on the line */
        }
    } else if ((cr1 & CR1_TCIE) && (sr & SR_TC)) {
        USART_CR1(base) = cr1 & ~CR1_TCIE;
        USART_SR(base) = 0x3FFu & ~SR_TC; /* rc_w0: a 0 clears; the other defined flags written 1 */
        if (p->rs485) {
            GPIOA_BSRR = 1u << (DE_PIN + 16); /* its stop bit is out: release the bus */
        }
        s->sending = false;
        ready = true;
    }
    if (ready) {
        s->pending = true;
        NVIC_ISPR(BOTTOM_IRQ / 32) = 1u << (BOTTOM_IRQ % 32);
    }
}

/* the bottom half, at the kernel's level: the threads waiting for what the top halves moved */
void UART_BottomHalf_IRQHandler(void)
{
    for (unsigned u = 0; u < UART_DEVICES; u++) {
        if (state[u].pending) {
            state[u].pending = false; /* before the look: news after it pends this interrupt again */
            files_device_ready(first_index + u);
        }
    }
}

void USART1_IRQHandler(void) { isr(0); }
void USART3_IRQHandler(void) { isr(1); }
void UART4_IRQHandler(void) { isr(2); }
void USART6_IRQHandler(void) { isr(3); }
void USART2_IRQHandler(void) { isr(4); }
