package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.devices.CmsdkUart;
import org.metertwin.core.machine.Board;
import org.junit.jupiter.api.Test;

/**
 * Replays a fixed pseudo-random sequence of 8-, 16- and 32-bit reads, peeks and writes over the whole
 * System Control Space (MPU included) and a CMSDK UART, interleaved with short runs, and compares a digest
 * of everything read with the digest the hand-written register switches gave before the port to the
 * register model: the port must not change what any access returns or does. With SCS_TRACE=file set, each
 * step and its result are written there, to find the first difference.
 */
class ScsRegisterReplayTest {
    private static final int SCS = 0xE000E000, UART = 0x40004000;
    /** Recorded from the pre-port implementation (commit f611434). */
    private static final long DIGEST_WITH_FPU = -8394018132524277744L,
            DIGEST_WITHOUT_FPU = -4074374347673189916L;

    private static final StringBuilder TRACE = System.getenv("SCS_TRACE") != null ? new StringBuilder() : null;

    @Test
    void accessesGiveWhatTheyGaveBeforeThePort() throws Exception {
        long with = replay(true);
        long without = replay(false);
        if (TRACE != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getenv("SCS_TRACE")), TRACE);
        }
        assertThat(with).isEqualTo(DIGEST_WITH_FPU);
        assertThat(without).isEqualTo(DIGEST_WITHOUT_FPU);
    }

    private static long replay(boolean fpu) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Board board = Board.builtIn("mps2-an386", console);
        SystemBus bus = board.bus();
        CortexM4 cpu = board.cpu();
        cpu.systemControlSpace().setFpuPresent(fpu);
        bus.write32(0x00, 0x20001000);
        bus.write32(0x04, 0x41);
        for (int e = 2; e < 64; e++) {
            bus.write32(4 * e, 0x61); // every handler: adds r4, #1; bx lr
        }
        bus.write16(0x40, 0xE7FE);
        bus.write16(0x60, 0x3401);
        bus.write16(0x62, 0x4770);
        cpu.reset();
        CmsdkUart uart = board.devicesOf(CmsdkUart.class).get(0);
        int[] hot = {0x004, 0x008, 0x010, 0x014, 0x018, 0x01C, 0x100, 0x104, 0x180, 0x200, 0x280, 0x300, 0x400,
            0x404, 0x410, 0x450, 0x4EC, 0xD00, 0xD04, 0xD08, 0xD0C, 0xD10, 0xD14, 0xD18, 0xD1C, 0xD20, 0xD24,
            0xD28, 0xD2C, 0xD30, 0xD34, 0xD38, 0xD3C, 0xD40, 0xD60, 0xD88, 0xD90, 0xD94, 0xD98, 0xD9C, 0xDA0,
            0xDA4, 0xDA8, 0xDAC, 0xDB0, 0xDB4, 0xDB8, 0xDF0, 0xDFC, 0xF00, 0xF34, 0xF38, 0xF3C, 0xF40, 0xF44,
            0xFD0, 0xFE0};
        Random random = new Random(14);
        long digest = 1;
        for (int step = 0; step < 40_000; step++) {
            boolean toUart = random.nextInt(8) == 0;
            int offset = toUart ? 4 * random.nextInt(6) + (random.nextInt(16) == 0 ? 0xFD0 : 0)
                    : random.nextInt(3) == 0 ? 4 * random.nextInt(0x400) : hot[random.nextInt(hot.length)];
            int size = 1 << random.nextInt(3);
            offset += random.nextInt(4) & -size & 3;
            int addr = (toUart ? UART : SCS) + offset;
            int value = random.nextInt(4) == 0 ? -1 : random.nextInt(3) == 0 ? 0x05FA0000 | random.nextInt(0x800)
                    : random.nextInt();
            if (addr == SCS + 0xD0C && (value & 4) != 0) {
                value &= ~4; // a reset request would leave the sequence
            }
            int got;
            try {
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 -> got = read(bus, addr, size);
                    case 4 -> got = peek(bus, addr, size);
                    case 5 -> {
                        uart.receive(value);
                        got = 1;
                    }
                    case 6 -> {
                        cpu.run(40);
                        got = cpu.state.r[4] ^ cpu.state.ipsr;
                    }
                    default -> {
                        write(bus, addr, size, value);
                        got = 2;
                    }
                }
            } catch (BusFault | CpuFault f) {
                got = 3;
            }
            digest = digest * 31 + got;
            if (TRACE != null) {
                TRACE.append(fpu).append(' ').append(step).append(' ').append(Integer.toHexString(addr)).append(' ')
                        .append(size).append(' ').append(Integer.toHexString(value)).append(" -> ")
                        .append(Integer.toHexString(got)).append('\n');
            }
        }
        return digest * 31 + console.toString().hashCode();
    }

    private static int read(SystemBus bus, int addr, int size) {
        return switch (size) {
            case 1 -> bus.read8(addr);
            case 2 -> bus.read16(addr);
            default -> bus.read32(addr);
        };
    }

    private static int peek(SystemBus bus, int addr, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= bus.peek8(addr + i) << (8 * i);
        }
        return v;
    }

    private static void write(SystemBus bus, int addr, int size, int value) {
        switch (size) {
            case 1 -> bus.write8(addr, value);
            case 2 -> bus.write16(addr, value);
            default -> bus.write32(addr, value);
        }
    }
}
