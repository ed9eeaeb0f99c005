package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;

/**
 * A 16-bit data-processing instruction means ADDS outside an IT block and ADD (no flags) inside one
 * (ARMv7-M ARM A7.3.3, "setflags = !InITBlock()"). The per-address decode cache must not hand the one
 * decode to the other when the same address is reached both ways.
 */
class DecodeCacheItStateTest {
    @Test
    void anInstructionReachedInsideAndOutsideAnItBlockSetsFlagsOnlyOutside() throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        SystemBus bus = board.bus();
        CortexM4 cpu = board.cpu();
        bus.write32(0x00, 0x20001000);
        bus.write32(0x04, 0x41);
        int[] code = {
            0x2000,     // 40: movs r0, #0
            0x1E41,     // 42: subs r1, r0, #1     r1 = -1
            0x2800,     // 44: cmp r0, #0          Z = 1
            0xBF08,     // 46: it eq
            0x3101,     // 48: add(eq) r1, #1      inside the IT block: r1 = 0, flags kept
            0x3901,     // 4a: subs r1, #1         r1 = -1: N = 1, Z = 0
            0xE7FC,     // 4c: b 48                now outside an IT block: adds r1, #1
        };
        for (int i = 0; i < code.length; i++) {
            bus.write16(0x40 + 2 * i, code[i]);
        }
        cpu.reset();
        // one cycle at a time: every instruction runs from the per-address decode cache
        for (int i = 0; i < 5; i++) {
            cpu.run(1);
        }
        assertThat(cpu.reg(15)).isEqualTo(0x4a);
        assertThat(cpu.reg(1)).isZero();
        assertThat(cpu.apsr() >>> 30 & 1).as("Z kept from the CMP inside the IT block").isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            cpu.run(1);
        }
        assertThat(cpu.reg(15)).isEqualTo(0x4a);
        assertThat(cpu.reg(1)).isZero();
        assertThat(cpu.apsr() >>> 28).as("NZCV after ADDS r1, #1 with r1 = -1: Z and C").isEqualTo(0b0110);
    }
}
