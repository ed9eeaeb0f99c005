/* GOLDEN: qemu */
/*
 * USART1 echo, interrupt driven on both sides (RM0090 30): the RXNE interrupt puts received bytes in a
 * ring buffer, the main loop upper-cases them into a transmit ring buffer, and the TXE interrupt feeds DR
 * from it. The program stops after the second '\n' or a '.', waits for TC (RM0090 30.3.2: the last frame
 * has left the shift register) so that all echoed bytes are out before the semihosting summary, and exits.
 * Input: usart_echo.input on USART1.
 */
#include "stm32f405.h"

#define RCC_APB2ENR   REG(RCC_BASE, 0x44)        /* RM0090 RCC_APB2ENR */
#define RCC_USART1EN  (1u << 4)

/* RM0090 30.6: USART registers */
#define USART_SR   0x00u
#define USART_DR   0x04u
#define USART_BRR  0x08u
#define USART_CR1  0x0Cu
#define USART_CR2  0x10u
#define USART_CR3  0x14u
#define SR_ORE   (1u << 3)
#define SR_RXNE  (1u << 5)
#define SR_TC    (1u << 6)
#define SR_TXE   (1u << 7)
#define CR1_RE     (1u << 2)
#define CR1_TE     (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define CR1_TXEIE  (1u << 7)
#define CR1_UE     (1u << 13)

#define U1(off) REG(USART1_BASE, off)

static volatile uint8_t rx_buf[64], tx_buf[64];
static volatile uint32_t rx_head, rx_tail, tx_head, tx_tail;
static volatile uint32_t overruns;

/* One byte from the transmit buffer to DR, or TXEIE off when it is empty (TXE would keep the line high). */
static void tx_pump(void)
{
    if (tx_tail != tx_head) {
        U1(USART_DR) = tx_buf[tx_tail++ % sizeof tx_buf];
    } else {
        U1(USART_CR1) &= ~CR1_TXEIE;
    }
}

void USART1_IRQHandler(void)
{
    uint32_t sr = U1(USART_SR);
    if (sr & (SR_RXNE | SR_ORE)) {
        uint8_t c = (uint8_t)U1(USART_DR);   /* SR read then DR read: clears RXNE and ORE (30.6.1) */
        if (sr & SR_ORE) {
            overruns++;
        }
        rx_buf[rx_head++ % sizeof rx_buf] = c;
    }
    if ((U1(USART_CR1) & CR1_TXEIE) && (sr & SR_TXE)) {
        tx_pump();
    }
}

static void send(uint8_t c)
{
    while (tx_head - tx_tail >= sizeof tx_buf) {
    }
    tx_buf[tx_head++ % sizeof tx_buf] = c;
    /* The first byte goes out from here when TDR is empty, the rest from the TXE interrupt. (QEMU 7.2's
       USART raises its interrupt only for RXNE; there TXE is always set and every byte leaves here.) */
    __asm volatile("cpsid i" ::: "memory");
    if (U1(USART_SR) & SR_TXE) {
        tx_pump();
    }
    U1(USART_CR1) |= CR1_TXEIE;
    __asm volatile("cpsie i" ::: "memory");
}

int main(void)
{
    RCC_APB2ENR |= RCC_USART1EN;
    U1(USART_BRR) = 139;                     /* 16 MHz HSI / 139 = 115108 baud (30.3.4, OVER8 = 0) */
    U1(USART_CR2) = 0;                       /* 1 stop bit */
    U1(USART_CR3) = 0;
    U1(USART_CR1) = CR1_UE | CR1_TE | CR1_RE | CR1_RXNEIE;
    nvic_enable(USART1_IRQn);

    uint32_t received = 0, newlines = 0, sum = 0;
    int done = 0;
    while (!done) {
        if (rx_tail == rx_head) {
            continue;
        }
        uint8_t c = rx_buf[rx_tail++ % sizeof rx_buf];
        received++;
        sum = sum * 31u + c;
        if (c >= 'a' && c <= 'z') {
            c = (uint8_t)(c - 'a' + 'A');
        }
        send(c);
        if (c == '\n' && ++newlines == 2) {
            done = 1;
        } else if (c == '.') {
            done = 1;
        }
    }
    while (tx_tail != tx_head) {
    }
    while (!(U1(USART_SR) & SR_TC)) {
    }
    printf("usart_echo: %lu bytes, %lu lines, sum %08lx, overruns %lu\n", (unsigned long)received,
           (unsigned long)newlines, (unsigned long)sum, (unsigned long)overruns);
    finish(0);
}
