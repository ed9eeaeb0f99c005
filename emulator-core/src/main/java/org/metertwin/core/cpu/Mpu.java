package org.metertwin.core.cpu;

import java.util.Arrays;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;

/**
 * The PMSAv7 memory protection unit with 8 regions (ARMv7-M ARM B3.5), plus the default memory map's
 * execute-never areas that apply with the MPU off. Violations raise MemManage faults. Its registers
 * (MPU_TYPE at 0xE000ED90 to the last RASR alias) are reached through the {@link SystemControlSpace}.
 */
final class Mpu extends RegisterDevice {
    static final int REGIONS = 8;
    /** MPU_TYPE's offset in the System Control Space. */
    static final int SCS_OFFSET = 0xD90;
    /** Bytes of the SCS the MPU's registers take. */
    static final int SIZE = 0x2C;

    private final CortexM4 cpu;
    private final Flag enable;
    private final Flag hfnmiena;
    private final Flag privdefena;
    private final Field region;
    /** Per region, kept in arrays because every checked access walks them. */
    final int[] rbar = new int[REGIONS];
    final int[] rasr = new int[REGIONS];
    /** Recent fetch settings ({@link #fetchSettings}) and their numbers. */
    private static final int SETTINGS = 32;
    private final int[][] settings = new int[SETTINGS][];
    private final int[] settingsId = new int[SETTINGS];
    private int settingsNext, lastSettingsId;

    Mpu(CortexM4 cpu) {
        super("MPU", SIZE);
        this.cpu = cpu;
        define(0x0, "MPU_TYPE", REGIONS << 8)
                .field(0, 1, "SEPARATE", Access.R).field(8, 8, "DREGION", Access.R, REGIONS)
                .field(16, 8, "IREGION", Access.R);
        Register ctrl = define(0x4, "MPU_CTRL");
        enable = ctrl.flag(0, "ENABLE");
        hfnmiena = ctrl.flag(1, "HFNMIENA");
        privdefena = ctrl.flag(2, "PRIVDEFENA");
        Register rnr = define(0x8, "MPU_RNR");
        // REGION is 8 bits in the ARM ARM; with 8 regions only the low 3 are implemented
        region = rnr.valueField(0, 3, "REGION");
        Register rbarReg = define(0xC, "MPU_RBAR");
        Flag valid = rbarReg.flag(4, "VALID", Access.W);
        // REGION reads MPU_RNR; a write with VALID set goes to MPU_RNR (before the address is stored)
        rbarReg.field(0, 4, "REGION", Access.R).field(5, 27, "ADDR", Access.RW)
                .beforeWrite(w -> {
                    if (valid.in(w)) {
                        region.set(w);
                    }
                })
                .storedIn(() -> rbar[region.get()], v -> rbar[region.get()] = v)
                .readAs(() -> (rbar[region.get()] & ~0x1F) | region.get());
        Register rasrReg = define(0x10, "MPU_RASR")
                .bit(0, "ENABLE", Access.RW).field(1, 5, "SIZE", Access.RW).field(8, 8, "SRD", Access.RW)
                .bit(16, "B", Access.RW).bit(17, "C", Access.RW).bit(18, "S", Access.RW)
                .field(19, 3, "TEX", Access.RW).field(24, 3, "AP", Access.RW).bit(28, "XN", Access.RW)
                .storedIn(() -> rasr[region.get()], v -> rasr[region.get()] = v);
        for (int a = 1; a <= 3; a++) {
            alias(0xC + 8 * a, rbarReg);
            alias(0x10 + 8 * a, rasrReg);
        }
        for (int offset = 0; offset < SIZE; offset += 4) {
            // fetch permissions are checked per instruction while the MPU is on
            register(offset).onWrite((w, p) -> cpu.updateMemChecks());
        }
    }

    @Override
    public void reset() {
        super.reset();
        Arrays.fill(rbar, 0); // RBAR/RASR of regions other than the selected one
        Arrays.fill(rasr, 0);
    }

    boolean enabled() {
        return enable.isSet();
    }

    /** The MPU is bypassed at negative execution priority unless HFNMIENA is set. */
    private boolean active() {
        return enabled() && (hfnmiena.isSet() || cpu.executionPriority() >= 0);
    }

    /** Default map: execute-never for peripherals, devices and the system space. */
    private static boolean defaultExecuteNever(int address) {
        int top = address >>> 28;
        return top == 4 || top == 5 || (top >= 0xA && top <= 0xF);
    }

    void checkFetch(int address, boolean privileged) {
        if (!fetchAllowed(address, privileged)) {
            throw CpuFault.of(Nvic.MEM_MANAGE, 1); // IACCVIOL
        }
    }

    /** Whether an instruction fetch at the address succeeds (the MPU, or the default map's execute-never). */
    boolean fetchAllowed(int address, boolean privileged) {
        boolean active = active();
        int region = active ? match(address) : -1;
        if (region < 0) {
            return !defaultExecuteNever(address) && !(active && !(privileged && privdefena.isSet()));
        }
        return (rasr[region] & (1 << 28)) == 0 && readable(rasr[region] >>> 24 & 7, privileged);
    }

    /**
     * Whether every fetch in {@code [from, to)} succeeds: checked once per 32-byte granule, the smallest
     * region (and subregion) size, so the answer is that of each address's own check.
     */
    boolean fetchAllowed(int from, int to, boolean privileged) {
        for (long g = (from & 0xFFFFFFFFL) & ~31L; g < (to & 0xFFFFFFFFL); g += 32) {
            if (!fetchAllowed((int) Math.max(g, from & 0xFFFFFFFFL), privileged)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A number for what decides fetch permissions now: MPU_CTRL, every region's RBAR and RASR, whether the
     * MPU is active at the current execution priority, and the privilege of the fetch. Equal numbers mean
     * equal settings (recent settings are kept in a small table and get a new number when seen again after
     * they left it), so a block checked under one number may run unchecked whenever the number is current.
     */
    int fetchSettings(boolean privileged) {
        int flags = (privileged ? 1 : 0) | (active() ? 2 : 0);
        int ctrl = (enable.isSet() ? 1 : 0) | (hfnmiena.isSet() ? 2 : 0) | (privdefena.isSet() ? 4 : 0);
        for (int i = 0; i < SETTINGS; i++) {
            int[] s = settings[i];
            if (s != null && s[0] == flags && s[1] == ctrl && matches(s)) {
                return settingsId[i];
            }
        }
        int[] s = new int[2 + 2 * REGIONS]; // a new setting: a context switch of a new process, rare
        s[0] = flags;
        s[1] = ctrl;
        System.arraycopy(rbar, 0, s, 2, REGIONS);
        System.arraycopy(rasr, 0, s, 2 + REGIONS, REGIONS);
        int slot = settingsNext;
        settingsNext = (settingsNext + 1) % SETTINGS;
        settings[slot] = s;
        if (++lastSettingsId == 0) {
            lastSettingsId = 1; // never 0: 0 marks a block not checked yet
        }
        settingsId[slot] = lastSettingsId;
        return settingsId[slot];
    }

    private boolean matches(int[] s) {
        for (int r = 0; r < REGIONS; r++) {
            if (s[2 + r] != rbar[r] || s[2 + REGIONS + r] != rasr[r]) {
                return false;
            }
        }
        return true;
    }

    void checkData(int address, boolean write, boolean privileged) {
        if (!dataAllowed(address, write, privileged)) {
            throw CpuFault.of(Nvic.MEM_MANAGE, 2 | 1 << 7, address); // DACCVIOL, MMARVALID
        }
    }

    /** Whether a data access at the address is allowed (the same for the whole 32-byte granule). */
    boolean dataAllowed(int address, boolean write, boolean privileged) {
        if ((address >>> 20) == 0xE00 || !active()) {
            return true; // the private peripheral bus always uses the default map
        }
        int region = match(address);
        if (region < 0) {
            return privileged && privdefena.isSet();
        }
        int ap = rasr[region] >>> 24 & 7;
        return write ? writable(ap, privileged) : readable(ap, privileged);
    }

    private static boolean readable(int ap, boolean privileged) {
        return switch (ap) {
            case 1, 5 -> privileged;
            case 2, 3, 6, 7 -> true;
            default -> false;
        };
    }

    private static boolean writable(int ap, boolean privileged) {
        return switch (ap) {
            case 1, 2 -> privileged;
            case 3 -> true;
            default -> false;
        };
    }

    /** Highest-numbered enabled region that contains the address (and whose subregion is enabled). */
    private int match(int address) {
        for (int i = REGIONS - 1; i >= 0; i--) {
            int attr = rasr[i];
            if ((attr & 1) == 0) {
                continue;
            }
            int sizeField = (attr >>> 1) & 31;
            if (sizeField < 4) {
                continue; // UNPREDICTABLE sizes below 32 bytes
            }
            long size = 1L << (sizeField + 1);
            long base = (rbar[i] & 0xFFFFFFE0L) & ~(size - 1);
            long off = (address & 0xFFFFFFFFL) - base;
            if (off < 0 || off >= size) {
                continue;
            }
            if (size >= 256) {
                int sub = (int) (off / (size / 8));
                if ((attr >>> (8 + sub) & 1) != 0) {
                    continue; // disabled subregion
                }
            }
            return i;
        }
        return -1;
    }

}
