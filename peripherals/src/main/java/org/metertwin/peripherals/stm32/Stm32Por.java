package org.metertwin.peripherals.stm32;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * The STM32F4's power-on and power-down reset (RM0090 5.2.2): while V_DD is below the threshold the device is
 * held in reset, so the core executes nothing; when V_DD rises above it again, the reset is released after the
 * temporization t_RSTTEMPO and the machine starts with a power-on reset (RCC_CSR PORRSTF). The falling threshold
 * is lower than the rising one by the hysteresis.
 *
 * <p>Thresholds and the temporization are DS8626's typical values (table "Embedded reset and power control
 * block characteristics": V_POR/PDR 1.68 V falling, 1.72 V rising, t_RSTTEMPO 1.5 ms), recalled and not checked
 * against the datasheet text here; properties override them. The brown-out reset (BOR, option bytes) is off, its
 * factory setting.
 *
 * <p>What the outage does to the rest of the chip:
 * <ul>
 * <li>When the supply falls below V_PDR, every {@link CoreSupplied} block hears it: GPIO ports stop driving their
 * pins.</li>
 * <li>At the power-on reset that ends an outage longer than the data-retention time (property
 * {@code retention}, default 0: any outage; RAM is kept only through a shorter one), the SRAM loses its contents: every writable memory region of the
 * board is filled with a pseudo-random pattern from {@code sram-seed}, the outage's number and the region's
 * name, so firmware that uses RAM it did not initialise misbehaves, and the same way on every run. The regions
 * named in {@code backup-ram} (default {@code bkpsram}) are on the backup domain: they are filled too only if
 * the backup domain also lost its supply (V_BAT absent, {@link BackupSupply}). The real contents after an
 * outage are undefined; the pattern is ours.</li>
 * </ul>
 * The first start of a machine is not a power cycle here: its RAM starts at zero, as in QEMU.
 */
public final class Stm32Por {
    private final Board board;
    private final AnalogLine vdd;
    private final EventQueue events;
    private final double fallingVolts;
    private final double risingVolts;
    private final long tempoNanos;
    private final Event release;
    private boolean held;
    private long powerDowns;
    /** Settings of RAM retention (null: RAM and pins are left alone, for tests of the thresholds alone). */
    private final RamLoss ramLoss;
    /** When the supply fell below V_PDR, and when it came back above V_POR (-1: not yet). */
    private long fellAt = -1;
    private long roseAt = -1;

    /** How SRAM loses its contents: retention time, seed, the backup-domain regions and their supply. */
    public record RamLoss(long retentionNanos, long seed, Set<String> backupRegions, BackupSupplyView backup) {
    }

    /** Whether the backup domain lost its supply since the previous power-on reset (re-arms on each call). */
    @FunctionalInterface
    public interface BackupSupplyView {
        boolean takeLoss();
    }

    public Stm32Por(Board board, AnalogLine vdd, EventQueue events, double fallingVolts, double risingVolts,
            long tempoNanos) {
        this(board, vdd, events, fallingVolts, risingVolts, tempoNanos, null);
    }

    public Stm32Por(Board board, AnalogLine vdd, EventQueue events, double fallingVolts, double risingVolts,
            long tempoNanos, RamLoss ramLoss) {
        this.board = board;
        this.ramLoss = ramLoss;
        this.vdd = vdd;
        this.events = events;
        this.fallingVolts = fallingVolts;
        this.risingVolts = risingVolts;
        this.tempoNanos = tempoNanos;
        this.release = events.event("POR release", this::releaseReset);
        vdd.listen(this::supplyChanged);
        if (vdd.value() < risingVolts) {
            hold();
        }
    }

    private void supplyChanged(double volts) {
        if (!held && volts < fallingVolts) {
            hold();
        } else if (held && volts >= risingVolts && !release.isScheduled()) {
            roseAt = events.now();
            events.scheduleIn(release, tempoNanos);
        } else if (held && volts < risingVolts) {
            events.cancel(release);
        }
    }

    private void hold() {
        held = true;
        powerDowns++;
        fellAt = events.now();
        events.cancel(release);
        if (board != null) {
            board.cpu().setPowered(false);
            for (CoreSupplied block : board.devicesOf(CoreSupplied.class)) {
                block.supplyLost();
            }
        }
    }

    private void releaseReset(long now) {
        held = false;
        if (board != null && ramLoss != null) {
            // the backup tracker is consulted at every power-on so that it re-arms, as the RTC's and RCC's do
            boolean backupLost = ramLoss.backup().takeLoss();
            if (roseAt - fellAt >= ramLoss.retentionNanos()) { // kept only by an outage shorter than that
                scrambleRam(board.bus(), backupLost);
            }
        }
        if (board != null) {
            board.cpu().setPowered(true);
            board.requestReset(ResetCause.POWER_ON);
        }
    }

    /** Fills the RAM that lost its supply with this outage's pattern (the reset then reloads the image). */
    private void scrambleRam(SystemBus bus, boolean backupLost) {
        Map<byte[], Boolean> seen = new IdentityHashMap<>();
        for (SystemBus.Mapping m : ramRegions(bus)) {
            boolean backup = ramLoss.backupRegions().contains(m.name());
            if ((backup && !backupLost) || seen.put(m.memory(), Boolean.TRUE) != null) {
                continue;
            }
            bus.load(m.base(), pattern(m.name(), m.size()), 0, m.size());
        }
    }

    /** The board's writable memories, aliases left out (their backing array is that of a region before them). */
    private static List<SystemBus.Mapping> ramRegions(SystemBus bus) {
        List<SystemBus.Mapping> ram = new ArrayList<>();
        for (SystemBus.Mapping m : bus.mappings()) {
            if (m.memory() != null && m.writable()) {
                ram.add(m);
            }
        }
        return ram;
    }

    /** This outage's garbage for a region: from the seed, the outage number and the region's name. */
    byte[] pattern(String region, int size) {
        SplittableRandom random = new SplittableRandom(ramLoss.seed() ^ powerDowns * 0x9E3779B97F4A7C15L
                ^ (long) region.hashCode() << 32);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long word = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                bytes[i + b] = (byte) (word >>> 8 * b);
            }
        }
        return bytes;
    }

    /** Whether the device is held in reset by a low supply. */
    public boolean isHeld() {
        return held;
    }

    /** How many times the supply fell below the power-down level. */
    public long powerDowns() {
        return powerDowns;
    }

    /**
     * {@code stm32f4-por}: pins {@code vdd} (the analog supply net, 3.3 V) and {@code vbat} (the battery net,
     * 3.0 V); properties {@code pdr-volts} (falling threshold, 1.68), {@code por-volts} (rising threshold, 1.72),
     * {@code tempo} (seconds, 0.0015), {@code retention} (seconds SRAM keeps its contents without supply, 0),
     * {@code sram-seed} (the garbage pattern's seed) and {@code backup-ram} (the memory regions on the backup
     * domain, comma-separated, {@code bkpsram}).
     */
    public static final class Type implements DeviceType {
        /** The default {@code sram-seed}: any fixed number will do. */
        public static final long DEFAULT_SEED = 0x5EED_F405L;

        public String type() {
            return "stm32f4-por";
        }

        public String description() {
            return "STM32F4 power-on/power-down reset (RM0090 5.2.2): holds the core in reset while VDD is low";
        }

        public Object create(DeviceContext c) throws MachineException {
            double pdr = c.decimal("pdr-volts", 1.68);
            double por = c.decimal("por-volts", 1.72);
            double tempo = c.decimal("tempo", 0.0015);
            if (!(pdr > 0 && por >= pdr)) {
                throw c.error("properties.por-volts", "must be >= pdr-volts > 0, got por " + por + ", pdr " + pdr);
            }
            if (!(tempo >= 0 && tempo < 1)) {
                throw c.error("properties.tempo", "must be within 0..1 s, got " + tempo);
            }
            double retention = c.decimal("retention", 0);
            if (!(retention >= 0 && retention <= 1e9)) {
                throw c.error("properties.retention", "must be a number of seconds >= 0, got " + retention);
            }
            long seed = c.number("sram-seed", DEFAULT_SEED);
            Set<String> backupRegions = new java.util.TreeSet<>();
            for (String region : c.string("backup-ram", "bkpsram").split(",")) {
                if (!region.isBlank()) {
                    backupRegions.add(region.strip());
                }
            }
            AnalogLine vdd = c.analog("vdd", 3.3);
            BackupSupply backup = new BackupSupply(vdd, c.analog("vbat", 3.0));
            backup.takeLoss(); // a new machine's RAM is already blank: its start is not a loss
            return new Stm32Por(c.board(), vdd, c.events(), pdr, por, Math.round(tempo * 1e9),
                    new RamLoss(Math.round(retention * 1e9), seed, backupRegions, backup::takeLoss));
        }
    }
}
