package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.junit.jupiter.api.Test;

/**
 * Compiled regions (a block that loops to itself, blocks that branch to each other inside one compiled
 * method) stop where the interpreter stops: same registers, flags, instruction and cycle counts after every
 * budget, with SysTick interrupts arriving inside the loops.
 */
class CompiledRegionTest {
    private static final int SYST_CSR = 0xE000E010, SYST_RVR = 0xE000E014, SYST_CVR = 0xE000E018;

    private static CortexM4 board(boolean compiled) throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        SystemBus bus = board.bus();
        CortexM4 cpu = board.cpu();
        bus.write32(0x00, 0x20001000);       // initial SP
        bus.write32(0x04, 0x41);             // reset: 0x40, Thumb
        bus.write32(15 * 4, 0x61);           // SysTick handler: 0x60
        int[] code = {
            0x2000,                          // 40: movs r0, #0
            0x21C8,                          // 42: movs r1, #200
            0x1840,                          // 44: adds r0, r0, r1     a block that loops to itself
            0x3901,                          // 46: subs r1, #1
            0xD1FC,                          // 48: bne 44
            0x21C8,                          // 4a: movs r1, #200
            0x3203,                          // 4c: adds r2, #3         two blocks that loop through each other
            0x3901,                          // 4e: subs r1, #1
            0xD001,                          // 50: beq 56
            0x3301,                          // 52: adds r3, #1
            0xE7FA,                          // 54: b 4c
            0xF000, 0xF80B,                  // 56: bl 70               a call into the region
            0xE7F1,                          // 5a: b 40
        };
        for (int i = 0; i < code.length; i++) {
            bus.write16(0x40 + 2 * i, code[i]);
        }
        bus.write16(0x60, 0x3401);           // adds r4, #1
        bus.write16(0x62, 0x4770);           // bx lr
        bus.write16(0x70, 0x3501);           // 70: adds r5, #1
        bus.write16(0x72, 0x4770);           // 72: bx lr
        cpu.reset();
        cpu.setBlockCompilation(compiled);
        bus.write32(SYST_RVR, 996);
        bus.write32(SYST_CVR, 0);
        bus.write32(SYST_CSR, 7);            // an interrupt every 997 cycles
        return cpu;
    }

    @Test
    void regionsStopWhereTheInterpreterStops() throws Exception {
        CortexM4 compiled = board(true), interpreted = board(false);
        CoreState.runInStep(compiled, interpreted, 3000, 101);
        assertThat(compiled.reg(4)).as("SysTick interrupts taken").isGreaterThan(100);
        assertThat(compiled.reg(5)).as("calls made").isGreaterThan(5);
    }

    @Test
    void aLoopThatRunsCompiledAddsUpExactly() throws Exception {
        CortexM4 cpu = board(true);
        int calls = -1;
        for (int outer = 0; outer < 20; outer++) { // the first passes run interpreted, the later ones compiled
            while (cpu.reg(15) != 0x44) {
                cpu.run(50);
            }
            while (cpu.reg(15) < 0x4a || cpu.reg(15) >= 0x56) {
                cpu.run(50);
            }
            assertThat(cpu.reg(0)).as("pass %d", outer).isEqualTo(200 * 201 / 2);
            assertThat(cpu.reg(5)).as("one call per pass").isGreaterThan(calls);
            calls = cpu.reg(5);
        }
    }
}
