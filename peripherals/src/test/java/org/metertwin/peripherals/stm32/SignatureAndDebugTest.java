package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.ResetCause;

class SignatureAndDebugTest {
    @Test
    void uniqueIdAndFlashSize() throws Exception {
        SysMachine m = new SysMachine();
        assertThat(m.read(0x1FFF7A10)).isEqualTo(0x00380024);
        assertThat(m.read(0x1FFF7A14)).isEqualTo(0x3235470B);
        assertThat(m.read(0x1FFF7A18)).isEqualTo(0x33383339);
        assertThat(m.bus.read16(0x1FFF7A22)).as("F_SIZE: 1024 KiB").isEqualTo(0x0400);
        assertThat(m.bus.read8(0x1FFF7A12)).isEqualTo(0x38);
        assertThat(UniqueId.parse("0x0102030405060708090A0B0C")).containsExactly(0x090A0B0C, 0x05060708, 0x01020304);
    }

    @Test
    void dbgmcuIdCodeAndConfigurationKeptAcrossSystemResets() throws Exception {
        SysMachine m = new SysMachine();
        assertThat(m.read(0xE0042000)).isEqualTo(0x1007_0413);
        m.write(0xE0042004, 0x7);
        m.write(0xE0042008, 1 << 12 | 1 << 11 | 1);
        m.write(0xE004200C, 1 << 16);
        m.board.requestReset(ResetCause.SOFTWARE);
        m.run(1_000);
        assertThat(m.read(0xE0042004)).isEqualTo(7);
        assertThat(m.read(0xE0042008)).isEqualTo(0x1801);
        assertThat(m.read(0xE004200C)).isEqualTo(1 << 16);
        m.board.reset(ResetCause.POWER_ON);
        assertThat(m.read(0xE0042004)).isZero();
        assertThat(m.read(0xE0042008)).isZero();
    }
}
