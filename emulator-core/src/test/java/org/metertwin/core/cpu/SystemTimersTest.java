package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SysTick and DWT CYCCNT against the core's cycle counter (ARMv7-M ARM B3.3, C1.8). */
class SystemTimersTest {
    private static final int DEMCR = 0xE000EDFC, DWT_CTRL = 0xE0001000, DWT_CYCCNT = 0xE0001004;
    private static final int SYST_CSR = 0xE000E010, SYST_RVR = 0xE000E014, SYST_CVR = 0xE000E018;

    private SystemBus bus;
    private CortexM4 cpu;

    @BeforeEach
    void board() throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        bus = board.bus();
        cpu = board.cpu();
        bus.write32(0x00, 0x20001000);          // initial SP
        bus.write32(0x04, 0x41);                // reset: 0x40, Thumb
        bus.write32(15 * 4, 0x61);              // SysTick handler: 0x60
        bus.write16(0x40, 0xE7FE);              // b .
        bus.write16(0x60, 0x3401);              // adds r4, #1
        bus.write16(0x62, 0x4770);              // bx lr
        cpu.reset();
    }

    @Test
    void cyccntCountsCoreCyclesOnlyWhileEnabled() {
        assertThat(bus.read32(DWT_CTRL) >>> 28).as("NUMCOMP").isEqualTo(4);
        bus.write32(DWT_CTRL, 1); // CYCCNTENA without DEMCR.TRCENA: does not count
        cpu.run(1000);
        assertThat(bus.read32(DWT_CYCCNT)).isZero();
        bus.write32(DEMCR, 1 << 24);
        long c0 = cpu.cycles();
        cpu.run(3000);
        assertThat(bus.read32(DWT_CYCCNT)).isEqualTo((int) (cpu.cycles() - c0));
        bus.write32(DWT_CTRL, 0);
        int held = bus.read32(DWT_CYCCNT);
        cpu.run(500);
        assertThat(bus.read32(DWT_CYCCNT)).isEqualTo(held);
        bus.write32(DWT_CYCCNT, 7);
        assertThat(bus.read32(DWT_CYCCNT)).isEqualTo(7);
    }

    @Test
    void sysTickInterruptsEveryReloadPlusOneCycles() {
        bus.write32(SYST_RVR, 999);
        bus.write32(SYST_CVR, 0);
        bus.write32(SYST_CSR, 7); // ENABLE, TICKINT, CLKSOURCE = core clock
        long start = cpu.cycles();
        while (cpu.cycles() - start < 100_500) {
            cpu.run(100_500 - (cpu.cycles() - start));
        }
        // the first wrap comes after RVR+1 cycles, then one every RVR+1 cycles
        assertThat(cpu.reg(4)).isEqualTo(100);
        int csr = bus.read32(SYST_CSR);
        assertThat(csr & (1 << 16)).as("COUNTFLAG set since the last read").isNotZero();
        assertThat(bus.read32(SYST_CSR) & (1 << 16)).as("COUNTFLAG clears on read").isZero();
    }

    @Test
    void sysTickValueCountsDownFromReload() {
        bus.write32(SYST_RVR, 0xFFFFFF);
        bus.write32(SYST_CVR, 0);
        bus.write32(SYST_CSR, 5); // ENABLE, core clock, no interrupt
        assertThat(bus.read32(SYST_CVR)).as("zero until the first tick loads RVR").isZero();
        cpu.run(100);
        int v0 = bus.read32(SYST_CVR);
        long c0 = cpu.cycles();
        cpu.run(3000);
        int v1 = bus.read32(SYST_CVR);
        assertThat(v0 - v1).isEqualTo((int) (cpu.cycles() - c0));
    }
}
