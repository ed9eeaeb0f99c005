package org.metertwin.core.machine;

/**
 * A kind of device that machine descriptions can name in {@code type}. Modules contribute types through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.metertwin.core.machine.DeviceType}), so
 * emulator-core needs to know nothing of STM32 blocks or meter parts.
 */
public interface DeviceType {
    /** The name descriptions use, such as {@code stm32f4-usart}. */
    String type();

    /** One line for {@code --help} and error messages. */
    String description();

    /**
     * Builds the device. Registers are mapped at {@link DeviceContext#base()} when the result is an
     * {@link org.metertwin.core.bus.MmioDevice} and the description gives a base.
     */
    Object create(DeviceContext context) throws MachineException;
}
