/*
 * The metrology board (machines/metrology.yaml): STM32F405 registers the firmware uses (RM0090; offsets
 * next to each block) and the board's wiring. Everything runs on the 16 MHz HSI: SYSCLK = HCLK = PCLK1 =
 * PCLK2 = 16 MHz (see README.md, "Clock").
 */
#ifndef BOARD_H
#define BOARD_H
#include <stdint.h>

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))

#define CLOCK_HZ 16000000u

/* RM0090 2.3 memory map */
#define TIM2_BASE   0x40000000u
#define TIM3_BASE   0x40000400u
#define SPI2_BASE   0x40003800u
#define USART2_BASE 0x40004400u
#define PWR_BASE    0x40007000u
#define SPI1_BASE   0x40013000u
#define SYSCFG_BASE 0x40013800u
#define EXTI_BASE   0x40013C00u
#define GPIOA_BASE  0x40020000u
#define GPIOB_BASE  0x40020400u
#define GPIOC_BASE  0x40020800u
#define RCC_BASE    0x40023800u

/* RCC (RM0090 7.3) */
#define RCC_AHB1ENR REG(RCC_BASE, 0x30)
#define RCC_APB1ENR REG(RCC_BASE, 0x40)
#define RCC_APB2ENR REG(RCC_BASE, 0x44)

/* GPIO (RM0090 8.4) */
#define GPIO_MODER(b)   REG(b, 0x00)
#define GPIO_OSPEEDR(b) REG(b, 0x08)
#define GPIO_PUPDR(b)   REG(b, 0x0C)
#define GPIO_IDR(b)     REG(b, 0x10)
#define GPIO_BSRR(b)    REG(b, 0x18)
#define GPIO_AFRL(b)    REG(b, 0x20)
#define GPIO_AFRH(b)    REG(b, 0x24)
static inline void pin_high(uint32_t port, int pin) { GPIO_BSRR(port) = 1u << pin; }
static inline void pin_low(uint32_t port, int pin) { GPIO_BSRR(port) = 1u << (pin + 16); }
static inline int pin_read(uint32_t port, int pin) { return (int)((GPIO_IDR(port) >> pin) & 1u); }

/* Board wiring (machines/metrology.yaml) */
#define STPM_SCS  GPIOA_BASE, 4
#define STPM_EN   GPIOC_BASE, 0
#define STPM_SYN  GPIOC_BASE, 1
#define EE_CS     GPIOB_BASE, 12
#define EE_W      GPIOB_BASE, 11
#define LED       GPIOB_BASE, 0
#define CAL_EN    GPIOB_BASE, 1     /* active low: jumper to ground, pull-up */
#define MAINS_OK  GPIOA_BASE, 8     /* high while the supply sees the mains */

/* SPI (RM0090 28.5) */
#define SPI_CR1(b) REG(b, 0x00)
#define SPI_SR(b)  REG(b, 0x08)
#define SPI_DR(b)  REG(b, 0x0C)
#define SPI_SR_RXNE (1u << 0)
#define SPI_SR_TXE  (1u << 1)
#define SPI_SR_BSY  (1u << 7)

/* USART (RM0090 30.6) */
#define USART_SR(b)  REG(b, 0x00)
#define USART_DR(b)  REG(b, 0x04)
#define USART_BRR(b) REG(b, 0x08)
#define USART_CR1(b) REG(b, 0x0C)
#define USART_SR_ORE  (1u << 3)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TXE  (1u << 7)
#define USART_CR1_RE     (1u << 2)
#define USART_CR1_TE     (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_TXEIE  (1u << 7)
#define USART_CR1_UE     (1u << 13)

/* General-purpose timers (RM0090 18.4) */
#define TIM_CR1(b)  REG(b, 0x00)
#define TIM_DIER(b) REG(b, 0x0C)
#define TIM_SR(b)   REG(b, 0x10)
#define TIM_EGR(b)  REG(b, 0x14)
#define TIM_CNT(b)  REG(b, 0x24)
#define TIM_PSC(b)  REG(b, 0x28)
#define TIM_ARR(b)  REG(b, 0x2C)

/* PWR (RM0090 5.4), EXTI (12.3), SYSCFG (9.2) */
#define PWR_CR       REG(PWR_BASE, 0x00)
#define PWR_CSR      REG(PWR_BASE, 0x04)
#define EXTI_IMR     REG(EXTI_BASE, 0x00)
#define EXTI_RTSR    REG(EXTI_BASE, 0x08)
#define EXTI_FTSR    REG(EXTI_BASE, 0x0C)
#define EXTI_PR      REG(EXTI_BASE, 0x14)
#define SYSCFG_EXTICR3 REG(SYSCFG_BASE, 0x10)

/* SysTick (ARMv7-M ARM B3.3) */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

/* NVIC, SCB (ARMv7-M ARM B3.4, B3.2) */
#define NVIC_ISER(n) (*(volatile uint32_t *)(0xE000E100u + 4u * (n)))
#define NVIC_IPR8(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
static inline void nvic_enable(int irq, int priority)
{
    NVIC_IPR8(irq) = (uint8_t)(priority << 4);
    NVIC_ISER(irq >> 5) = 1u << (irq & 31);
}

enum { PVD_IRQn = 1, EXTI9_5_IRQn = 23, TIM2_IRQn = 28, TIM3_IRQn = 29, USART2_IRQn = 38 };

static inline void irq_disable(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_enable(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm volatile("wfi" ::: "memory"); }

#endif
