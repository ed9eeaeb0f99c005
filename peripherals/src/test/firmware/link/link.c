/*
 * Two netduinoplus2 machines talking over USART2 (115200 8N1 from the 16 MHz HSI), for the determinism
 * test of multi-machine simulation. Built twice: -DROLE_PING sends a sequence byte on every TIM2 update
 * (every 700 us) and checks the answers; the pong side answers each byte with a function of it, and on its
 * own TIM2 period (every 1100 us) interjects a marker byte, so that traffic in both directions interleaves
 * with the timers of both machines. Both print a summary through semihosting after ROUNDS rounds, then
 * sleep. Registers: RM0090 sections 30.6 (USART), 18.4 (TIM2-5), 6.3 (RCC).
 */
#include "stm32f405.h"

#define RCC_APB1ENR  REG(RCC_BASE, 0x40)
#define USART_SR(b)  REG(b, 0x00)
#define USART_DR(b)  REG(b, 0x04)
#define USART_BRR(b) REG(b, 0x08)
#define USART_CR1(b) REG(b, 0x0C)
#define TIM_CR1(b)   REG(b, 0x00)
#define TIM_DIER(b)  REG(b, 0x0C)
#define TIM_SR(b)    REG(b, 0x10)
#define TIM_PSC(b)   REG(b, 0x28)
#define TIM_ARR(b)   REG(b, 0x2C)

#define SR_RXNE (1u << 5)
#define SR_TXE  (1u << 7)
#define ROUNDS  200

static volatile uint32_t received, sent, ticks, checksum, mismatches;
static volatile uint8_t last_sent;

static void send(uint8_t b)
{
    while (!(USART_SR(USART2_BASE) & SR_TXE)) {
    }
    USART_DR(USART2_BASE) = b;
    sent++;
}

void TIM2_IRQHandler(void)
{
    TIM_SR(TIM2_BASE) = 0;
    ticks++;
#ifdef ROLE_PING
    if (ticks <= ROUNDS) {
        last_sent = (uint8_t)ticks;
        send(last_sent);
    }
#else
    if (ticks % 3 == 0 && received < ROUNDS) {
        send(0xA5);
    }
#endif
}

void USART2_IRQHandler(void)
{
    if (USART_SR(USART2_BASE) & SR_RXNE) {
        uint8_t b = (uint8_t)USART_DR(USART2_BASE);
        received++;
        checksum = checksum * 31u + b + ticks;
#ifdef ROLE_PING
        if (b != 0xA5 && b != (uint8_t)(last_sent * 7u + 1u)) {
            mismatches++;
        }
#else
        send((uint8_t)(b * 7u + 1u));
#endif
    }
}

int main(void)
{
    RCC_APB1ENR |= (1u << 0) | (1u << 17); /* TIM2EN, USART2EN */
    USART_BRR(USART2_BASE) = 0x8B;          /* 16 MHz / (16 * 8.6875) = 115108 baud */
    USART_CR1(USART2_BASE) = (1u << 13) | (1u << 5) | (1u << 3) | (1u << 2); /* UE RXNEIE TE RE */
#ifdef ROLE_PING
    TIM_PSC(TIM2_BASE) = 15;   /* 1 MHz */
    TIM_ARR(TIM2_BASE) = 699;  /* 700 us */
#else
    TIM_PSC(TIM2_BASE) = 15;
    TIM_ARR(TIM2_BASE) = 1099; /* 1100 us */
#endif
    TIM_DIER(TIM2_BASE) = 1;   /* UIE */
    TIM_CR1(TIM2_BASE) = 1;    /* CEN */
    nvic_enable(TIM2_IRQn);
    nvic_enable(USART2_IRQn);
#ifdef ROLE_PING
    while (ticks < ROUNDS + 20) {
#else
    while (ticks < (ROUNDS * 7) / 11 + 20) {
#endif
        __asm volatile("wfi");
    }
    printf("%s: sent %lu received %lu checksum %08lx mismatches %lu\n",
#ifdef ROLE_PING
           "ping",
#else
           "pong",
#endif
           (unsigned long)sent, (unsigned long)received, (unsigned long)checksum, (unsigned long)mismatches);
    for (;;) {
        __asm volatile("wfi");
    }
}
