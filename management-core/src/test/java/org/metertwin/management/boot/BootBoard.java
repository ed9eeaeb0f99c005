package org.metertwin.management.boot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.PowerCut;
import org.metertwin.peripherals.meter.memory.TornWrite;
import org.metertwin.peripherals.meter.memory.W25qFlash;

/**
 * The management board (machines/management.yaml) running the committed bootloader.elf, with the internal
 * flash above the bootloader and the NOR flash filled before the first instruction, as a programmer would
 * leave them; run until the test application's semihosting exit (or the core stops). What the console
 * showed (the bootloader's USART1 lines, the application's semihosting lines) and both memories afterwards
 * are the result.
 */
final class BootBoard {
    static final Path BOOTLOADER = Path.of("src/main/resources/firmware/bootloader.elf");
    static final Path APP_BODY = Path.of("src/test/resources/firmware/app_report.bin");
    /** The internal flash above the bootloader: sectors 2-11. */
    static final int FLASH_FROM = 0x0800_8000, FLASH_END = 0x0810_0000;

    private final Map<Integer, byte[]> flash = new LinkedHashMap<>();
    private final Map<Integer, byte[]> nor = new LinkedHashMap<>();
    /** The mains goes off at this virtual time and comes back {@link #OUTAGE_NANOS} later; -1: no cut. */
    private long cutAt = -1;
    /** Virtual time the run may last; 0: until the application's exit (or the instruction limit). */
    private long maxVirtualNanos;
    static final long OUTAGE_NANOS = PowerCut.OUTAGE_NANOS;

    /** {@code bytes} in internal flash at {@code address} (the rest of sectors 2-11 erased). */
    BootBoard flash(int address, byte[] bytes) {
        flash.put(address, bytes.clone());
        return this;
    }

    /** {@code bytes} in the NOR at {@code address} (the rest erased). */
    BootBoard nor(int address, byte[] bytes) {
        nor.put(address, bytes.clone());
        return this;
    }

    /** Cuts the mains at {@code nanos} of virtual time, for {@link #OUTAGE_NANOS}. */
    BootBoard cutAt(long nanos) {
        this.cutAt = nanos;
        return this;
    }

    /** Ends the run after {@code nanos} of virtual time (an application that never exits, the RTOS). */
    BootBoard until(long nanos) {
        this.maxVirtualNanos = nanos;
        return this;
    }

    /** Both memories as a run left them: the next boot of the same board. */
    static BootBoard after(Run run) {
        return new BootBoard().flash(FLASH_FROM, run.flash()).nor(0, run.nor());
    }


    static final double NOR_VCC_MIN = PowerCut.NOR_VCC_MIN;

    /**
     * What one power-on showed: also the console's lines with their virtual times, the first instant VDD fell
     * below the NOR's minimum ({@link #NOR_VCC_MIN}; -1 if it never did) and the NOR's last torn write (null).
     */
    record Run(String console, ExecResult exec, byte[] flash, byte[] nor, List<StampedConsole.Line> lines, long norOffAt,
               TornWrite norTorn) {
        /** The internal flash at {@code address}, {@code length} bytes. */
        public byte[] flash(int address, int length) {
            return Arrays.copyOfRange(flash, address - FLASH_FROM, address - FLASH_FROM + length);
        }

        public byte[] nor(int address, int length) {
            return Arrays.copyOfRange(nor, address, address + length);
        }

        /** The newest record of the result log, or null when there is none. */
        public UpdateRecords.Result record() {
            java.util.List<byte[]> log = UpdateRecords.log(nor(UpdateRecords.RESULT_ADDRESS, UpdateRecords.RESULT_LOG_SIZE));
            return log.isEmpty() ? null : UpdateRecords.result(log.get(0));
        }
    }

    Run run() throws Exception {
        Board[] board = new Board[1];
        PowerCut[] cut = new PowerCut[1];
        StampedConsole stamped = new StampedConsole(() -> board[0] == null ? 0 : board[0].cpu().virtualNanos());
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.console = stamped;
        o.errorConsole = stamped;
        o.maxInstructions = 1_000_000_000L;
        if (maxVirtualNanos > 0) {
            o.maxVirtualNanos = maxVirtualNanos;
        }
        o.setups.add(b -> {
            board[0] = b;
            cut[0] = new PowerCut(b, cutAt);
            byte[] erased = new byte[FLASH_END - FLASH_FROM];
            Arrays.fill(erased, (byte) 0xFF);
            b.bus().load(FLASH_FROM, erased, 0, erased.length);
            flash.forEach((address, bytes) -> b.bus().load(address, bytes, 0, bytes.length));
            W25qFlash chip = (W25qFlash) b.deviceObject("nor");
            nor.forEach(chip::preload);
        });
        ExecResult r = Exec.run("management", BOOTLOADER, o);
        byte[] flashAfter = new byte[FLASH_END - FLASH_FROM];
        for (int i = 0; i < flashAfter.length; i++) {
            flashAfter[i] = (byte) board[0].bus().peek8(FLASH_FROM + i);
        }
        W25qFlash chip = (W25qFlash) board[0].deviceObject("nor");
        byte[] norAfter = chip.read(0, chip.size()); // the whole chip: the slots, the records and /data
        return new Run(stamped.text(), r, flashAfter, norAfter, stamped.lines(),
                cut[0].norOffAt(), chip.lastTornWrite());
    }
}
