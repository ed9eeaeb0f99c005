package org.metertwin.peripherals.spi;

/** An SPI controller that targets attach to (its MOSI, MISO and SCK lines). */
public interface SpiBus {
    void attach(SpiTarget target);
}
