package org.metertwin.core.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metertwin.core.bus.SystemBus;

/**
 * Halting debug of one core for a debugger: breakpoints, watchpoints and single steps.
 *
 * <p>Nothing here is looked at per instruction. A breakpoint is decoded into the decode cache as a
 * {@link Op#DEBUG_BREAK} operation in place of the instruction, and basic blocks end before breakpoint
 * addresses; so only setting or clearing one costs anything (the decoded code is dropped). Watchpoints
 * take their pages off the bus's fast path, so only accesses to those pages are checked, and block
 * compilation is off while any is set (compiled blocks do not leave early after a load).
 */
public final class DebugControl implements SystemBus.AccessWatcher {
    /** What made the core halt. */
    public enum HaltKind { NONE, BREAKPOINT, BKPT_INSTRUCTION, WATCH_WRITE, WATCH_READ, WATCH_ACCESS }

    /** A watched range; {@code read}/{@code write} say which accesses hit. */
    public record Watchpoint(int address, int length, boolean read, boolean write) {
        boolean hits(int a, int size, boolean isWrite) {
            if (isWrite ? !write : !read) {
                return false;
            }
            long lo = address & 0xFFFFFFFFL, hi = lo + length, aLo = a & 0xFFFFFFFFL, aHi = aLo + size;
            return aLo < hi && lo < aHi;
        }
    }

    private final CortexM4 cpu;
    /** The core's registers, flags and modes. */
    private final ArchState state;
    private final Map<Integer, Boolean> breakpoints = new HashMap<>(); // address -> hardware?
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    /** A breakpoint address the core runs through once (resuming from it); 1 = none. */
    int suppressedBreakpoint = 1;
    private boolean muted;
    /**
     * True while the core executes instructions: a watchpoint hit then abandons the accessing instruction, as
     * QEMU does and as gdb expects of ARM (it steps the instruction itself). Elsewhere (exception stacking,
     * semihosting) the core halts after the access.
     */
    boolean abortable;
    /** The PC of the instruction a watchpoint abandoned: the step that completes it does not hit again. */
    int watchHitPc = 1;
    private HaltKind haltKind = HaltKind.NONE;
    private int haltAddress;

    DebugControl(CortexM4 cpu) {
        this.cpu = cpu;
        this.state = cpu.state;
    }

    // ---------------------------------------------------------------- breakpoints

    public void addBreakpoint(int address, boolean hardware) {
        breakpoints.put(address & ~1, hardware);
        cpu.invalidateAllCode(); // a block may run through the address
    }

    public boolean removeBreakpoint(int address) {
        boolean had = breakpoints.remove(address & ~1) != null;
        if (had) {
            cpu.invalidateAllCode();
        }
        return had;
    }

    /** Decode-time question: does execution stop before the instruction at {@code address}? */
    boolean breaksAt(int address) {
        return address != suppressedBreakpoint && breakpoints.containsKey(address);
    }

    public boolean hasBreakpoint(int address) {
        return breakpoints.containsKey(address);
    }

    public boolean isHardwareBreakpoint(int address) {
        return Boolean.TRUE.equals(breakpoints.get(address));
    }

    // ---------------------------------------------------------------- watchpoints

    public void addWatchpoint(Watchpoint w) {
        boolean first = watchpoints.isEmpty();
        watchpoints.add(w);
        watchPages(w);
        if (first) {
            cpu.bus().setAccessWatcher(this);
            cpu.updateBlockCompilation();
        }
    }

    /** Whether any watchpoint is set. */
    boolean watching() {
        return !watchpoints.isEmpty();
    }

    /** Takes the pages {@code w} covers off the bus's fast path. */
    private void watchPages(Watchpoint w) {
        long end = (w.address() & 0xFFFFFFFFL) + Math.max(1, w.length());
        for (long a = w.address() & 0xFFFFFFFFL; a < end; a += SystemBus.PAGE_SIZE - (a & (SystemBus.PAGE_SIZE - 1))) {
            cpu.bus().watchPage((int) a);
        }
    }

    public boolean removeWatchpoint(Watchpoint w) {
        boolean had = watchpoints.remove(w);
        if (had) {
            rewatch();
        }
        return had;
    }

    private void rewatch() {
        cpu.bus().unwatchAll();
        for (Watchpoint w : watchpoints) {
            watchPages(w);
        }
        if (watchpoints.isEmpty()) {
            cpu.bus().setAccessWatcher(null);
            cpu.updateBlockCompilation();
        }
    }

    /** Removes every breakpoint and watchpoint (the debugger detached, or a new gdb client connected). */
    public void clearAll() {
        breakpoints.clear();
        if (!watchpoints.isEmpty()) {
            watchpoints.clear();
            rewatch();
        }
        cpu.invalidateAllCode();
    }

    /** The core halted before an access to a watched address: resuming must first complete that instruction. */
    public boolean resumesWatchedAccess() {
        return watchHitPc == state.pc;
    }

    /** Debugger memory accesses do not trigger watchpoints while muted. */
    public void setMuted(boolean muted) {
        this.muted = muted;
    }

    @Override
    public void accessed(int address, int size, boolean write) {
        if (muted || haltKind != HaltKind.NONE) {
            return;
        }
        for (Watchpoint w : watchpoints) {
            if (w.hits(address, size, write)) {
                haltKind = w.read() && w.write() ? HaltKind.WATCH_ACCESS
                        : w.write() ? HaltKind.WATCH_WRITE : HaltKind.WATCH_READ;
                haltAddress = w.address();
                if (abortable) {
                    throw WatchpointHit.INSTANCE; // the instruction did not happen; the core halts before it
                }
                cpu.debugHalt(); // after the current instruction
                return;
            }
        }
    }

    // ---------------------------------------------------------------- registers

    /** Register selectors of DCRSR.REGSEL (ARMv7-M ARM C1.6.3): what a debugger reads and writes. */
    public static final int REG_SP = 13, REG_LR = 14, REG_PC = 15, REG_XPSR = 16, REG_MSP = 17, REG_PSP = 18,
            REG_SPECIAL = 20, REG_FPSCR = 33, REG_S0 = 64;

    /** Reads a register as DCRSR does; {@link #REG_SPECIAL} packs CONTROL, FAULTMASK, BASEPRI and PRIMASK. */
    public int readRegister(int regsel) {
        if (regsel >= 0 && regsel < 15) {
            return state.r[regsel];
        }
        if (regsel >= REG_S0 && regsel < REG_S0 + 32) {
            return state.s[regsel - REG_S0];
        }
        return switch (regsel) {
            case REG_PC -> state.pc;
            case REG_XPSR -> state.xpsr();
            case REG_MSP -> state.msp();
            case REG_PSP -> state.psp();
            case REG_SPECIAL -> state.control << 24 | (state.faultmask ? 1 << 16 : 0) | state.basepri << 8
                    | (state.primask ? 1 : 0);
            case REG_FPSCR -> state.fp.fpscr;
            default -> throw new IllegalArgumentException("no register " + regsel);
        };
    }

    /**
     * Writes a register as DCRSR does. The PC's bit 0 is dropped; a write to xPSR sets the flags and the
     * IT state but not the exception number (the exception model keeps that).
     */
    public void writeRegister(int regsel, int value) {
        if (regsel >= 0 && regsel < 15) {
            state.r[regsel] = regsel == REG_SP ? value & ~3 : value;
            return;
        }
        if (regsel >= REG_S0 && regsel < REG_S0 + 32) {
            state.s[regsel - REG_S0] = value;
            return;
        }
        switch (regsel) {
            case REG_PC -> state.pc = value & ~1;
            case REG_XPSR -> {
                state.setApsr(value);
                state.itState = ((value >>> 25) & 3) | ((value >>> 10) & 0x3F) << 2;
            }
            case REG_MSP -> state.setMsp(value);
            case REG_PSP -> state.setPsp(value);
            case REG_SPECIAL -> {
                state.primask = (value & 1) != 0;
                state.basepri = (value >>> 8) & 0xFF;
                state.faultmask = ((value >>> 16) & 1) != 0;
                cpu.setControl((value >>> 24) & 7);
            }
            case REG_FPSCR -> state.fp.fpscr = value;
            default -> throw new IllegalArgumentException("no register " + regsel);
        }
        cpu.interrupt(); // masks may have changed: re-evaluate pending exceptions
    }

    // ---------------------------------------------------------------- halts

    /** Abandons the instruction that touched a watched address; caught by the core's run loop. */
    static final class WatchpointHit extends RuntimeException {
        static final WatchpointHit INSTANCE = new WatchpointHit();

        private WatchpointHit() {
            super("watchpoint", null, false, false);
        }
    }

    void halted(HaltKind kind, int address) {
        haltKind = kind;
        haltAddress = address;
    }

    /** Why the core last halted for the debugger; read once, then forgotten. */
    public HaltKind takeHaltKind() {
        HaltKind k = haltKind;
        haltKind = HaltKind.NONE;
        return k;
    }

    /** The watched address (watchpoints) or the PC (breakpoints) of the last halt. */
    public int haltAddress() {
        return haltAddress;
    }
}
