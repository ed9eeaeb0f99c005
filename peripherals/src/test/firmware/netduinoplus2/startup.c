/*
 * Startup for the netduinoplus2 test firmware (STM32F405RG), shared by every test program. Interrupt
 * handlers are weak: a test defines the ones it uses under their CMSIS names (USART1_IRQHandler, ...).
 * Output goes through semihosting (librdimon), which QEMU and MeterTwin both provide.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "stm32f405.h"

extern uint32_t _stack_top[];
extern uint32_t _data_load[], _data_start[], _data_end[];
extern uint32_t _bss_start[], _bss_end[];

extern void initialise_monitor_handles(void);
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK(NMI_Handler); WEAK(HardFault_Handler); WEAK(MemManage_Handler); WEAK(BusFault_Handler);
WEAK(UsageFault_Handler); WEAK(SVC_Handler); WEAK(DebugMon_Handler); WEAK(PendSV_Handler);
WEAK(SysTick_Handler);
WEAK(WWDG_IRQHandler); WEAK(PVD_IRQHandler); WEAK(TAMP_STAMP_IRQHandler); WEAK(RTC_WKUP_IRQHandler);
WEAK(FLASH_IRQHandler); WEAK(RCC_IRQHandler); WEAK(EXTI0_IRQHandler); WEAK(EXTI1_IRQHandler);
WEAK(EXTI2_IRQHandler); WEAK(EXTI3_IRQHandler); WEAK(EXTI4_IRQHandler); WEAK(EXTI9_5_IRQHandler);
WEAK(TIM2_IRQHandler); WEAK(TIM3_IRQHandler); WEAK(TIM4_IRQHandler); WEAK(I2C1_EV_IRQHandler);
WEAK(I2C1_ER_IRQHandler); WEAK(SPI1_IRQHandler); WEAK(SPI2_IRQHandler); WEAK(USART1_IRQHandler);
WEAK(USART2_IRQHandler); WEAK(USART3_IRQHandler); WEAK(EXTI15_10_IRQHandler); WEAK(RTC_Alarm_IRQHandler);
WEAK(TIM5_IRQHandler); WEAK(SPI3_IRQHandler); WEAK(UART4_IRQHandler); WEAK(UART5_IRQHandler);
WEAK(TIM6_DAC_IRQHandler); WEAK(TIM7_IRQHandler); WEAK(USART6_IRQHandler);

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + 82])(void) = {
    (void (*)(void))_stack_top, Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler,
    BusFault_Handler, UsageFault_Handler, 0, 0, 0, 0, SVC_Handler, DebugMon_Handler, 0, PendSV_Handler,
    SysTick_Handler,
    [16 ... 16 + 81] = Default_Handler,
    [16 + WWDG_IRQn] = WWDG_IRQHandler, [16 + PVD_IRQn] = PVD_IRQHandler,
    [16 + TAMP_STAMP_IRQn] = TAMP_STAMP_IRQHandler, [16 + RTC_WKUP_IRQn] = RTC_WKUP_IRQHandler,
    [16 + FLASH_IRQn] = FLASH_IRQHandler, [16 + RCC_IRQn] = RCC_IRQHandler,
    [16 + EXTI0_IRQn] = EXTI0_IRQHandler, [16 + EXTI1_IRQn] = EXTI1_IRQHandler,
    [16 + EXTI2_IRQn] = EXTI2_IRQHandler, [16 + EXTI3_IRQn] = EXTI3_IRQHandler,
    [16 + EXTI4_IRQn] = EXTI4_IRQHandler, [16 + EXTI9_5_IRQn] = EXTI9_5_IRQHandler,
    [16 + TIM2_IRQn] = TIM2_IRQHandler, [16 + TIM3_IRQn] = TIM3_IRQHandler, [16 + TIM4_IRQn] = TIM4_IRQHandler,
    [16 + I2C1_EV_IRQn] = I2C1_EV_IRQHandler, [16 + I2C1_ER_IRQn] = I2C1_ER_IRQHandler,
    [16 + SPI1_IRQn] = SPI1_IRQHandler, [16 + SPI2_IRQn] = SPI2_IRQHandler,
    [16 + USART1_IRQn] = USART1_IRQHandler, [16 + USART2_IRQn] = USART2_IRQHandler,
    [16 + USART3_IRQn] = USART3_IRQHandler, [16 + EXTI15_10_IRQn] = EXTI15_10_IRQHandler,
    [16 + RTC_Alarm_IRQn] = RTC_Alarm_IRQHandler, [16 + TIM5_IRQn] = TIM5_IRQHandler,
    [16 + SPI3_IRQn] = SPI3_IRQHandler, [16 + UART4_IRQn] = UART4_IRQHandler,
    [16 + UART5_IRQn] = UART5_IRQHandler, [16 + TIM6_DAC_IRQn] = TIM6_DAC_IRQHandler,
    [16 + TIM7_IRQn] = TIM7_IRQHandler, [16 + USART6_IRQn] = USART6_IRQHandler,
};

void *__dso_handle = 0;
void _init(void) {}
void _fini(void) {}

void Default_Handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    printf("unexpected exception %lu\n", (unsigned long)ipsr);
    finish(99);
}

void finish(int status)
{
    fflush(stdout);
    exit(status);
}

void Reset_Handler(void)
{
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: CP10/CP11 full access */
    __asm volatile("dsb\n\tisb" ::: "memory");
    uint32_t *src = _data_load;
    for (uint32_t *dst = _data_start; dst < _data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = _bss_start; dst < _bss_end;) {
        *dst++ = 0;
    }
    initialise_monitor_handles();
    setvbuf(stdout, NULL, _IOLBF, 0);
    finish(main());
}
