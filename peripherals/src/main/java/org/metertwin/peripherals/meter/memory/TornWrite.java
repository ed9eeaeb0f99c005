package org.metertwin.peripherals.meter.memory;

/**
 * What a write or erase cycle left behind when the supply fell below the part's minimum voltage during it.
 *
 * @param operation the datasheet name of the interrupted cycle (WRITE, WRSR, Page Program, Sector Erase...)
 * @param address the first address of the page, sector or block the cycle was changing
 * @param length how many bytes the cycle covered
 * @param bytesComplete bytes that reached the value the cycle was writing
 * @param bytesPartial bytes left with a value that is neither the old one nor the intended one
 * @param atNanos the virtual time of the supply drop
 * @param fraction how far through the cycle the drop came (0..1)
 */
public record TornWrite(String operation, int address, int length, int bytesComplete, int bytesPartial,
        long atNanos, double fraction) {
}
