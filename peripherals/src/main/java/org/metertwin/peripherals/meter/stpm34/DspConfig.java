package org.metertwin.peripherals.meter.stpm34;

/**
 * The analog front end settings of one channel (1 or 2) as the configuration registers give them. Field
 * positions follow the STPM3x register map (DS10272 section "Registers"; the same masks in ST's metrology
 * firmware and the open drivers, docs/meter-devices.md ("STPM34 analog front end")).
 */
final class DspConfig {
    /** Voltage channel gain Av: fixed at 2 (DS10272, the LSB formulas' Av). */
    static final double AV = 2;
    /** VREF per DSP_CRx TC[8:6] code: ST's metrology firmware, Metro_Set_Temperature_Compensation. */
    private static final double[] VREF_BY_TC = {1.16, 1.20, 1.18, 1.22, 1.17, 1.21, 1.19, 1.225};
    /** Phase compensation steps (unverified, see the doc): PHC delays the current, PHV the voltage. */
    static final double PHC_STEP_SECONDS = 1e-6, PHV_STEP_SECONDS = 8e-6;

    double vref;
    double ai;
    double calV;
    double calI;
    boolean voltageOn;
    boolean currentOn;
    /** High-pass (DC removal) filters on: BHPFVx/BHPFCx = 0. */
    boolean hpfV;
    boolean hpfC;
    /** APMx: apparent energy from the vectorial (1) or the RMS (0) apparent power. */
    boolean vectorialApparent;
    double delayV;
    double delayC;

    /** Reads channel {@code ch}'s settings from the register array (indexed as {@link Stpm34Map}). */
    void read(int[] r, int ch) {
        int cr = r[ch == 1 ? Stpm34Map.DSP_CR1 : Stpm34Map.DSP_CR2];
        int dfe = r[ch == 1 ? Stpm34Map.DFE_CR1 : Stpm34Map.DFE_CR2];
        int crV = r[ch == 1 ? Stpm34Map.DSP_CR5 : Stpm34Map.DSP_CR7];
        int crC = r[ch == 1 ? Stpm34Map.DSP_CR6 : Stpm34Map.DSP_CR8];
        int cr4 = r[Stpm34Map.DSP_CR4];
        vref = VREF_BY_TC[(cr >>> 6) & 7];
        vectorialApparent = (cr & (1 << 18)) != 0;
        hpfV = (cr & (1 << 19)) == 0;
        hpfC = (cr & (1 << 20)) == 0;
        // DFE_CRx: ENV b0, ENC b16, GAIN[27:26] = x2, x4, x8, x16.
        voltageOn = (dfe & 1) != 0;
        currentOn = (dfe & (1 << 16)) != 0;
        ai = 2 << ((dfe >>> 26) & 3);
        calV = calibration(crV & 0xFFF);
        calI = calibration(crC & 0xFFF);
        int phc = ch == 1 ? (cr4 >>> 12) & 0x3FF : cr4 & 0x3FF;
        int phv = ch == 1 ? (cr4 >>> 22) & 3 : (cr4 >>> 10) & 3;
        delayC = phc * PHC_STEP_SECONDS;
        delayV = phv * PHV_STEP_SECONDS;
    }

    /** CHVx/CHCx: cal = 0.75 + 0.25·CH/4096, 0.875 at the reset value 0x800 (doc: [recall], see there). */
    static double calibration(int ch) {
        return 0.75 + 0.25 * ch / 4096.0;
    }
}
