/* GOLDEN: rm0090 */
/*
 * A GPIO output routed to EXTI through SYSCFG (QEMU does not model GPIO, so the golden comes from RM0090).
 * PA1 is an output (RM0090 8.3: the input data register samples the pin in output mode too, and the EXTI
 * sees the pin); EXTICR1 selects port A for line 1 (9.2.3); both edges trigger (10.3.3, 10.3.4); the
 * handler counts rising and falling edges by the level it reads in IDR, and clears PR by writing 1 (10.3.6).
 */
#include "stm32f405.h"

#define RCC_AHB1ENR  REG(RCC_BASE, 0x30) /* RM0090 7.3.10: GPIOAEN bit 0 */
#define RCC_APB2ENR  REG(RCC_BASE, 0x44) /* RM0090 7.3.14: SYSCFGEN bit 14 */
#define GPIOA_MODER  REG(GPIOA_BASE, 0x00)
#define GPIOA_IDR    REG(GPIOA_BASE, 0x10)
#define GPIOA_BSRR   REG(GPIOA_BASE, 0x18)
#define SYSCFG_EXTICR1 REG(SYSCFG_BASE, 0x08)
#define EXTI_IMR     REG(EXTI_BASE, 0x00)
#define EXTI_RTSR    REG(EXTI_BASE, 0x08)
#define EXTI_FTSR    REG(EXTI_BASE, 0x0C)
#define EXTI_SWIER   REG(EXTI_BASE, 0x10)
#define EXTI_PR      REG(EXTI_BASE, 0x14)

static volatile uint32_t rising, falling;

void EXTI1_IRQHandler(void)
{
    EXTI_PR = 1u << 1;
    if (GPIOA_IDR & (1u << 1)) {
        rising++;
    } else {
        falling++;
    }
}

static void toggle(int times)
{
    for (int i = 0; i < times; i++) {
        GPIOA_BSRR = 1u << 1;        /* set PA1 (8.4.7) */
        __asm volatile("dsb");
        GPIOA_BSRR = 1u << (16 + 1); /* reset PA1 */
        __asm volatile("dsb");
    }
}

int main(void)
{
    RCC_AHB1ENR |= 1u;
    RCC_APB2ENR |= 1u << 14;
    (void)RCC_APB2ENR;
    GPIOA_MODER = (GPIOA_MODER & ~(3u << 2)) | (1u << 2); /* PA1 general purpose output (8.4.1) */
    SYSCFG_EXTICR1 = 0;                                   /* EXTI1 = PA1 */
    EXTI_RTSR |= 1u << 1;
    EXTI_FTSR |= 1u << 1;
    EXTI_IMR |= 1u << 1;
    nvic_enable(EXTI1_IRQn);
    toggle(5);
    printf("PA1 edges: rising=%lu falling=%lu\n", (unsigned long)rising, (unsigned long)falling);

    SYSCFG_EXTICR1 = 1u << 4; /* EXTI1 = PB1: PA1 no longer reaches line 1 */
    toggle(3);
    printf("after EXTICR1 selects port B: rising=%lu falling=%lu\n", (unsigned long)rising,
           (unsigned long)falling);

    EXTI_SWIER = 1u << 1; /* software trigger sets PR (10.3.5) */
    __asm volatile("dsb");
    printf("after SWIER: interrupts=%lu SWIER=%lu\n", (unsigned long)(rising + falling),
           (unsigned long)(EXTI_SWIER & 2u));
    return 0;
}
