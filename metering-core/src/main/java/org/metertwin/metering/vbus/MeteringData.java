package org.metertwin.metering.vbus;

/**
 * The metering core's data identifiers (docs/virtual-bus.md), as 32-bit values DI3.DI2.DI1.DI0 with DI0 in
 * the low byte, the byte sent first.
 */
public final class MeteringData {
    /** The metering core's virtual-bus address. */
    public static final int METERING_CORE = 0x01;
    /** The management core's router: the address the scenario runner speaks from. */
    public static final int MANAGEMENT_CORE = 0x10;

    public static final int ACTIVE_IMPORT = 0x0001_0000;
    public static final int ACTIVE_EXPORT = 0x0002_0000;
    public static final int REACTIVE_Q1 = 0x0005_0000;
    public static final int REACTIVE_Q2 = 0x0006_0000;
    public static final int REACTIVE_Q3 = 0x0007_0000;
    public static final int REACTIVE_Q4 = 0x0008_0000;
    public static final int APPARENT = 0x0009_0000;
    /** All seven energies, u64 each, in the order above. */
    public static final int ENERGY_BLOCK = 0x0080_0000;

    public static final int VOLTAGE = 0x0201_0100;
    public static final int PHASE_CURRENT = 0x0202_0100;
    public static final int NEUTRAL_CURRENT = 0x0280_0001;
    public static final int ACTIVE_POWER = 0x0203_0000;
    public static final int REACTIVE_POWER = 0x0204_0000;
    public static final int APPARENT_POWER = 0x0205_0000;
    public static final int POWER_FACTOR = 0x0206_0000;
    public static final int FREQUENCY = 0x0280_0002;
    public static final int INSTANT_BLOCK = 0x0280_0000;

    public static final int STATUS = 0x0400_0501;
    public static final int EVENT_HEADER = 0x0380_0000;
    /** The nn-th most recent event record: EVENT_RECORD + nn, nn from 1 to 0x20. */
    public static final int EVENT_RECORD = 0x0380_0000;

    public static final int FIRMWARE_VERSION = 0x0480_0001;
    public static final int IMAGE_CRC = 0x0480_0002;
    public static final int CALIBRATION = 0x0480_0100;

    private MeteringData() {
    }
}
