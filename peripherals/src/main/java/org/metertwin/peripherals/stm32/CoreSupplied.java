package org.metertwin.peripherals.stm32;

/**
 * A block of the STM32F4's core (V_DD) domain that must act when the power-down reset takes the supply away
 * ({@link Stm32Por}): a GPIO port stops driving its pins. It learns of the power-on through its ordinary reset.
 */
interface CoreSupplied {
    /** V_DD fell below the power-down level: the block is unpowered until the next power-on reset. */
    void supplyLost();
}
