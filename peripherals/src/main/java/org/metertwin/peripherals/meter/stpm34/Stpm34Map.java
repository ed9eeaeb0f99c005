package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.LogOnce;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterBank;

/**
 * The STPM32/33/34 register map: 70 registers of 32 bits. The chip addresses 16-bit rows, so register
 * {@code n} is rows {@code 2n} (low half) and {@code 2n+1} (high half); the constants here are register
 * numbers, {@link #row} gives the even row. Names follow the datasheet (DS10272) as the open drivers spell
 * them (see docs/meter-devices.md for the sources and where they disagree). {@link #declare} gives each
 * register its fields, reset values and access; the static queries answer from one declared copy.
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
     * Declares the map into {@code bank} (of {@link #COUNT} registers). Reset values: ST's driver table, the
     * STPM3X register headers and the evaluation firmware agree; DFE_CR1 resets with the current gain at
     * x16 (0x0F270327), DFE_CR2 at x2 (0x03270327). Writable bits: from the field masks of Carton32/stpm3x
     * stpm3x_internals.h, which cites DS10272 pp. 87-93. Bits no field names are not writable; DFE_CR1/2
     * stay fully writable, as their reset value has bits the drivers do not name.
     */
    public static RegisterBank declare(RegisterBank bank) {
        for (int ch = 1; ch <= 2; ch++) {
            // DSP_CR1/2: no bits 9-16; LPW = 4, TC = 2 and ENVREF set at reset; LED2 shows reactive power
            bank.define(ch == 1 ? DSP_CR1 : DSP_CR2, "DSP_CR" + ch, 0)
                    .field(0, 4, "CLRSS_TO" + ch, Access.RW).bit(4, "ClearSS" + ch, Access.RW)
                    .bit(5, "ENVREF" + ch, Access.RW, true).field(6, 3, "TC" + ch, Access.RW, 2)
                    .bit(17, "AEM" + ch, Access.RW).bit(18, "APM" + ch, Access.RW)
                    .bit(19, "BHPFV" + ch, Access.RW).bit(20, "BHPFC" + ch, Access.RW)
                    .bit(21, "ROC" + ch, Access.RW).bit(22, "BLPFV" + ch, Access.RW)
                    .bit(23, "BLPFC" + ch, Access.RW).field(24, 4, "LPW" + ch, Access.RW, 4)
                    .field(28, 2, "LPS" + ch, Access.RW, ch == 1 ? 0 : 2).field(30, 2, "LCS" + ch, Access.RW);
        }
        bank.define(DSP_CR3, "DSP_CR3", 0).field(0, 14, "SAG_TIME_THR", Access.RW, 0x4E0)
                .field(14, 2, "ZCR_SEL", Access.RW).bit(16, "ZCR_EN", Access.RW).field(17, 2, "TMP_TOL", Access.RW)
                .bit(19, "TMP_EN", Access.RW).bit(20, "SW_Reset", Access.RW).bit(21, "SW_Latch1", Access.RW)
                .bit(22, "SW_Latch2", Access.RW).bit(23, "SW_Auto_Latch", Access.RW)
                .bit(24, "LED_OFF1", Access.RW).bit(25, "LED_OFF2", Access.RW).bit(26, "EN_CUM", Access.RW)
                .bit(27, "REF_FREQ", Access.RW);
        bank.define(DSP_CR4, "DSP_CR4", 0).field(0, 10, "PHC2", Access.RW).field(10, 2, "PHV2", Access.RW)
                .field(12, 10, "PHC1", Access.RW).field(22, 2, "PHV1", Access.RW);
        for (int ch = 1; ch <= 2; ch++) {
            // calibration at 0x800 (x0.875) and swell thresholds at their maximum
            bank.define(ch == 1 ? DSP_CR5 : DSP_CR7, "DSP_CR" + (ch == 1 ? 5 : 7), 0)
                    .field(0, 12, "CHV" + ch, Access.RW, 0x800).field(12, 10, "SWV_THR" + ch, Access.RW, 0x3FF)
                    .field(22, 10, "SAG_THR" + ch, Access.RW);
            bank.define(ch == 1 ? DSP_CR6 : DSP_CR8, "DSP_CR" + (ch == 1 ? 6 : 8), 0)
                    .field(0, 12, "CHC" + ch, Access.RW, 0x800).field(12, 10, "SWC_THR" + ch, Access.RW, 0x3FF);
            bank.define(ch == 1 ? DSP_CR9 : DSP_CR11, "DSP_CR" + (ch == 1 ? 9 : 11), 0)
                    .field(0, 12, "AH_UP" + ch, Access.RW, 0xFFF).field(12, 10, "OFA" + ch, Access.RW)
                    .field(22, 10, "OFAF" + ch, Access.RW);
            bank.define(ch == 1 ? DSP_CR10 : DSP_CR12, "DSP_CR" + (ch == 1 ? 10 : 12), 0)
                    .field(0, 12, "AH_DOWN" + ch, Access.RW, 0xFFF).field(12, 10, "OFR" + ch, Access.RW)
                    .field(22, 10, "OFS" + ch, Access.RW);
            // the drivers name ENV, ENC and GAIN; the rest of the reset value is kept writable, unnamed
            bank.define(ch == 1 ? DFE_CR1 : DFE_CR2, "DFE_CR" + ch, ch == 1 ? 0x0F270327 : 0x03270327)
                    .bit(0, "ENV" + ch, Access.RW).field(1, 15, "DFE_CR" + ch + "[15:1]", Access.RW)
                    .bit(16, "ENC" + ch, Access.RW).field(17, 9, "DFE_CR" + ch + "[25:17]", Access.RW)
                    .field(26, 2, "GAIN" + ch, Access.RW).field(28, 4, "DFE_CR" + ch + "[31:28]", Access.RW);
            // interrupt masks, one per DSP_SRx status bit; status bits are cleared by writing 1
            bank.define(ch == 1 ? DSP_IRQ1 : DSP_IRQ2, "DSP_IRQ" + ch, 0).field(0, 32, "masks", Access.RW);
            bank.define(ch == 1 ? DSP_SR1 : DSP_SR2, "DSP_SR" + ch, 0).field(0, 32, "status", Access.RC_W1);
        }
        // NOISE_EN, BREAK_ON_ERR, LSB_FIRST and FRAME_DELAY are stored but not modelled
        bank.define(US_REG1, "US_REG1", 0).field(0, 8, "CRC_POLY", Access.RW, 0x07)
                .tagged(8, 1, "NOISE_EN").tagged(9, 1, "BREAK_ON_ERR").bit(14, "CRC_EN", Access.RW, true)
                .tagged(15, 1, "LSB_FIRST").field(16, 8, "TIME_OUT", Access.RW);
        bank.define(US_REG2, "US_REG2", 0).field(0, 16, "BAUD", Access.RW, 0x683).tagged(16, 8, "FRAME_DELAY");
        bank.define(US_REG3, "US_REG3", 0).field(1, 6, "UART_IRQ_MASK", Access.RW)
                .field(10, 5, "SPI_IRQ_MASK", Access.RW).field(16, 7, "UART_STATUS", Access.RC_W1)
                .field(24, 7, "SPI_STATUS", Access.RC_W1);
        // data registers: the DSP writes them at a latch; frames cannot
        String[] data = {"DSP_EV1", "DSP_EV2"};
        for (int i = 0; i < data.length; i++) {
            readOnly(bank, DSP_EV1 + i, data[i]);
        }
        for (int i = 1; i <= 19; i++) {
            readOnly(bank, DSP_REG1 + i - 1, "DSP_REG" + i);
        }
        for (int i = 1; i <= 12; i++) {
            readOnly(bank, PH1_REG1 + i - 1, "PH1_REG" + i);
            readOnly(bank, PH2_REG1 + i - 1, "PH2_REG" + i);
        }
        for (int i = 1; i <= 4; i++) {
            readOnly(bank, TOT_REG1 + i - 1, "TOT_REG" + i);
        }
        return bank;
    }

    private static void readOnly(RegisterBank bank, int register, String name) {
        bank.define(register, name, 0).field(0, 32, name, Access.R);
    }

    /** The declared map the static queries answer from (its values are never changed). */
    private static final RegisterBank MAP = declare(new RegisterBank(COUNT, new LogOnce("STPM34 map")));
    private static final int[] RESET = MAP.values().clone();

    /** The bits of a register that writes can change (0 for the read-only data registers). */
    public static int writeMask(int register) {
        return MAP.register(register).writeMask();
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

    public static String name(int register) {
        return MAP.register(register).name();
    }

    /** A register's declaration (its fields and their access). */
    public static Register declaration(int register) {
        return MAP.register(register);
    }
}
