package org.metertwin.management.fs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.PowerCut;
import org.metertwin.peripherals.meter.memory.TornWrite;
import org.metertwin.peripherals.meter.memory.W25qFlash;

/**
 * A file-system test program (firmware/fs/test/, built by fs/build.sh) run bare-metal on the management board
 * (machines/management.yaml) until its semihosting exit, the NOR erased at the start; optionally with the
 * mains cut at a virtual instant and back {@link #OUTAGE_NANOS} later, so that the board boots the same
 * program again with the NOR as the cut left it (and the RTC backup registers, on VBAT). The console's lines
 * with their virtual times, the instant the NOR lost its supply and its last torn write are the result.
 */
final class FsBoard {
    static final Path DIR = Path.of("src/test/resources/firmware/fs");
    /** The supply's hold-up and decay (300 ms, management.yaml) and the reset with room to spare. */
    static final long OUTAGE_NANOS = PowerCut.OUTAGE_NANOS;
    /** The NOR's minimum supply (W25Q64JV 2.7 V, w25q-flash's vcc-min): below it the chip stops. */
    static final double NOR_VCC_MIN = PowerCut.NOR_VCC_MIN;
    /** The file-system region of the NOR (docs/firmware-update.md) the test programs format part of. */
    static final int REGION = 0x20_0000;

    private final String elf;
    private long cutAt = -1;

    FsBoard(String elf) {
        this.elf = elf;
    }

    FsBoard cutAt(long nanos) {
        this.cutAt = nanos;
        return this;
    }

    /** One run: console, how it ended, its lines, when VDD fell below the NOR's minimum (-1: never), the NOR's last tear. */
    /** ... and the first 128 sectors of the file-system region as the run left them. */
    record Run(String console, ExecResult exec, List<StampedConsole.Line> lines, long norOffAt, TornWrite norTorn, byte[] region) {
    }

    Run run() throws Exception {
        Board[] board = new Board[1];
        PowerCut[] cut = new PowerCut[1];
        StampedConsole stamped = new StampedConsole(() -> board[0] == null ? 0 : board[0].cpu().virtualNanos());
        ExecOptions o = ExecOptions.semihosted(stamped, 1_500_000_000L);
        o.setups.add(b -> {
            board[0] = b;
            cut[0] = new PowerCut(b, cutAt);
        });
        ExecResult r = Exec.run("management", DIR.resolve(elf), o);
        W25qFlash chip = (W25qFlash) board[0].deviceObject("nor");
        return new Run(stamped.text(), r, stamped.lines(), cut[0].norOffAt(), chip.lastTornWrite(),
                chip.read(REGION, 128 * 4096));
    }

    /**
     * firmware/fs/test/board.h's self-describing content: the header "MTFS-TEST NAME gen GEN len LEN\n", then
     * the top bytes of the LCG x = x * 1664525 + 1013904223 from x = the header's CRC-32, LEN bytes in all.
     */
    static byte[] content(String name, int gen, int len) {
        byte[] header = ("MTFS-TEST " + name + " gen " + gen + " len " + len + "\n").getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(header);
        int x = (int) crc.getValue();
        byte[] bytes = new byte[len];
        for (int i = 0; i < len; i++) {
            if (i < header.length) {
                bytes[i] = header[i];
            } else {
                x = x * 1664525 + 1013904223;
                bytes[i] = (byte) (x >>> 24);
            }
        }
        return bytes;
    }

    /** "SIZE CRC" as the test programs list a file (size in decimal, CRC-32 in 8 hex digits). */
    static String listed(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return bytes.length + " " + String.format("%08x", crc.getValue());
    }
}
