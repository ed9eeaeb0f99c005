package org.metertwin.core.cpu;

import org.metertwin.core.bus.MmioDevice;

/**
 * The debug blocks firmware touches on the private peripheral bus (ARMv7-M ARM C1): ITM at 0xE0000000
 * (stimulus ports always ready, output discarded), DWT at 0xE0001000 with CYCCNT counting the core's
 * cycles while DEMCR.TRCENA and DWT_CTRL.CYCCNTENA are set, and the FPB at 0xE0002000 (no comparators
 * active until the gdb server uses them).
 */
public final class DebugComponents implements MmioDevice {
    public static final int BASE = 0xE0000000;
    public static final int SIZE = 0x3000;
    private static final int DWT = 0x1000, FPB = 0x2000;
    /** DWT_CTRL: NUMCOMP = 4 comparators, as on a Cortex-M4. */
    private static final int DWT_CTRL_NUMCOMP = 4 << 28;

    private final CortexM4 cpu;
    private int dwtCtrl;
    /** CYCCNT value at {@link #cyccntSince}, while counting. */
    private int cyccntBase;
    private long cyccntSince;
    private boolean counting;
    private int fpCtrl;

    DebugComponents(CortexM4 cpu) {
        this.cpu = cpu;
    }

    @Override
    public String name() {
        return "debug";
    }

    @Override
    public void reset() {
        dwtCtrl = 0;
        cyccntBase = 0;
        counting = false;
        fpCtrl = 0;
    }

    private boolean shouldCount() {
        return (cpu.scs.demcr & (1 << 24)) != 0 && (dwtCtrl & 1) != 0;
    }

    private int cyccnt() {
        return counting ? cyccntBase + (int) (cpu.cycleCount() - cyccntSince) : cyccntBase;
    }

    /** DEMCR or DWT_CTRL changed: start or stop counting from the current value. */
    void updateCounting() {
        int now = cyccnt();
        counting = shouldCount();
        cyccntBase = now;
        cyccntSince = cpu.cycleCount();
    }

    @Override
    public int read(int offset, int size) {
        int word = switch (offset & ~3) {
            case DWT -> DWT_CTRL_NUMCOMP | dwtCtrl;
            case DWT + 0x4 -> cyccnt();
            case FPB -> (6 << 4) | (2 << 8) | fpCtrl; // FP_CTRL: 6 code and 2 literal comparators
            case 0xE80 -> 0; // ITM_TCR
            default -> offset < 0x1000 && offset < 0x80 ? 1 : 0; // stimulus ports read as ready
        };
        int shift = (offset & 3) * 8;
        return size == 4 ? word : (word >>> shift) & (size == 1 ? 0xFF : 0xFFFF);
    }

    @Override
    public void write(int offset, int size, int value) {
        switch (offset & ~3) {
            case DWT -> {
                dwtCtrl = value & 0x1FFF; // CYCCNTENA, POSTPRESET, ... (event counters not modelled)
                updateCounting();
            }
            case DWT + 0x4 -> {
                cyccntBase = value;
                cyccntSince = cpu.cycleCount();
            }
            case FPB -> fpCtrl = value & 1;
            default -> {
                // ITM stimulus writes, lock access registers: accepted and dropped
            }
        }
    }
}
