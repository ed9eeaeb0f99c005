/* The STM32F413 registers the bootloader and the test application touch (RM0430; CMSIS stm32f413xx.h). */
#ifndef REGISTERS_H
#define REGISTERS_H

#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

enum {
    RCC_AHB1ENR = 0x40023830u, RCC_APB2ENR = 0x40023844u,
    GPIOA = 0x40020000u, GPIO_MODER = 0x00u, GPIO_BSRR = 0x18u,
    SPI1 = 0x40013000u, SPI_CR1 = 0x00u, SPI_SR = 0x08u, SPI_DR = 0x0Cu,
    USART1 = 0x40011000u, USART_SR = 0x00u, USART_DR = 0x04u, USART_BRR = 0x08u, USART_CR1 = 0x0Cu,
    FLASH_KEYR = 0x40023C04u, FLASH_SR = 0x40023C0Cu, FLASH_CR = 0x40023C10u,
    IWDG_KR = 0x40003000u, IWDG_PR = 0x40003004u, IWDG_RLR = 0x40003008u,
    SCB_VTOR = 0xE000ED08u,
};

#endif
