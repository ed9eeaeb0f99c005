package org.metertwin.peripherals.meter.stpm34;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.registers.LogOnce;
import org.metertwin.core.registers.RegisterBank;

/** The declared map gives the reset values and write masks the parallel tables gave before it. */
class Stpm34MapTest {
    @Test
    void resetValuesAndWriteMasksAsTheTablesHadThem() {
        int[] reset = new int[Stpm34Map.COUNT];
        reset[Stpm34Map.DSP_CR1] = 0x040000A0;
        reset[Stpm34Map.DSP_CR2] = 0x240000A0;
        reset[Stpm34Map.DSP_CR3] = 0x000004E0;
        for (int r = Stpm34Map.DSP_CR5; r <= Stpm34Map.DSP_CR8; r++) {
            reset[r] = 0x003FF800;
        }
        for (int r = Stpm34Map.DSP_CR9; r <= Stpm34Map.DSP_CR12; r++) {
            reset[r] = 0x00000FFF;
        }
        reset[Stpm34Map.DFE_CR1] = 0x0F270327;
        reset[Stpm34Map.DFE_CR2] = 0x03270327;
        reset[Stpm34Map.US_REG1] = 0x00004007;
        reset[Stpm34Map.US_REG2] = 0x00000683;
        int[] mask = new int[Stpm34Map.COUNT];
        java.util.Arrays.fill(mask, 0, Stpm34Map.FIRST_DATA, 0xFFFFFFFF);
        mask[Stpm34Map.DSP_CR1] = 0xFFFE01FF;
        mask[Stpm34Map.DSP_CR2] = 0xFFFE01FF;
        mask[Stpm34Map.DSP_CR3] = 0x0FFFFFFF;
        mask[Stpm34Map.DSP_CR4] = 0x00FFFFFF;
        mask[Stpm34Map.DSP_CR6] = 0x003FFFFF;
        mask[Stpm34Map.DSP_CR8] = 0x003FFFFF;
        mask[Stpm34Map.US_REG1] = 0x00FFC3FF;
        mask[Stpm34Map.US_REG2] = 0x00FFFFFF;
        mask[Stpm34Map.US_REG3] = 0x7F7F7C7E;
        int[] regs = new int[Stpm34Map.COUNT];
        Stpm34Map.resetAll(regs);
        for (int r = 0; r < Stpm34Map.COUNT; r++) {
            assertThat(Stpm34Map.resetValue(r)).as(Stpm34Map.name(r)).isEqualTo(reset[r]);
            assertThat(regs[r]).as(Stpm34Map.name(r)).isEqualTo(reset[r]);
            assertThat(Stpm34Map.writeMask(r)).as(Stpm34Map.name(r)).isEqualTo(mask[r]);
        }
        assertThat(Stpm34Map.name(Stpm34Map.PH2_REG1 + 11)).isEqualTo("PH2_REG12");
        assertThat(Stpm34Map.declaration(Stpm34Map.DSP_CR3).fieldNames()).contains("SW_Reset", "ZCR_EN");
    }

    @Test
    void rowWritesApplyTheFieldsAccessToTheirHalf() {
        LogOnce log = new LogOnce("test");
        RegisterBank bank = Stpm34Map.declare(new RegisterBank(Stpm34Map.COUNT, log));
        int[] v = bank.values();
        v[Stpm34Map.US_REG3] = 0x7F7F_0000;
        bank.writeRow(Stpm34Map.row(Stpm34Map.US_REG3) + 1, 0x0102); // clears status bits 17 and 24
        bank.writeRow(Stpm34Map.row(Stpm34Map.US_REG3), 0xFFFF); // sets every mask bit
        assertThat(v[Stpm34Map.US_REG3]).isEqualTo(0x7E7D_7C7E);
        bank.writeRow(Stpm34Map.row(Stpm34Map.DSP_CR1) + 1, 0xFFFF); // bit 16 is not writable
        assertThat(v[Stpm34Map.DSP_CR1]).isEqualTo(0xFFFE_00A0);
        assertThat(bank.readRow(Stpm34Map.row(Stpm34Map.DSP_CR1) + 1)).isEqualTo(0xFFFE);
        bank.writeRow(Stpm34Map.row(Stpm34Map.US_REG2) + 1, 0x0005);
        assertThat(log.logged()).contains("US_REG2.FRAME_DELAY is stored but not modelled");
        bank.reset();
        assertThat(v[Stpm34Map.DSP_CR1]).isEqualTo(0x040000A0);
    }
}
