package org.metertwin.peripherals.stm32;

import java.io.OutputStream;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;

/**
 * The netduinoplus2 board running an idle loop ({@code b .}) from flash, so that tests drive the system
 * blocks through the bus while virtual time passes as the core executes.
 */
final class SysMachine {
    static final int RCC = 0x40023800, FLASH = 0x40023C00, CRC = 0x40023000, IWDG = 0x40003000, WWDG = 0x40002C00;
    static final int RCC_CR = RCC, RCC_PLLCFGR = RCC + 0x04, RCC_CFGR = RCC + 0x08, RCC_CIR = RCC + 0x0C,
            RCC_AHB1ENR = RCC + 0x30, RCC_APB1ENR = RCC + 0x40, RCC_APB2ENR = RCC + 0x44, RCC_BDCR = RCC + 0x70,
            RCC_CSR = RCC + 0x74;

    final Board board;
    final SystemBus bus;

    SysMachine() throws MachineException {
        board = Board.builtIn("netduinoplus2", OutputStream.nullOutputStream());
        bus = board.bus();
        // vector table: SP at the top of SRAM, reset handler at 0x08000008 (Thumb), which is "b ."
        byte[] image = {0x00, 0x00, 0x02, 0x20, 0x09, 0x00, 0x00, 0x08, (byte) 0xFE, (byte) 0xE7};
        bus.load(0x08000000, image, 0, image.length);
        board.reset(ResetCause.POWER_ON);
    }

    int read(int address) {
        return bus.read32(address);
    }

    void write(int address, int value) {
        bus.write32(address, value);
    }

    long now() {
        return board.cpu().virtualNanos();
    }

    /** Lets {@code nanos} of virtual time pass. */
    void run(long nanos) {
        board.runUntil(now() + nanos);
    }

    void runTo(long atNanos) {
        board.runUntil(atNanos);
    }

    Rcc rcc() {
        return (Rcc) board.deviceObject("rcc");
    }
}
