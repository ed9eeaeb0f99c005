package org.metertwin.peripherals.spi;

/**
 * A device on an SPI bus (an EEPROM, a metering front end). The controller calls every attached target
 * for every word it clocks; a target watches its own chip-select net and answers all ones (MISO released,
 * pulled up) when it is not selected, so that the outputs of several targets can be ANDed.
 */
@FunctionalInterface
public interface SpiTarget {
    /**
     * One word on the bus: the target receives {@code mosi} and returns what it drives on MISO meanwhile.
     * {@code bits} is 8 or 16; the clock polarity and phase and the bit order are the controller's, so that
     * a target can notice a mode it does not support.
     */
    int exchange(int mosi, int bits, boolean cpol, boolean cpha, boolean lsbFirst);
}
