package org.metertwin.peripherals.meter.stpm34;

/**
 * The STPM32/33/34 register map: 70 registers of 32 bits. The chip addresses 16-bit rows, so register
 * {@code n} is rows {@code 2n} (low half) and {@code 2n+1} (high half); the constants here are register
 * numbers, {@link #row} gives the even row. Names follow the datasheet (DS10272) as the open drivers spell
 * them (see docs/meter-devices.md for the sources and where they disagree).
 */
public final class Stpm34Map {
    private Stpm34Map() {
    }

    // Configuration (read/write)
    public static final int DSP_CR1 = 0, DSP_CR2 = 1, DSP_CR3 = 2, DSP_CR4 = 3, DSP_CR5 = 4, DSP_CR6 = 5,
            DSP_CR7 = 6, DSP_CR8 = 7, DSP_CR9 = 8, DSP_CR10 = 9, DSP_CR11 = 10, DSP_CR12 = 11, DFE_CR1 = 12,
            DFE_CR2 = 13, DSP_IRQ1 = 14, DSP_IRQ2 = 15, DSP_SR1 = 16, DSP_SR2 = 17, US_REG1 = 18, US_REG2 = 19,
            US_REG3 = 20;
    // Data (read-only, latched)
    public static final int DSP_EV1 = 21, DSP_EV2 = 22, DSP_REG1 = 23, DSP_REG2 = 24, DSP_REG3 = 25,
            DSP_REG4 = 26, DSP_REG5 = 27, DSP_REG6 = 28, DSP_REG7 = 29, DSP_REG8 = 30, DSP_REG9 = 31,
            DSP_REG10 = 32, DSP_REG11 = 33, DSP_REG12 = 34, DSP_REG13 = 35, DSP_REG14 = 36, DSP_REG15 = 37,
            DSP_REG16 = 38, DSP_REG17 = 39, DSP_REG18 = 40, DSP_REG19 = 41;
    /** First of the twelve PH1 registers: active, fundamental, reactive, apparent energy; then powers. */
    public static final int PH1_REG1 = 42;
    /** First of the twelve PH2 registers, laid out as PH1's. */
    public static final int PH2_REG1 = 54;
    /** Total active, fundamental, reactive and apparent energy. */
    public static final int TOT_REG1 = 66, TOT_REG2 = 67, TOT_REG3 = 68, TOT_REG4 = 69;
    public static final int COUNT = 70;
    /** The first data register: everything from here on is written by the DSP at a latch. */
    public static final int FIRST_DATA = DSP_EV1;

    /** Offsets within a phase block (PHx_REG1 + offset). */
    public static final int ACTIVE_ENERGY = 0, FUNDAMENTAL_ENERGY = 1, REACTIVE_ENERGY = 2, APPARENT_ENERGY = 3,
            ACTIVE_POWER = 4, FUNDAMENTAL_POWER = 5, REACTIVE_POWER = 6, APPARENT_RMS_POWER = 7,
            APPARENT_VECTORIAL_POWER = 8, MOMENTARY_ACTIVE_POWER = 9, MOMENTARY_FUNDAMENTAL_POWER = 10,
            AH_ACC = 11;

    /**
     * Reset values. DFE_CR1 resets with the current gain at ×16 (0x0F270327), DFE_CR2 at ×2 (0x03270327):
     * ST's driver table, the STPM3X register headers and the evaluation firmware agree on this.
     */
    private static final int[] RESET = new int[COUNT];

    static {
        RESET[DSP_CR1] = 0x040000A0;
        RESET[DSP_CR2] = 0x240000A0;
        RESET[DSP_CR3] = 0x000004E0;
        RESET[DSP_CR5] = 0x003FF800;
        RESET[DSP_CR6] = 0x003FF800;
        RESET[DSP_CR7] = 0x003FF800;
        RESET[DSP_CR8] = 0x003FF800;
        RESET[DSP_CR9] = 0x00000FFF;
        RESET[DSP_CR10] = 0x00000FFF;
        RESET[DSP_CR11] = 0x00000FFF;
        RESET[DSP_CR12] = 0x00000FFF;
        RESET[DFE_CR1] = 0x0F270327;
        RESET[DFE_CR2] = 0x03270327;
        RESET[US_REG1] = 0x00004007;
        RESET[US_REG2] = 0x00000683;
    }

    /**
     * Bits a 16-bit row write can change, per register (data registers are read-only). From the field masks
     * of Carton32/stpm3x stpm3x_internals.h, which cites DS10272 pp. 87-93: DSP_CR1/2 have no bits 9-16,
     * DSP_CR3 none above 27, DSP_CR4 none above 23, DSP_CR6/8 none above 21; US_REG1 has CRC_POLY[7:0],
     * NOISE_EN, BREAK_ON_ERR, CRC_EN, LSB_FIRST and TIME_OUT[23:16]; US_REG2 BAUD[15:0] and FRAME_DELAY[23:16];
     * US_REG3 the interrupt masks of its status bits (bits 1-6 and 10-14) and, write 1 to clear, the status
     * bits 16-22 and 24-30. DFE_CR1/2 stay fully writable: their reset value has bits the drivers do not name.
     */
    private static final int[] WRITE_MASK = new int[COUNT];

    static {
        java.util.Arrays.fill(WRITE_MASK, 0, FIRST_DATA, 0xFFFFFFFF);
        WRITE_MASK[DSP_CR1] = 0xFFFE01FF;
        WRITE_MASK[DSP_CR2] = 0xFFFE01FF;
        WRITE_MASK[DSP_CR3] = 0x0FFFFFFF;
        WRITE_MASK[DSP_CR4] = 0x00FFFFFF;
        WRITE_MASK[DSP_CR6] = 0x003FFFFF;
        WRITE_MASK[DSP_CR8] = 0x003FFFFF;
        WRITE_MASK[US_REG1] = 0x00FFC3FF;
        WRITE_MASK[US_REG2] = 0x00FFFFFF;
        WRITE_MASK[US_REG3] = 0x7F7F7C7E;
    }

    /** The bits of a register that writes can change (0 for the read-only data registers). */
    public static int writeMask(int register) {
        return WRITE_MASK[register];
    }

    public static int resetValue(int register) {
        return RESET[register];
    }

    /** Puts every register of {@code registers} (indexed as this map) to its reset value. */
    public static void resetAll(int[] registers) {
        System.arraycopy(RESET, 0, registers, 0, COUNT);
    }

    /** The even (low-half) row address of a register. */
    public static int row(int register) {
        return register * 2;
    }

    private static final String[] NAMES = new String[COUNT];

    static {
        String[] cfg = {"DSP_CR1", "DSP_CR2", "DSP_CR3", "DSP_CR4", "DSP_CR5", "DSP_CR6", "DSP_CR7", "DSP_CR8",
            "DSP_CR9", "DSP_CR10", "DSP_CR11", "DSP_CR12", "DFE_CR1", "DFE_CR2", "DSP_IRQ1", "DSP_IRQ2",
            "DSP_SR1", "DSP_SR2", "US_REG1", "US_REG2", "US_REG3", "DSP_EV1", "DSP_EV2"};
        System.arraycopy(cfg, 0, NAMES, 0, cfg.length);
        for (int i = 1; i <= 19; i++) {
            NAMES[DSP_REG1 + i - 1] = "DSP_REG" + i;
        }
        for (int i = 1; i <= 12; i++) {
            NAMES[PH1_REG1 + i - 1] = "PH1_REG" + i;
            NAMES[PH2_REG1 + i - 1] = "PH2_REG" + i;
        }
        for (int i = 1; i <= 4; i++) {
            NAMES[TOT_REG1 + i - 1] = "TOT_REG" + i;
        }
    }

    public static String name(int register) {
        return NAMES[register];
    }
}
