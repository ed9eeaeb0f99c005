package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;

/**
 * Garbage in, architecture out: random bytes as code, vector table included, must only ever end in
 * architectural outcomes (faults, lockup, sleep, budget), never in a Java exception escaping the core.
 * Runs with and without the bytecode compiler, and the two must agree on every count.
 */
class RandomCodeRobustnessTest {
    private static final int CODE_BYTES = 16 * 1024;

    private static long[] runRandomImage(long seed, boolean compile) throws Exception {
        Board board = Board.builtIn("mps2-an386", OutputStream.nullOutputStream());
        SystemBus bus = board.bus();
        CortexM4 cpu = board.cpu();
        cpu.setBlockCompilation(compile);
        Random random = new Random(seed);
        byte[] code = new byte[CODE_BYTES];
        random.nextBytes(code);
        bus.load(0, code, 0, code.length);
        bus.write32(0, 0x20010000); // a usable stack; the rest of the vector table stays random
        bus.write32(4, (random.nextInt(CODE_BYTES / 2) * 2) | 1);
        // some handlers inside the random code so that faults run more random code
        for (int e = 2; e < 16; e++) {
            if (random.nextBoolean()) {
                bus.write32(4 * e, (random.nextInt(CODE_BYTES / 2) * 2) | 1);
            }
        }
        cpu.reset();
        long resets = 0;
        for (int slice = 0; slice < 40; slice++) {
            StopReason r = cpu.run(5_000);
            if (r == StopReason.LOCKUP || r == StopReason.SLEEPING) {
                resets++;
                cpu.reset();
            }
        }
        return new long[] {cpu.instructions(), cpu.cycles(), resets, cpu.reg(15)};
    }

    @Test
    void randomImagesNeverThrowAndBothEnginesAgree() throws Exception {
        long total = 0;
        for (long seed = 1; seed <= 150; seed++) {
            long[] compiled = runRandomImage(seed, true);
            long[] interpreted = runRandomImage(seed, false);
            assertThat(compiled).as("seed %d: instructions, cycles, resets, pc", seed).containsExactly(interpreted);
            total += compiled[0];
        }
        assertThat(total).as("instructions executed over all seeds").isGreaterThan(100_000);
    }
}
