package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;

/**
 * IT blocks inside basic blocks, interpreted and compiled: the block builder puts an IT instruction and its
 * whole body in the block, and the compiler guards each body instruction by the condition the IT state
 * gives it. Both must stop where the single-stepping interpreter would: same registers, flags, instruction
 * and cycle counts after every budget, with SysTick interrupts arriving between blocks, a load that faults
 * inside an IT body (the HardFault handler sees the IT state of the faulting instruction in the stacked
 * xPSR, ARMv7-M ARM B1.5.6) and a branch made conditional by IT as the last instruction of a block.
 */
class CompiledItBlockTest {
    private static final int SYST_CSR = 0xE000E010, SYST_RVR = 0xE000E014, SYST_CVR = 0xE000E018;

    private static CortexM4 board(boolean compiled) throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        SystemBus bus = board.bus();
        CortexM4 cpu = board.cpu();
        bus.write32(0x00, 0x20001000);       // initial SP
        bus.write32(0x04, 0x41);             // reset: 0x40, Thumb
        bus.write32(3 * 4, 0x81);            // HardFault: 0x80
        bus.write32(15 * 4, 0x91);           // SysTick: 0x90
        int[] code = {
            0x2320,                          // 40: movs r3, #0x20
            0x061B,                          // 42: lsls r3, r3, #24      r3 = 0x20000000 (RAM)
            0x2260,                          // 44: movs r2, #0x60
            0x0612,                          // 46: lsls r2, r2, #24      r2 = 0x60000000 (nothing there)
            0x2164,                          // 48: movs r1, #100
            0x2000,                          // 4a: movs r0, #0
            0x07CC,                          // 4c: lsls r4, r1, #31      N = bit 0 of r1
            0xBF44,                          // 4e: itt mi
            0x3003,                          // 50: addmi r0, #3          (no flags inside IT)
            0x6019,                          // 52: strmi r1, [r3]
            0x078C,                          // 54: lsls r4, r1, #30      N = bit 1 of r1
            0xBF4C,                          // 56: ite mi
            0x6815,                          // 58: ldrmi r5, [r2]        a bus fault, inside the IT block
            0x3001,                          // 5a: addpl r0, #1
            0x3901,                          // 5c: subs r1, #1
            0xBF18,                          // 5e: it ne
            0xE7F4,                          // 60: b(ne) 4c              a branch IT makes conditional
            0xE7F1,                          // 62: b 48
        };
        for (int i = 0; i < code.length; i++) {
            bus.write16(0x40 + 2 * i, code[i]);
        }
        int[] hardFault = {
            0x9F07,                          // 80: ldr r7, [sp, #28]     the stacked xPSR
            0x9D06,                          // 82: ldr r5, [sp, #24]
            0x3502,                          // 84: adds r5, #2
            0x9506,                          // 86: str r5, [sp, #24]     return past the load
            0x2501,                          // 88: movs r5, #1
            0x062D,                          // 8a: lsls r5, r5, #24
            0x9507,                          // 8c: str r5, [sp, #28]     xPSR = T: out of the IT block, flags 0
            0x4770,                          // 8e: bx lr
            0x3601,                          // 90: adds r6, #1           SysTick: count
            0x4770,                          // 92: bx lr
        };
        for (int i = 0; i < hardFault.length; i++) {
            bus.write16(0x80 + 2 * i, hardFault[i]);
        }
        cpu.reset();
        cpu.setBlockCompilation(compiled);
        cpu.setCompileThreshold(2);
        bus.write32(SYST_RVR, 311);
        bus.write32(SYST_CVR, 0);
        bus.write32(SYST_CSR, 7);            // an interrupt every 312 cycles
        return cpu;
    }

    @Test
    void itBlocksInsideBlocksStopWhereTheInterpreterStops() throws Exception {
        CortexM4 compiled = board(true), interpreted = board(false);
        CoreState.runInStep(compiled, interpreted, 4000, 53);
        assertThat(compiled.reg(6)).as("SysTick interrupts taken").isGreaterThan(50);
        // ite mi = IT 0x4C: IT[7:2] = 0b010011 in xPSR[15:10], IT[1:0] = 0 in xPSR[26:25]
        assertThat(compiled.reg(7) >>> 10 & 0x3F).as("stacked IT state of the faulting load").isEqualTo(0x13);
        assertThat(compiled.reg(7) >>> 25 & 3).isZero();
    }

    @Test
    void aLoopWithItBlocksAddsUpExactlyWhenCompiled() throws Exception {
        CortexM4 cpu = board(true);
        int expected = 0; // per value of r1 (100..1): +3 when odd; +1 from the ADD after the load either way:
        for (int r1 = 100; r1 >= 1; r1--) { // when bit 1 is set the load faults and the handler leaves the IT
            expected += ((r1 & 1) != 0 ? 3 : 0) + 1; // block, so the ADD runs outside it; else it runs as PL
        }
        for (int pass = 0; pass < 10; pass++) {
            cpu.run(20_000); // compiled, passes of the loop with interrupts in them
            while (cpu.reg(15) != 0x62) { // then one instruction at a time to the end of a pass
                cpu.run(1);
            }
            assertThat(cpu.reg(0)).as("pass %d", pass).isEqualTo(expected);
        }
    }
}
