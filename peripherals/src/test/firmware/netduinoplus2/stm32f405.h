/*
 * The few STM32F405 definitions the netduinoplus2 test firmware shares: register access, base addresses
 * (RM0090 2.3, memory map) and interrupt numbers (RM0090 12.2, vector table). Each test defines the
 * register offsets and bits it uses next to the code that uses them, citing RM0090.
 */
#ifndef STM32F405_H
#define STM32F405_H
#include <stdint.h>
#include <stdio.h>

#define REG(base, offset) (*(volatile uint32_t *)((base) + (offset)))

#define TIM2_BASE    0x40000000u
#define TIM3_BASE    0x40000400u
#define TIM4_BASE    0x40000800u
#define TIM5_BASE    0x40000C00u
#define TIM6_BASE    0x40001000u
#define TIM7_BASE    0x40001400u
#define RTC_BASE     0x40002800u
#define WWDG_BASE    0x40002C00u
#define IWDG_BASE    0x40003000u
#define SPI2_BASE    0x40003800u
#define SPI3_BASE    0x40003C00u
#define USART2_BASE  0x40004400u
#define USART3_BASE  0x40004800u
#define UART4_BASE   0x40004C00u
#define UART5_BASE   0x40005000u
#define I2C1_BASE    0x40005400u
#define PWR_BASE     0x40007000u
#define USART1_BASE  0x40011000u
#define USART6_BASE  0x40011400u
#define SPI1_BASE    0x40013000u
#define SYSCFG_BASE  0x40013800u
#define EXTI_BASE    0x40013C00u
#define GPIOA_BASE   0x40020000u
#define GPIO_BASE(port) (GPIOA_BASE + 0x400u * (port))   /* port 0 = A ... 8 = I */
#define CRC_BASE     0x40023000u
#define RCC_BASE     0x40023800u
#define FLASH_R_BASE 0x40023C00u
#define BKPSRAM_BASE 0x40024000u
#define UID_BASE     0x1FFF7A10u
#define DBGMCU_BASE  0xE0042000u

#define NVIC_ISER(n) (*(volatile uint32_t *)(0xE000E100u + 4u * (n)))
#define NVIC_ICPR(n) (*(volatile uint32_t *)(0xE000E280u + 4u * (n)))
static inline void nvic_enable(int irq) { NVIC_ISER(irq >> 5) = 1u << (irq & 31); }

enum {
    WWDG_IRQn = 0, PVD_IRQn = 1, TAMP_STAMP_IRQn = 2, RTC_WKUP_IRQn = 3, FLASH_IRQn = 4, RCC_IRQn = 5,
    EXTI0_IRQn = 6, EXTI1_IRQn = 7, EXTI2_IRQn = 8, EXTI3_IRQn = 9, EXTI4_IRQn = 10, EXTI9_5_IRQn = 23,
    TIM2_IRQn = 28, TIM3_IRQn = 29, TIM4_IRQn = 30, I2C1_EV_IRQn = 31, I2C1_ER_IRQn = 32, SPI1_IRQn = 35,
    SPI2_IRQn = 36, USART1_IRQn = 37, USART2_IRQn = 38, USART3_IRQn = 39, EXTI15_10_IRQn = 40,
    RTC_Alarm_IRQn = 41, TIM5_IRQn = 50, SPI3_IRQn = 51, UART4_IRQn = 52, UART5_IRQn = 53,
    TIM6_DAC_IRQn = 54, TIM7_IRQn = 55, USART6_IRQn = 71, FPU_IRQn = 81
};

/* Ends the test through semihosting (SYS_EXIT), so that QEMU and MeterTwin both stop with its status. */
void finish(int status) __attribute__((noreturn));

#endif
