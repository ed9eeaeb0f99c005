package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.junit.jupiter.api.Test;

/**
 * The bus's direct window (the RAM the reset stack pointer is in, reached by the core's loads and stores as
 * one array): which memory it is, and that it steps aside where the page tables' path must see an access:
 * stores into RAM that code ran from, watched pages, and the MPU's checks.
 */
class DirectWindowTest {
    private static final int RAM = 0x20000000;

    private static Board board() throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        board.bus().write32(0x00, RAM + 0x1000); // initial SP, in ssram23
        board.bus().write32(0x04, RAM + 0x101);  // reset: the program in RAM below
        return board;
    }

    @Test
    void theWindowIsTheStacksMemoryNotTheLargestMapping() throws Exception {
        Board board = board();
        board.cpu().reset();
        SystemBus bus = board.bus();
        assertThat(bus.directBase()).isEqualTo(RAM); // psram (16 MiB) is larger than ssram23 (4 MiB)
        assertThat(bus.directReadSize()).isEqualTo(4 << 20);
        assertThat(bus.directWriteSize()).isEqualTo(4 << 20);
        bus.watchPage(RAM + 0x2000);
        assertThat(bus.directReadSize()).as("off while a page is watched").isZero();
        assertThat(bus.directWriteSize()).isZero();
        bus.unwatchAll();
        assertThat(bus.directReadSize()).isEqualTo(4 << 20);
    }

    /**
     * A loop in RAM runs often enough to be compiled, then the program patches the loop's first instruction
     * with a store and runs the loop again: the second pass must run the new instruction (the store reaches
     * the code-write listener, which the window would skip).
     */
    @Test
    void aStoreIntoRamCodeThatRanCompiledChangesWhatRuns() throws Exception {
        Board board = board();
        SystemBus bus = board.bus();
        int[] code = {
            0x2000, // 100: movs r0, #0
            0x21C8, // 102: movs r1, #200
            0x3001, // 104: adds r0, #1      patched to adds r0, #2 by the store at 10a
            0x3901, // 106: subs r1, #1
            0xD1FC, // 108: bne 104
            0x8013, // 10a: strh r3, [r2]
            0x3401, // 10c: adds r4, #1
            0x2C02, // 10e: cmp r4, #2
            0xD1F7, // 110: bne 102
            0xE7FE, // 112: b 112
        };
        for (int i = 0; i < code.length; i++) {
            bus.write16(RAM + 0x100 + 2 * i, code[i]);
        }
        CortexM4 cpu = board.cpu();
        cpu.reset();
        assertThat(bus.directWriteSize()).as("no code has run from RAM yet").isEqualTo(4 << 20);
        cpu.setReg(2, RAM + 0x104);
        cpu.setReg(3, 0x3002);
        cpu.run(100_000);
        assertThat(cpu.reg(15)).isEqualTo(RAM + 0x112);
        assertThat(cpu.reg(0)).as("200 passes adding 1, then 200 adding 2").isEqualTo(600);
        assertThat(bus.read16(RAM + 0x104)).isEqualTo(0x3002);
        assertThat(bus.directWriteSize()).as("stores into code go the page tables' way").isZero();
        assertThat(bus.directReadSize()).isEqualTo(4 << 20);
    }
}
