package org.metertwin.core.cpu;

/**
 * The PMSAv7 memory protection unit with 8 regions (ARMv7-M ARM B3.5), plus the default memory map's
 * execute-never areas that apply with the MPU off. Violations raise MemManage faults.
 */
final class Mpu {
    static final int REGIONS = 8;
    private final CortexM4 cpu;
    int ctrl;
    int rnr;
    final int[] rbar = new int[REGIONS];
    final int[] rasr = new int[REGIONS];

    Mpu(CortexM4 cpu) {
        this.cpu = cpu;
    }

    void reset() {
        ctrl = 0;
        rnr = 0;
        java.util.Arrays.fill(rbar, 0);
        java.util.Arrays.fill(rasr, 0);
    }

    boolean enabled() {
        return (ctrl & 1) != 0;
    }

    /** The MPU is bypassed at negative execution priority unless HFNMIENA is set. */
    private boolean active() {
        return enabled() && ((ctrl & 2) != 0 || cpu.executionPriority() >= 0);
    }

    /** Default map: execute-never for peripherals, devices and the system space. */
    private static boolean defaultExecuteNever(int address) {
        int top = address >>> 28;
        return top == 4 || top == 5 || (top >= 0xA && top <= 0xF);
    }

    void checkFetch(int address, boolean privileged) {
        int region = active() ? match(address) : -1;
        if (region < 0) {
            if (defaultExecuteNever(address) || (active() && !(privileged && (ctrl & 4) != 0))) {
                throw CpuFault.of(Nvic.MEM_MANAGE, 1); // IACCVIOL
            }
            return;
        }
        if ((rasr[region] & (1 << 28)) != 0 || !readable(rasr[region] >>> 24 & 7, privileged)) {
            throw CpuFault.of(Nvic.MEM_MANAGE, 1);
        }
    }

    void checkData(int address, boolean write, boolean privileged) {
        if ((address >>> 20) == 0xE00) {
            return; // the private peripheral bus always uses the default map
        }
        if (!active()) {
            return;
        }
        int region = match(address);
        if (region < 0) {
            if (privileged && (ctrl & 4) != 0) {
                return;
            }
            throw CpuFault.of(Nvic.MEM_MANAGE, 2 | 1 << 7, address); // DACCVIOL, MMARVALID
        }
        int ap = rasr[region] >>> 24 & 7;
        boolean ok = write ? writable(ap, privileged) : readable(ap, privileged);
        if (!ok) {
            throw CpuFault.of(Nvic.MEM_MANAGE, 2 | 1 << 7, address);
        }
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

    // register interface (MPU_TYPE, MPU_CTRL, MPU_RNR, MPU_RBAR, MPU_RASR and aliases)
    int read(int offset) {
        return switch (offset) {
            case 0x0 -> REGIONS << 8;
            case 0x4 -> ctrl;
            case 0x8 -> rnr;
            case 0xC, 0x14, 0x1C, 0x24 -> (rbar[rnr] & ~0x1F) | rnr;
            case 0x10, 0x18, 0x20, 0x28 -> rasr[rnr];
            default -> 0;
        };
    }

    void write(int offset, int value) {
        switch (offset) {
            case 0x4 -> ctrl = value & 7;
            case 0x8 -> rnr = value & (REGIONS - 1);
            case 0xC, 0x14, 0x1C, 0x24 -> {
                if ((value & 0x10) != 0) {
                    rnr = value & (REGIONS - 1);
                }
                rbar[rnr] = value & ~0x1F;
            }
            case 0x10, 0x18, 0x20, 0x28 -> rasr[rnr] = value & 0x173FFF3F;
            default -> {
            }
        }
        cpu.updateMemChecks(); // fetch permissions are checked per instruction while the MPU is on
    }
}
