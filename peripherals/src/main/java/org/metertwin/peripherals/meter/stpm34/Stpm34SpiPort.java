package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.spi.SpiTarget;

/**
 * The STPM34 as an SPI target: SCS (active low) selects it and its edges delimit frames (the Stpm34 device
 * handles them); each byte clocked while selected is one byte of a frame. Only mode 3 (CPOL = 1, CPHA = 1),
 * MSB first, 8-bit words are understood, as in ST's driver (Metro_HAL_Spi_config: POLARITY_HIGH,
 * PHASE_2EDGE, FIRSTBIT_MSB); any other setting gets all ones (MISO released) and is logged once.
 */
final class Stpm34SpiPort implements SpiTarget {
    private final Stpm34 chip;
    private final Stpm34Protocol protocol;
    private final Pin scs;
    private boolean warnedMode;

    Stpm34SpiPort(Stpm34 chip, Stpm34Protocol protocol, Pin scs) {
        this.chip = chip;
        this.protocol = protocol;
        this.scs = scs;
    }

    @Override
    public int exchange(int mosi, int bits, boolean cpol, boolean cpha, boolean lsbFirst) {
        int released = (1 << bits) - 1;
        if (scs.level() || !chip.spiActive()) {
            return released;
        }
        if (bits != 8 || !cpol || !cpha || lsbFirst) {
            if (!warnedMode) {
                warnedMode = true;
                chip.logOnce("SPI: only mode 3 (CPOL=1, CPHA=1), MSB first, 8-bit words are understood; got "
                        + bits + "-bit CPOL=" + (cpol ? 1 : 0) + " CPHA=" + (cpha ? 1 : 0)
                        + (lsbFirst ? " LSB first" : " MSB first") + " (answering all ones)");
            }
            return released;
        }
        return protocol.exchange(mosi);
    }
}
