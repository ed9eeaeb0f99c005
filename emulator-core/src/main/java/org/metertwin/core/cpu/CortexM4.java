package org.metertwin.core.cpu;

import static org.metertwin.core.cpu.ThumbDecoder.P;
import static org.metertwin.core.cpu.ThumbDecoder.S;
import static org.metertwin.core.cpu.ThumbDecoder.WB;

import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.EventQueue;

/**
 * A Cortex-M4 (ARMv7E-M with the FPv4-SP extension) executing Thumb code from a {@link SystemBus}.
 *
 * <p>Execution goes through a direct-mapped decode cache keyed by the instruction's address: each entry
 * holds the operation number and two operand words produced by {@link ThumbDecoder}. The interpreter
 * loop is one dense switch over those operation numbers. Architectural state lives in primitive fields
 * and arrays, so executing an instruction allocates nothing. Stores into pages that hold decoded code
 * invalidate the affected cache entries through the bus.
 *
 * <p>Timing: each instruction adds its Cortex-M4 TRM cycle count to {@link #cycles()} (see
 * docs/cpu.md for the approximations). Virtual time is cycles over the core clock.
 */
public final class CortexM4 {
    // ------------------------------------------------------------------ decode cache
    private static final int DC_BITS = 16;
    private static final int DC_MASK = (1 << DC_BITS) - 1;
    private final int[] dcPc = new int[1 << DC_BITS];
    private final int[] dcOp = new int[1 << DC_BITS];
    private final int[] dcA = new int[1 << DC_BITS];
    private final int[] dcB = new int[1 << DC_BITS];
    private final ThumbDecoder decoder = new ThumbDecoder();
    // block cache: direct-mapped by start address, blocks stored in flat arrays
    private static final int BLK_BITS = 14;
    private static final int BLK_MASK = (1 << BLK_BITS) - 1;
    private static final int MAX_BLOCK = 64;
    /** The longest block built: {@link #MAX_BLOCK}, or less while the self-check runs a block's prefix. */
    private int maxBlock = MAX_BLOCK;
    private final int[] blkPc = new int[1 << BLK_BITS];
    private final int[] blkStart = new int[1 << BLK_BITS];
    private final int[] blkLen = new int[1 << BLK_BITS];
    /** Per block: the address after its last instruction, and the fetch settings it was checked under (0: none). */
    private final int[] blkEnd = new int[1 << BLK_BITS];
    private final int[] blkFetch = new int[1 << BLK_BITS];
    private final CompiledBlock[] blkCode = new CompiledBlock[1 << BLK_BITS];
    private final int[] blkHits = new int[1 << BLK_BITS];
    /**
     * Executions of a block before it is compiled to bytecode; 1 compiles every block at its first entry
     * (the fuzz replay and {@code exec --self-check} run code that way to test the compiler).
     */
    private int compileThreshold = Math.max(1, Integer.getInteger("metertwin.compileThreshold", 100));
    /** The chosen setting (tests, -Dmetertwin.interpretOnly); {@link #compileBlocks} is it where it can apply. */
    private boolean compileBlocksWanted = !Boolean.getBoolean("metertwin.interpretOnly");
    private boolean compileBlocks = compileBlocksWanted;
    private final int[] fOp = new int[1 << 18];
    private final int[] fA = new int[1 << 18];
    private final int[] fB = new int[1 << 18];
    private int fNext;
    private final long[][] blockCodeBits = new long[1 << (32 - SystemBus.PAGE_BITS)][];
    // the block being executed, to undo its up-front charge when an instruction in it faults
    private int blockPc;
    private int blockK;
    private int blockLength;
    private int[] blockAs;

    // ------------------------------------------------------------------ architectural state
    /** Registers, flags, modes and the FP file: read by the exception model, the compiler and the debugger. */
    final ArchState state = new ArchState();
    /** The state's register file (the same array), for the interpreter's own use. */
    private final int[] r = state.r;

    // exclusive monitor
    boolean exclusiveOpen;
    int exclusiveAddress;

    final Nvic nvic;
    final ExceptionModel exceptions;
    final SystemControlSpace scs;
    final DebugComponents debug;
    final Mpu mpu;
    private final SystemBus bus;
    /** The core clock; virtual time is baseNanos plus the cycles since baseCycles at this rate. */
    private long clockHz;
    private long baseCycles, baseNanos;
    /** The machine's devices' events; the core runs until the next one is due. */
    private EventQueue events = new EventQueue();
    private BreakpointHandler breakpointHandler;
    /** Non-null: run() takes the traced one-at-a-time path instead of {@link #execute()}. */
    private InstructionTrace instructionTrace;
    /** Halting debug (gdb); null when no debugger is attached, so nothing of it is ever checked. */
    private DebugControl debugControl;

    long cycles;
    long instructions;
    /** The execute loop runs while cycles < limit; lowering it ends the loop after the current instruction. */
    long limit;
    private long runLimit;
    private boolean stopRequested;
    private boolean systemResetRequested;
    boolean sleeping;
    /** The supply is below the power-down level: nothing executes and no exception is taken; time runs on. */
    private boolean poweredDown;
    boolean eventRegister;
    boolean lockedUp;
    private boolean debugHalt;
    /** Accesses need the slow checks (MPU enabled, unaligned trapping or unprivileged code). */
    boolean memChecks;
    /** Instruction fetches need MPU permission checks (the MPU is enabled). */
    boolean fetchChecks;
    /**
     * With the MPU on, the number of the current fetch settings ({@link Mpu#fetchSettings}); stale after
     * anything that may change them (an MPU register, CONTROL, an exception's entry or return, FAULTMASK).
     * A block whose every fetch the MPU allows under these settings runs as a block, compiled or not.
     */
    private int fetchSettings;
    private boolean fetchSettingsStale = true;
    /** The data checks' cache ({@link #checkData}): granule (address / 32), settings number, 1 read and 2 write allowed. */
    private static final int DATA_SLOTS = 1024;
    private final int[] dataGranule = new int[DATA_SLOTS];
    private final int[] dataSettings = new int[DATA_SLOTS];
    private final byte[] dataAllowed = new byte[DATA_SLOTS];
    /**
     * The bus's direct window (its RAM) as the loads and stores see it: an access of up to four bytes that
     * starts less than {@code directReadSpan} (or {@code directWriteSpan}) bytes after {@code directBase}
     * is a plain array access at {@code address - directBase + directOffset}. Both spans are 0 while {@link #memChecks}
     * holds, while a page is watched, and (for stores) once code ran from that memory; see
     * {@link SystemBus#directMemory}. The last three bytes of the window take the usual path.
     */
    private byte[] directMem = new byte[0];
    private int directBase, directOffset, directReadSpan, directWriteSpan;
    /** The bus's code window (its flash: literal pools, constant tables) for loads, as the direct window. */
    private byte[] codeMem = new byte[0];
    private int codeBase, codeOffset, codeReadSpan;
    final Dsp.Flags dspFlags = new Dsp.Flags();
    /**
     * The IT state an instruction inside an IT block ran with, and its address: a fault there restores it,
     * so that the stacked xPSR resumes the IT block at the faulting instruction. Compiled code writes them too.
     */
    int faultItPc = -1;
    int faultIt;
    /** The instruction and exception of the last fault taken from non-fault code; -1 before any. */
    int faultPc = -1;
    int faultException;
    /** Stop instead of entering a fault handler whose vector is empty (no handler installed). */
    boolean stopOnMissingFaultHandler;
    boolean missingFaultHandler;
    int missingHandlerException;

    public CortexM4(SystemBus bus, long clockHz) {
        this(bus, clockHz, 64, 8);
    }

    public CortexM4(SystemBus bus, long clockHz, int numIrqs, int priorityBits) {
        this.bus = bus;
        this.clockHz = clockHz;
        this.nvic = new Nvic(numIrqs, priorityBits);
        this.mpu = new Mpu(this);
        this.exceptions = new ExceptionModel(this);
        this.scs = new SystemControlSpace(this);
        this.debug = new DebugComponents(this);
        events.attach(this::virtualNanos, this::interrupt);
        bus.setCodeWriteListener(this::invalidateCode);
        bus.setDirectWindowListener(this::updateDirectWindow);
        java.util.Arrays.fill(dcPc, NO_ENTRY);
        java.util.Arrays.fill(blkPc, 1);
    }

    public SystemBus bus() {
        return bus;
    }

    public long clockHz() {
        return clockHz;
    }

    public Nvic nvic() {
        return nvic;
    }

    /** The System Control Space device (NVIC, SCB, SysTick, MPU, FP and debug registers at 0xE000E000). */
    public SystemControlSpace systemControlSpace() {
        return scs;
    }

    /** ITM, DWT and FPB at 0xE0000000-0xE0002FFF. */
    public DebugComponents debugComponents() {
        return debug;
    }

    /** True in handler mode or with CONTROL.nPRIV clear. */
    public boolean isPrivileged() {
        return privileged();
    }

    /** r0-r12, 13 = current SP, 14 = LR, 15 = PC of the next instruction to execute. */
    public int reg(int n) {
        return n == 15 ? state.pc : r[n];
    }

    public void setReg(int n, int value) {
        if (n == 15) {
            state.pc = value & ~1;
        } else {
            r[n] = value;
        }
    }

    public long cycles() {
        return cycles;
    }

    public long instructions() {
        return instructions;
    }

    /** Virtual nanoseconds since the machine started, from cycles and the clock (rounded down). */
    public long virtualNanos() {
        return nanosAtCycle(cycles);
    }

    /** The first cycle at which virtual time has reached {@code nanos}. */
    public long cycleAt(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long d = nanos - baseNanos;
        if (d <= 0) {
            return baseCycles; // already past
        }
        return baseCycles + d / 1_000_000_000L * clockHz + ((d % 1_000_000_000L) * clockHz + 999_999_999L)
                / 1_000_000_000L;
    }

    /**
     * Changes the core clock from now on (a clock switch in the reset and clock controller). Virtual time
     * stays continuous; cycles already counted keep the duration they had.
     */
    public void setClockHz(long hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("clock must be positive: " + hz);
        }
        baseNanos = virtualNanos();
        baseCycles = cycles;
        clockHz = hz;
        cachedEventTime = Long.MIN_VALUE;
        interrupt();
    }

    private long cachedEventTime = Long.MIN_VALUE, cachedEventCycle;

    /** The cycle at which the earliest device event is due (cached: the conversion divides). */
    private long nextEventCycle() {
        long t = events.nextTime();
        if (t != cachedEventTime) {
            cachedEventTime = t;
            cachedEventCycle = cycleAt(t);
        }
        return cachedEventCycle;
    }

    /** The queue of this machine's device events, whose clock is this core. */
    public EventQueue events() {
        return events;
    }

    /** Virtual time of the next thing that can change what the core does: a device event or SysTick. */
    public long nextEventNanos() {
        long tick = scs.sysTick.nextEventCycle();
        long tickNanos = tick == Long.MAX_VALUE ? Long.MAX_VALUE : nanosAtCycle(tick);
        return Math.min(events.nextTime(), tickNanos);
    }

    private long nanosAtCycle(long cycle) {
        long c = cycle - baseCycles;
        return baseNanos + c / clockHz * 1_000_000_000L + c % clockHz * 1_000_000_000L / clockHz;
    }

    /** The input of external interrupt {@code irq} (0-based) as a line a device drives. */
    public InterruptLine irqLine(int irq) {
        if (irq < 0 || irq >= nvic.numIrqs()) {
            throw new IllegalArgumentException("IRQ " + irq + " does not exist (the core has " + nvic.numIrqs()
                    + ")");
        }
        int exception = Nvic.IRQ0 + irq;
        return level -> {
            nvic.setLevel(exception, level);
            if (level) {
                interrupt();
            }
        };
    }

    /** Hears every exception the core takes (for traces and determinism checks). */
    @FunctionalInterface
    public interface ExceptionObserver {
        void taken(int exception);
    }

    ExceptionObserver exceptionObserver;

    public void setExceptionObserver(ExceptionObserver observer) {
        this.exceptionObserver = observer;
    }

    public void setBreakpointHandler(BreakpointHandler h) {
        this.breakpointHandler = h;
    }

    /** Attaches halting debug: breakpoints, watchpoints, single steps; a guest BKPT then halts. */
    public DebugControl attachDebugger() {
        if (debugControl == null) {
            debugControl = new DebugControl(this);
            invalidateAllCode();
        }
        return debugControl;
    }

    /** Removes halting debug and every breakpoint and watchpoint. */
    public void detachDebugger() {
        if (debugControl != null) {
            debugControl.clearAll();
            debugControl = null;
            updateBlockCompilation();
        }
    }

    /** Halts after the current instruction: {@link #run} returns {@link StopReason#DEBUG_HALT}. */
    void debugHalt() {
        debugHalt = true;
        limit = 0;
    }

    /**
     * A debugger's single step: runs one instruction, or enters the pending exception that preempts it
     * (stopping at the handler's first instruction, as hardware steps with interrupts enabled). A breakpoint
     * at the current PC is stepped over. A sleeping core is run until it wakes, for at most
     * {@code maxCycles}.
     */
    public StopReason debugStep(long maxCycles) {
        int at = state.pc;
        boolean over = debugControl != null && debugControl.hasBreakpoint(at);
        boolean completesWatchedAccess = debugControl != null && debugControl.watchHitPc == at;
        if (completesWatchedAccess) {
            debugControl.setMuted(true);
        }
        if (over) {
            debugControl.suppressedBreakpoint = at;
            invalidateCode(at, 2);
        }
        long start = cycles, before = instructions;
        try {
            StopReason r;
            do {
                r = run(1);
            } while (r == StopReason.BUDGET && instructions == before && state.pc == at && cycles - start < maxCycles);
            return r;
        } finally {
            if (over) {
                debugControl.suppressedBreakpoint = 1;
                invalidateCode(at, 2);
            }
            if (completesWatchedAccess) {
                debugControl.setMuted(false);
                debugControl.watchHitPc = 1;
            }
        }
    }

    public boolean isLockedUp() {
        return lockedUp;
    }

    /** Address of the instruction whose fault started the last fault chain, or -1. */
    public int faultPc() {
        return faultPc;
    }

    /** Exception number of that fault (3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault). */
    public int faultException() {
        return faultException;
    }

    /**
     * With this set, taking a fault (NMI to UsageFault) whose vector is zero stops the core instead of
     * running into address 0; {@link #missingFaultHandler()} then tells why it stopped.
     */
    public void setStopOnMissingFaultHandler(boolean stop) {
        this.stopOnMissingFaultHandler = stop;
    }

    public boolean missingFaultHandler() {
        return missingFaultHandler;
    }

    /** The exception whose empty vector stopped the core (HardFault when a fault escalated). */
    public int missingHandlerException() {
        return missingHandlerException;
    }

    public boolean isSleeping() {
        return sleeping;
    }

    /**
     * Removes or restores the core's supply. Unpowered, the core executes nothing and takes no exception
     * while virtual time and device events go on; power returns through a power-on reset, which the board's
     * supply supervisor requests after restoring power.
     */
    public void setPowered(boolean powered) {
        poweredDown = !powered;
        limit = 0;
    }

    // ------------------------------------------------------------------ special registers

    /** The architectural state: registers, flags, modes, the FP file (the debugger and tests read it). */
    public ArchState state() {
        return state;
    }

    public int apsr() {
        return state.apsr();
    }

    void setApsr(int value) {
        state.setApsr(value);
    }

    public int xpsr() {
        return state.xpsr();
    }

    public int control() {
        return state.control;
    }

    public boolean primask() {
        return state.primask;
    }

    public boolean faultmask() {
        return state.faultmask;
    }

    public int basepri() {
        return state.basepri;
    }

    public int ipsr() {
        return state.ipsr;
    }

    public int msp() {
        return state.msp();
    }

    public int psp() {
        return state.psp();
    }

    public int fpscr() {
        return state.fp.fpscr;
    }

    public int sreg(int i) {
        return state.s[i];
    }

    public void setSreg(int i, int value) {
        state.s[i] = value;
    }

    boolean usingPsp() {
        return state.usingPsp();
    }

    boolean privileged() {
        return state.privileged();
    }

    void switchStack(boolean wasPsp) {
        state.switchStack(wasPsp);
    }

    void setMsp(int value) {
        state.setMsp(value);
    }

    void setPsp(int value) {
        state.setPsp(value);
    }

    void setControl(int value) {
        boolean wasPsp = usingPsp();
        state.control = value & 7;
        switchStack(wasPsp);
        updateMemChecks();
    }

    void updateMemChecks() {
        memChecks = mpu.enabled() || scs.unalignTrap() || !privileged();
        fetchChecks = mpu.enabled();
        fetchSettingsStale = true;
        updateDirectWindow();
    }

    private void updateDirectWindow() {
        byte[] m = bus.directMemory();
        byte[] c = bus.codeMemory();
        if (c == null || memChecks) {
            codeReadSpan = 0;
        } else {
            codeMem = c;
            codeBase = bus.codeBase();
            codeOffset = bus.codeMemoryOffset();
            codeReadSpan = Math.max(0, bus.codeReadSize() - 3);
        }
        if (m == null || memChecks) {
            directReadSpan = directWriteSpan = 0;
            return;
        }
        directMem = m;
        directBase = bus.directBase();
        directOffset = bus.directMemoryOffset();
        directReadSpan = Math.max(0, bus.directReadSize() - 3);
        directWriteSpan = Math.max(0, bus.directWriteSize() - 3);
    }

    // ------------------------------------------------------------------ reset and run control

    /** Cold reset: registers, NVIC, system registers; SP and PC from the vector table at address 0. */
    public void reset() {
        state.reset();
        exclusiveOpen = false;
        sleeping = false;
        eventRegister = false;
        lockedUp = false;
        missingFaultHandler = false;
        faultPc = -1;
        nvic.reset();
        scs.reset();
        mpu.reset();
        debug.reset();
        invalidateAllCode();
        int vtor = scs.vtor();
        try {
            r[13] = bus.read32(vtor) & ~3;
            bus.useDirectWindowAt(r[13] - 4);
            int entry = bus.read32(vtor + 4);
            bus.useCodeWindowAt(entry & ~1);
            state.pc = entry & ~1;
            if ((entry & 1) == 0) {
                lockedUp = true; // vector without the Thumb bit: INVSTATE at reset escalates to lockup
            }
        } catch (BusFault e) {
            lockedUp = true;
        }
        r[14] = 0xFFFFFFFF;
        updateMemChecks();
    }

    /** AIRCR.SYSRESETREQ: the system resets at the next instruction boundary. */
    public void requestSystemReset() {
        systemResetRequested = true;
        limit = 0;
    }

    /** Asks the run loop to return after the current instruction. */
    public void requestStop() {
        stopRequested = true;
        limit = 0;
    }

    /** Something changed the exception state: re-evaluate before the next instruction. */
    void interrupt() {
        limit = 0;
    }

    /**
     * Runs for at most {@code maxCycles} cycles.
     */
    public StopReason run(long maxCycles) {
        stopRequested = false;
        runLimit = cycles + maxCycles;
        while (true) {
            if (systemResetRequested) {
                systemResetRequested = false;
                scs.systemReset();
            }
            if (stopRequested) {
                return StopReason.STOP_REQUESTED;
            }
            if (lockedUp) {
                return StopReason.LOCKUP;
            }
            if (debugHalt) {
                debugHalt = false;
                return StopReason.DEBUG_HALT;
            }
            long eventCycle = nextEventCycle();
            if (cycles >= eventCycle) {
                events.runDue(virtualNanos());
                continue; // an event may have reset the system, stopped the run or changed the clock
            }
            if (poweredDown) {
                if (eventCycle >= runLimit && events.isEmpty()) {
                    cycles = Math.max(cycles, runLimit);
                    return StopReason.SLEEPING;
                }
                cycles = Math.max(cycles, Math.min(runLimit, eventCycle));
                if (cycles >= runLimit) {
                    return StopReason.BUDGET;
                }
                continue;
            }
            scs.sysTick.catchUp(cycles);
            long deadline = Math.min(runLimit, Math.min(scs.sysTick.nextEventCycle(), eventCycle));
            exceptions.checkPendingExceptions();
            if (lockedUp) {
                return StopReason.LOCKUP;
            }
            if (sleeping) {
                if (deadline >= runLimit && scs.sysTick.nextEventCycle() == Long.MAX_VALUE && events.isEmpty()) {
                    cycles = Math.max(cycles, runLimit);
                    return StopReason.SLEEPING;
                }
                cycles = Math.max(cycles, deadline); // idle: jump to the next event
                if (cycles >= runLimit) {
                    return StopReason.BUDGET;
                }
                continue;
            }
            if (cycles >= runLimit) {
                return StopReason.BUDGET;
            }
            limit = deadline;
            try {
                if (debugControl != null) {
                    debugControl.abortable = true;
                }
                if (instructionTrace == null) {
                    execute();
                } else {
                    executeTraced();
                }
            } catch (DebugControl.WatchpointHit h) {
                unwindBlockCharge();
                restoreFaultIt();
                debugControl.watchHitPc = state.pc;
                debugHalt = true;
            } catch (BusFault f) {
                unwindBlockCharge();
                restoreFaultIt();
                exceptions.raiseSynchronousFault(Nvic.BUS_FAULT, (1 << 9) | (1 << 15), f.address(), true);
            } catch (CpuFault f) {
                unwindBlockCharge();
                restoreFaultIt();
                exceptions.raiseSynchronousFault(f.exception, f.cfsrBits, f.address, f.addressValid);
            } finally {
                if (debugControl != null) {
                    debugControl.abortable = false;
                }
            }
        }
    }

    /** ITAdvance() (ARM DDI 0403E A7.3.2): the IT state after one instruction of an IT block. */
    static int itAdvance(int it) {
        return (it & 7) == 0 ? 0 : (it & 0xE0) | ((it << 1) & 0x1F);
    }

    /** How many instructions the IT instruction with IT state {@code it} (firstcond:mask) makes conditional. */
    static int itLength(int it) {
        return 4 - Integer.numberOfTrailingZeros(it & 0xF);
    }

    private void restoreFaultIt() {
        state.itState = faultItPc == state.pc ? faultIt : 0;
    }

    // ------------------------------------------------------------------ decode cache maintenance

    private void invalidateCode(int address, int length) {
        for (int a = (address & ~1) - 2; a < address + length; a += 2) {
            if (isBlockCode(a)) {
                flushBlocks();
                break;
            }
        }
        for (int a = (address & ~1) - 2; a < address + length; a += 2) {
            int i = (a >>> 1) & DC_MASK;
            if ((dcPc[i] & ~1) == a) {
                dcPc[i] = NO_ENTRY;
            }
        }
    }

    /** Drops every decoded instruction (reset, debugger writes, MPU changes). */
    public void invalidateAllCode() {
        java.util.Arrays.fill(dcPc, NO_ENTRY);
        flushBlocks();
    }

    /**
     * The decode cache's key: the address, and in bit 0 whether the instruction runs inside an IT block, the
     * one thing besides its halfwords that its decode depends on (a 16-bit data-processing instruction sets
     * no flags there). So an instruction reached both inside and outside an IT block is decoded for each.
     */
    private static int decodeKey(int pc, int itState) {
        return pc | (itState != 0 ? 1 : 0);
    }

    /** An empty decode cache entry: odd, but not a key (0xFFFFFFFE is execute-never, so never fetched). */
    private static final int NO_ENTRY = -1;

    private void decodeInto(int i, int pc) {
        decodeAt(pc, state.itState != 0);
        dcOp[i] = decoder.op;
        dcA[i] = decoder.a;
        dcB[i] = decoder.b;
        dcPc[i] = decodeKey(pc, state.itState);
        if (debugControl != null && debugControl.breaksAt(pc)) {
            dcOp[i] = Op.DEBUG_BREAK; // halts before the instruction; it is decoded again once stepped over
        }
    }

    private int fetch(int address) {
        mpu.checkFetch(address, privileged()); // also the default memory map's execute-never regions
        try {
            return bus.fetch16(address);
        } catch (BusFault f) {
            throw CpuFault.of(Nvic.BUS_FAULT, 1 << 8); // IBUSERR
        }
    }

    // ------------------------------------------------------------------ the interpreter

    /**
     * Runs instructions until {@link #limit}. Straight-line code runs as cached basic blocks: their base
     * cycle and instruction counts are charged once on entry. Instructions inside IT blocks, fetches that
     * need MPU checks, and the tail of a budget run one at a time from the per-address decode cache.
     */
    private void execute() {
        final int[] r = this.r;
        final ArchState st = this.state;
        while (cycles < limit) {
            int ipc = st.pc;
            int[] ops, as, bs;
            int k, end;
            int h = (ipc >>> 1) & BLK_MASK;
            if (blockAt(h, ipc) && limit - cycles >= blkLen[h]) {
                CompiledBlock code = blkCode[h];
                if (code == null && compileBlocks && ++blkHits[h] == compileThreshold) {
                    code = BlockCompiler.compile(this, ipc, fOp, fA, fB, blkStart[h], blkLen[h]);
                    blkCode[h] = code;
                }
                if (code != null) {
                    blockPc = ipc;
                    blockK = blkStart[h];
                    blockLength = blkLen[h];
                    blockAs = fA;
                    cycles += blockLength;
                    instructions += blockLength;
                    st.pc = code.run(this);
                    continue;
                }
                k = blkStart[h];
                end = k + blkLen[h];
                ops = fOp;
                as = fA;
                bs = fB;
            } else {
                int i = (ipc >>> 1) & DC_MASK;
                if (dcPc[i] != decodeKey(ipc, state.itState)) {
                    decodeInto(i, ipc);
                }
                if (fetchChecks) {
                    mpu.checkFetch(ipc, privileged());
                }
                k = i;
                end = i + 1;
                ops = dcOp;
                as = dcA;
                bs = dcB;
            }
            final int blockEnd = end;
            blockPc = ipc;
            blockK = k;
            blockLength = end - k;
            blockAs = as;
            cycles += end - k;
            instructions += end - k;
            do {
            final int a = as[k];
            final int b = bs[k];
            final int pc = ipc;
            int npc = pc + 2 + ((a >>> 18) & 2);
            final int it = st.itState;
            if (it != 0) { // inside an IT block: ITAdvance(), and the instruction runs only if its condition holds
                faultItPc = pc;
                faultIt = it;
                st.itState = itAdvance(it);
                if (!st.conditionPassed(it >>> 4)) {
                    ipc = npc; // skipped: its one cycle was charged with the block
                    continue;
                }
            }
            st.pc = pc;
            r[15] = pc + 4;
            final int rd = a & 15, rn = (a >>> 4) & 15, rm = (a >>> 8) & 15;
            switch (ops[k]) {
                // ---------------------------------------------------------- immediate operand
                case Op.AND_I -> logicalI(a, rd, r[rn] & b);
                case Op.BIC_I -> logicalI(a, rd, r[rn] & ~b);
                case Op.ORR_I -> logicalI(a, rd, r[rn] | b);
                case Op.ORN_I -> logicalI(a, rd, r[rn] | ~b);
                case Op.EOR_I -> logicalI(a, rd, r[rn] ^ b);
                case Op.MOV_I -> logicalI(a, rd, b);
                case Op.MVN_I -> logicalI(a, rd, ~b);
                case Op.TST_I -> logicalI(a, 16, r[rn] & b);
                case Op.TEQ_I -> logicalI(a, 16, r[rn] ^ b);
                case Op.ADD_I -> {
                    int x = r[rn];
                    r[rd] = (a & S) != 0 ? addWithCarry(x, b, 0) : x + b;
                    r[13] &= ~3; // SP writes clear bits [1:0] (docs/fuzzing.md); cheaper than testing rd
                }
                case Op.ADC_I -> r[rd] = addWithCarryMaybeFlags(a, r[rn], b, st.c ? 1 : 0);
                case Op.SUB_I -> {
                    int x = r[rn];
                    r[rd] = (a & S) != 0 ? addWithCarry(x, ~b, 1) : x - b;
                    r[13] &= ~3;
                }
                case Op.SBC_I -> r[rd] = addWithCarryMaybeFlags(a, r[rn], ~b, st.c ? 1 : 0);
                case Op.RSB_I -> r[rd] = addWithCarryMaybeFlags(a, ~r[rn], b, 1);
                case Op.CMP_I -> addWithCarry(r[rn], ~b, 1);
                case Op.CMN_I -> addWithCarry(r[rn], b, 0);
                // ---------------------------------------------------------- shifted register operand
                case Op.AND_R -> logicalR(a, rd, r[rn] & shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.BIC_R -> logicalR(a, rd, r[rn] & ~shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.ORR_R -> logicalR(a, rd, r[rn] | shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.ORN_R -> logicalR(a, rd, r[rn] | ~shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.EOR_R -> logicalR(a, rd, r[rn] ^ shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.MOV_R -> logicalR(a, rd, shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.MVN_R -> logicalR(a, rd, ~shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.TST_R -> logicalR(a, 16, r[rn] & shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.TEQ_R -> logicalR(a, 16, r[rn] ^ shiftedNoCarry(a, r[rm]), r[rm]);
                case Op.ADD_R -> {
                    int x = r[rn], y = shiftedNoCarry(a, r[rm]);
                    r[rd] = (a & S) != 0 ? addWithCarry(x, y, 0) : x + y;
                    r[13] &= ~3;
                }
                case Op.ADC_R -> r[rd] = addWithCarryMaybeFlags(a, r[rn], shiftedNoCarry(a, r[rm]), st.c ? 1 : 0);
                case Op.SUB_R -> {
                    int x = r[rn], y = shiftedNoCarry(a, r[rm]);
                    r[rd] = (a & S) != 0 ? addWithCarry(x, ~y, 1) : x - y;
                    r[13] &= ~3;
                }
                case Op.SBC_R -> r[rd] = addWithCarryMaybeFlags(a, r[rn], ~shiftedNoCarry(a, r[rm]), st.c ? 1 : 0);
                case Op.RSB_R -> r[rd] = addWithCarryMaybeFlags(a, ~r[rn], shiftedNoCarry(a, r[rm]), 1);
                case Op.CMP_R -> addWithCarry(r[rn], ~shiftedNoCarry(a, r[rm]), 1);
                case Op.CMN_R -> addWithCarry(r[rn], shiftedNoCarry(a, r[rm]), 0);
                case Op.LSL_RR -> shiftByRegister(a, 0);
                case Op.LSR_RR -> shiftByRegister(a, 1);
                case Op.ASR_RR -> shiftByRegister(a, 2);
                case Op.ROR_RR -> shiftByRegister(a, 3);
                // ---------------------------------------------------------- multiply and divide
                case Op.MUL -> {
                    int res = r[rn] * r[rm];
                    if ((a & S) != 0) {
                        Alu.setNZ(st, res);
                    }
                    r[rd] = res;
                }
                case Op.MLA -> {
                    r[rd] = Alu.MLA(r[rn], r[rm], r[(a >>> 12) & 15]);
                    cycles += Alu.MULTIPLY_ACCUMULATE_EXTRA_CYCLES;
                }
                case Op.MLS -> {
                    r[rd] = Alu.MLS(r[rn], r[rm], r[(a >>> 12) & 15]);
                    cycles += Alu.MULTIPLY_ACCUMULATE_EXTRA_CYCLES;
                }
                case Op.UMULL, Op.SMULL, Op.UMLAL, Op.SMLAL, Op.UMAAL -> longMultiply(ops[k], a, rd, rn, rm);
                case Op.SDIV -> signedDivide(rd, rn, rm);
                case Op.UDIV -> unsignedDivide(rd, rn, rm);
                // ---------------------------------------------------------- branches
                case Op.B -> {
                    npc = b;
                    cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                }
                case Op.B_COND -> {
                    if (conditionPassed((a >>> 20) & 15)) {
                        npc = b;
                        cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                    }
                }
                case Op.BL -> {
                    r[14] = npc | 1;
                    npc = b;
                    cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                }
                case Op.BX -> {
                    cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                    npc = bxWritePc(r[rm], npc);
                }
                case Op.BLX -> {
                    int target = r[rm];
                    r[14] = npc | 1;
                    cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                    npc = bxWritePc(target, npc);
                }
                case Op.CBZ -> {
                    if (r[rn] == 0) {
                        npc = b;
                        cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                    }
                }
                case Op.CBNZ -> {
                    if (r[rn] != 0) {
                        npc = b;
                        cycles += BlockEnds.TAKEN_BRANCH_CYCLES;
                    }
                }
                case Op.TBB -> {
                    npc = pc + 4 + 2 * load8(r[rn] + r[rm]);
                    cycles += 3;
                }
                case Op.TBH -> {
                    npc = pc + 4 + 2 * load16(r[rn] + (r[rm] << 1));
                    cycles += 3;
                }
                case Op.ALU_WRITE_PC -> {
                    npc = ((a & ThumbDecoder.F22) != 0 ? r[rm] : r[15] + r[rm]) & ~1;
                    cycles += 2;
                }
                // ---------------------------------------------------------- loads and stores
                case Op.LDR_I, Op.LDRB_I, Op.LDRH_I, Op.LDRSB_I, Op.LDRSH_I -> {
                    int base = r[rn];
                    int offAddr = base + b;
                    int addr = (a & P) != 0 ? offAddr : base;
                    int value = loadSized(ops[k] - Op.LDR_I, addr);
                    if ((a & WB) != 0) {
                        r[rn] = offAddr;
                    }
                    cycles++;
                    if (rd == 15) {
                        npc = loadWritePc(value, npc);
                    } else {
                        r[rd] = value;
                    }
                }
                case Op.STR_I -> {
                    int base = r[rn], offAddr = base + b;
                    store32((a & P) != 0 ? offAddr : base, r[rd]);
                    if ((a & WB) != 0) {
                        r[rn] = offAddr;
                    }
                    cycles++;
                }
                case Op.STRB_I -> {
                    int base = r[rn], offAddr = base + b;
                    store8((a & P) != 0 ? offAddr : base, r[rd]);
                    if ((a & WB) != 0) {
                        r[rn] = offAddr;
                    }
                    cycles++;
                }
                case Op.STRH_I -> {
                    int base = r[rn], offAddr = base + b;
                    store16((a & P) != 0 ? offAddr : base, r[rd]);
                    if ((a & WB) != 0) {
                        r[rn] = offAddr;
                    }
                    cycles++;
                }
                case Op.LDR_R, Op.LDRB_R, Op.LDRH_R, Op.LDRSB_R, Op.LDRSH_R -> {
                    int value = loadSized(ops[k] - Op.LDR_R, r[rn] + (r[rm] << (a >>> 24)));
                    cycles++;
                    if (rd == 15) {
                        npc = loadWritePc(value, npc);
                    } else {
                        r[rd] = value;
                    }
                }
                case Op.STR_R -> {
                    store32(r[rn] + (r[rm] << (a >>> 24)), r[rd]);
                    cycles++;
                }
                case Op.STRB_R -> {
                    store8(r[rn] + (r[rm] << (a >>> 24)), r[rd]);
                    cycles++;
                }
                case Op.STRH_R -> {
                    store16(r[rn] + (r[rm] << (a >>> 24)), r[rd]);
                    cycles++;
                }
                case Op.LDR_LIT -> {
                    r[rd] = load32(b);
                    cycles++;
                }
                case Op.LDRD, Op.STRD -> npc = loadStoreDual(ops[k] == Op.LDRD, a, b, rd, rn, npc);
                case Op.LDM, Op.LDMDB -> npc = loadMultiple(ops[k] == Op.LDMDB, a, b, rn, npc);
                case Op.STM, Op.STMDB -> storeMultiple(ops[k] == Op.STMDB, a, b, rn);
                case Op.LDRT, Op.LDRBT, Op.LDRHT, Op.LDRSBT, Op.LDRSHT -> {
                    r[rd] = loadUnprivileged(ops[k] - Op.LDRT, r[rn] + b);
                    cycles++;
                }
                case Op.STRT, Op.STRBT, Op.STRHT -> {
                    storeUnprivileged(ops[k] - Op.STRT, r[rn] + b, r[rd]);
                    cycles++;
                }
                case Op.LDREX, Op.LDREXB, Op.LDREXH, Op.STREX, Op.STREXB, Op.STREXH, Op.CLREX ->
                        exclusive(ops[k], a, b, rd, rn, rm);
                // ---------------------------------------------------------- miscellaneous
                case Op.NOP -> {
                }
                case Op.IT -> state.itState = b;
                case Op.MOVT -> r[rd] = Alu.MOVT(r[rd], b);
                case Op.SVC -> {
                    nvic.setPending(Nvic.SVCALL);
                    exceptions.checkSynchronousEscalation(Nvic.SVCALL);
                    limit = 0;
                }
                case Op.BKPT -> npc = breakpointInstruction(b, pc, npc);
                case Op.UNDEFINED -> throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16); // UNDEFINSTR
                case Op.NOCP -> throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 19); // no such coprocessor
                default -> npc = executeRare(ops[k], a, b, rd, rn, rm, pc, npc);
            }
            ipc = npc;
            } while (++k < end && limit != 0);
            st.pc = ipc;
            if (k != blockEnd) { // left the block early: the rest was charged on entry
                cycles -= blockEnd - k;
                instructions -= blockEnd - k;
            }
        }
    }

    /**
     * The traced path: reports each instruction, then lets {@link #execute()} run just that one, by giving
     * it a limit one cycle away (a multi-instruction block does not fit, so it single-steps from the decode
     * cache). Where {@link #execute()} would run a block, this loop runs the block's instructions without
     * stopping at the deadline and charges their base counts up front as execute() does, so registers that
     * read the cycle count mid-block, interrupts and the final cycle count are those of an untraced run.
     * Whatever lowers the limit (an exception, a stop request) ends this loop as it ends execute().
     */
    private void executeTraced() {
        final long deadline = limit;
        int blockLeft = 0; // instructions of the current block not yet run, all charged already
        while (blockLeft > 0 || cycles < deadline) {
            if (blockLeft == 0) {
                int h = (state.pc >>> 1) & BLK_MASK;
                blockLeft = blockAt(h, state.pc) && deadline - cycles >= blkLen[h] ? blkLen[h] : 1;
                cycles += blockLeft;
                instructions += blockLeft;
            }
            instructionTrace.executed(state.pc);
            cycles--; // execute() charges this instruction again
            instructions--;
            limit = cycles + 1;
            try {
                execute();
            } catch (RuntimeException fault) { // run() unwinds the faulting instruction; the rest did not run
                cycles -= blockLeft - 1;
                instructions -= blockLeft - 1;
                throw fault;
            }
            blockLeft--;
            if (limit == 0) { // the block ends early, as in execute()
                cycles -= blockLeft;
                instructions -= blockLeft;
                return;
            }
            limit = deadline;
        }
    }

    /**
     * Observes every executed instruction from now on, or stops observing ({@code null}). Bytecode-compiled
     * blocks are off while an observer is set (a one-instruction block would otherwise run compiled).
     */
    public void setInstructionTrace(InstructionTrace trace) {
        instructionTrace = trace;
        updateBlockCompilation();
    }

    /**
     * BKPT: semihosting's handler first; otherwise a debug event, which halts the core at the BKPT when a
     * debugger is attached and escalates to HardFault (HFSR.DEBUGEVT) when none is. Returns the next PC.
     */
    private int breakpointInstruction(int imm8, int pc, int npc) {
        if (debugControl != null) {
            debugControl.abortable = false; // semihosting's own accesses are not undone
        }
        if (breakpointHandler != null && breakpointHandler.onBreakpoint(this, imm8)) {
            return npc;
        }
        if (debugControl == null) {
            scs.hfsr |= 1 << 31;
            throw CpuFault.of(Nvic.HARD_FAULT, 0);
        }
        debugControl.halted(DebugControl.HaltKind.BKPT_INSTRUCTION, pc);
        debugHalt();
        cycles--; // the BKPT did not complete
        instructions--;
        return pc;
    }

    /**
     * A compiled block branches back to its own start: may it run again without returning to
     * {@link #execute()}? The same conditions as the dispatcher's for entering a block (a whole block fits
     * before the limit, which any interrupt, stop or code flush lowers to 0; no IT block; no MPU fetch
     * checks), and the same up-front charge.
     */
    boolean reenterBlock(int count) {
        if (limit - cycles >= count && state.itState == 0 && (!fetchChecks || fetchChecked(blockPc))) {
            cycles += count;
            instructions += count;
            return true;
        }
        return false;
    }

    /** As {@link #reenterBlock}, for another block of a compiled region: it becomes the block being run. */
    boolean enterBlock(int pc, int k, int count) {
        if (limit - cycles >= count && state.itState == 0 && (!fetchChecks || fetchChecked(pc))) {
            blockPc = pc;
            blockK = k;
            blockLength = count;
            cycles += count;
            instructions += count;
            return true;
        }
        return false;
    }

    /**
     * Whether the run loop runs the block at {@code pc} (slot {@code h}) as one block, building it if needed:
     * not inside an IT block, and with the MPU on only if every fetch of the block is allowed (else each
     * instruction runs on its own, its fetch checked, and the one that faults raises MemManage).
     */
    private boolean blockAt(int h, int pc) {
        return state.itState == 0 && (blkPc[h] == pc || buildBlock(h, pc)) && (!fetchChecks || fetchChecked(h, pc));
    }

    /** The block at {@code pc}, already in the cache, may be fetched under the current settings. */
    private boolean fetchChecked(int pc) {
        int h = (pc >>> 1) & BLK_MASK;
        return blkPc[h] == pc && fetchChecked(h, pc);
    }

    private boolean fetchChecked(int h, int pc) {
        if (fetchSettingsStale) {
            fetchSettings = mpu.fetchSettings(privileged());
            fetchSettingsStale = false;
        }
        if (blkFetch[h] == fetchSettings) {
            return true;
        }
        if (mpu.fetchAllowed(pc, blkEnd[h], privileged())) {
            blkFetch[h] = fetchSettings;
            return true;
        }
        return false;
    }

    /** The block cache's block at {@code pc} as (start in the block arrays) << 32 | length, or -1. */
    long cachedBlock(int pc) {
        int h = (pc >>> 1) & BLK_MASK;
        return blkPc[h] == pc ? (long) blkStart[h] << 32 | blkLen[h] : -1;
    }

    /** Compiled code leaves its block before {@code remaining} instructions ran: they were charged on entry. */
    void leaveBlockEarly(int remaining) {
        cycles -= remaining;
        instructions -= remaining;
    }

    /**
     * Self-check ({@code exec --self-check}): builds blocks of at most {@code instructions} instructions from
     * now on (1 to 64; 64 is the normal length), so that a block's first instructions can run compiled on
     * their own. Drops all decoded code.
     */
    public void setMaxBlockLength(int instructions) {
        if (instructions < 1 || instructions > MAX_BLOCK) {
            throw new IllegalArgumentException("block length " + instructions + " not in 1.." + MAX_BLOCK);
        }
        maxBlock = instructions;
        invalidateAllCode();
    }

    /**
     * Self-check: how many instructions the run loop executes as one block at the current PC, 1 where it
     * executes a single instruction (inside an IT block, under fetch checks, before a fetch that faults).
     * Running exactly that many cycles with {@link #run} then executes that one block, compiled or not.
     */
    public int nextBlockLength() {
        int h = (state.pc >>> 1) & BLK_MASK;
        return blockAt(h, state.pc) ? blkLen[h] : 1;
    }

    /** Sets how many times a block runs interpreted before it is compiled (at least 1). */
    public void setCompileThreshold(int executions) {
        if (executions < 1) {
            throw new IllegalArgumentException("compile threshold " + executions + " < 1");
        }
        compileThreshold = executions;
        invalidateAllCode();
    }

    /** Turns the bytecode compiler for hot blocks on or off (tests compare both). */
    public void setBlockCompilation(boolean enabled) {
        compileBlocksWanted = enabled;
        updateBlockCompilation();
    }

    /**
     * Compiled code neither reports instructions to a tracer nor stops before a watched access, so blocks are
     * compiled only when chosen and neither is in use. Drops all decoded code.
     */
    void updateBlockCompilation() {
        compileBlocks = compileBlocksWanted && instructionTrace == null
                && (debugControl == null || !debugControl.watching());
        invalidateAllCode();
    }

    /**
     * Undoes the charge for the faulting instruction and the rest of its block: they did not complete.
     */
    private void unwindBlockCharge() {
        int executed = 0;
        int p = blockPc, k = blockK;
        while (p != state.pc && executed < blockLength) {
            p += 2 + ((blockAs[k] >>> 18) & 2);
            k++;
            executed++;
        }
        cycles -= blockLength - executed;
        instructions -= blockLength - executed;
        blockLength = 0;
    }

    /**
     * Decodes the basic block at {@code pc} into the flat block arrays. A block ends after an instruction
     * that may change the PC or the execution state, at a page boundary, or before an instruction that
     * cannot be fetched. Returns false when the block cannot be built (the caller single-steps instead).
     */
    private boolean buildBlock(int h, int pc) {
        if (fNext + MAX_BLOCK > fOp.length) {
            flushBlocks();
        }
        int start = fNext, p = pc, count = 0;
        try {
            while (count < maxBlock) {
                if (count > 0 && ((p ^ pc) >>> SystemBus.PAGE_BITS) != 0) {
                    break;
                }
                if (debugControl != null && debugControl.breaksAt(p)) {
                    if (count == 0) {
                        return false; // the decode cache holds the breakpoint
                    }
                    break;
                }
                int length;
                try {
                    length = decodeAt(p, false);
                } catch (CpuFault f) {
                    if (count == 0) {
                        throw f;
                    }
                    break;
                }
                if (decoder.op == Op.IT) {
                    int it = decoder.b; // itBody decodes on with the same decoder
                    int body = itBody(start + count + 1, p + 2, pc, itLength(it), count + 1);
                    if (body == -1 && count > 0) {
                        break; // IT starts its own sequence
                    }
                    fOp[start + count] = Op.IT;
                    fA[start + count] = 0; // a 16-bit instruction without registers
                    fB[start + count] = it;
                    markCode(p);
                    count++;
                    if (body == -1) {
                        break; // IT alone: its body is single-stepped
                    }
                    count += itLength(it); // IT and its whole body join the block
                    p = body;
                    if (BlockEnds.endsBlock(fOp[start + count - 1], fA[start + count - 1], fB[start + count - 1])) {
                        break;
                    }
                    continue;
                }
                fOp[start + count] = decoder.op;
                fA[start + count] = decoder.a;
                fB[start + count] = decoder.b;
                markCode(p);
                count++;
                p += length;
                if (BlockEnds.endsBlock(decoder.op, decoder.a, decoder.b)) {
                    break;
                }
            }
        } catch (CpuFault f) {
            return false; // the first instruction faults on fetch: the single-step path raises it
        }
        if (count == 0) {
            return false;
        }
        fNext += count;
        blkCode[h] = null; // the slot may have held another block
        blkHits[h] = 0;
        blkPc[h] = pc;
        blkStart[h] = start;
        blkLen[h] = count;
        blkEnd[h] = p;
        blkFetch[h] = 0;
        return true;
    }

    /**
     * Decodes the {@code n} instructions of an IT block's body at {@code p} (as inside an IT block) into the
     * block arrays from {@code at}, for a block starting at {@code blockPc} that already has {@code count}
     * instructions. Returns the address after the body, or -1 when the body cannot join the block: it would
     * make the block too long or cross a page, one of its instructions cannot be fetched or has a debugger's
     * breakpoint, or one before the last ends a block (the architecture allows a branch only as the last).
     */
    private int itBody(int at, int p, int blockPc, int n, int count) {
        if (count + n > maxBlock) {
            return -1;
        }
        for (int j = 0; j < n; j++) {
            if (((p ^ blockPc) >>> SystemBus.PAGE_BITS) != 0 || (debugControl != null && debugControl.breaksAt(p))) {
                return -1;
            }
            int length;
            try {
                length = decodeAt(p, true);
            } catch (CpuFault f) {
                return -1;
            }
            if (decoder.op == Op.IT || (j < n - 1 && BlockEnds.endsBlock(decoder.op, decoder.a, decoder.b))) {
                return -1;
            }
            fOp[at + j] = decoder.op;
            fA[at + j] = decoder.a;
            fB[at + j] = decoder.b;
            p += length;
        }
        int q = p;
        for (int j = n - 1; j >= 0; j--) { // the body is code of the block now (writes to it flush it)
            q -= 2 + ((fA[at + j] >>> 18) & 2);
            markCode(q);
        }
        return p;
    }

    /** Fetches and decodes the instruction at {@code p} into {@link #decoder}; returns its length in bytes. */
    private int decodeAt(int p, boolean inIt) {
        int hw1 = fetch(p);
        int hw2 = ThumbDecoder.is32(hw1) ? fetch(p + 2) : 0;
        decoder.decode(p, hw1, hw2, inIt);
        return ThumbDecoder.is32(hw1) ? 4 : 2;
    }

    private void markCode(int address) {
        int page = address >>> SystemBus.PAGE_BITS;
        long[] bits = blockCodeBits[page];
        if (bits == null) {
            bits = new long[SystemBus.PAGE_SIZE / 2 / 64];
            blockCodeBits[page] = bits;
        }
        int half = (address & (SystemBus.PAGE_SIZE - 1)) >>> 1;
        bits[half >>> 6] |= 1L << half;
    }

    private boolean isBlockCode(int address) {
        long[] bits = blockCodeBits[address >>> SystemBus.PAGE_BITS];
        if (bits == null) {
            return false;
        }
        int half = (address & (SystemBus.PAGE_SIZE - 1)) >>> 1;
        return (bits[half >>> 6] >>> half & 1) != 0;
    }

    private void flushBlocks() {
        java.util.Arrays.fill(blkPc, 1);
        java.util.Arrays.fill(blkCode, null);
        java.util.Arrays.fill(blkHits, 0);
        java.util.Arrays.fill(blockCodeBits, null);
        fNext = 0;
        limit = 0; // a block being executed stays valid (its arrays are not cleared), but stop after it
    }

    /** Operations that are too rare or too long for the main switch. */
    private int executeRare(int op, int a, int b, int rd, int rn, int rm, int pc, int npc) {
        final int[] r = this.r;
        switch (op) {
            case Op.DEBUG_BREAK -> { // a debugger's breakpoint: halt before the instruction, uncharged
                if (faultItPc == pc) {
                    state.itState = faultIt; // the IT state advanced for an instruction that did not run
                }
                cycles--;
                instructions--;
                debugControl.halted(DebugControl.HaltKind.BREAKPOINT, pc);
                debugHalt();
                return pc;
            }
            case Op.CPS -> {
                if (privileged()) {
                    boolean disable = a != 0;
                    if ((b & 2) != 0) {
                        state.primask = disable;
                    }
                    if ((b & 1) != 0 && (!disable || nvicExecutionPriorityAllowsFaultmask())) {
                        state.faultmask = disable;
                        fetchSettingsStale = true; // FAULTMASK may take the MPU out (HFNMIENA clear)
                    }
                    interrupt();
                }
            }
            case Op.MSR -> {
                msr(b, (a >>> 20) & 3, r[rn]);
                interrupt();
            }
            case Op.MRS -> r[rd] = mrs(b);
            case Op.WFI -> {
                if (!exceptions.wakeConditionPending()) {
                    sleeping = true;
                    limit = 0;
                }
            }
            case Op.WFE -> {
                if (eventRegister) {
                    eventRegister = false;
                } else if (!exceptions.wakeConditionPending()) {
                    sleeping = true;
                    limit = 0;
                }
            }
            case Op.SEV -> eventRegister = true;
            // extends and byte reversals: the DSP library's definitions (rotation in bits, bits 24-29 of a)
            case Op.SXTB -> r[rd] = Dsp.sxtb(r[rm], a >>> 24);
            case Op.SXTH -> r[rd] = Dsp.sxth(r[rm], a >>> 24);
            case Op.UXTB -> r[rd] = Dsp.uxtb(r[rm], a >>> 24);
            case Op.UXTH -> r[rd] = Dsp.uxth(r[rm], a >>> 24);
            case Op.SXTAB -> r[rd] = Dsp.sxtab(r[rn], r[rm], a >>> 24);
            case Op.SXTAH -> r[rd] = Dsp.sxtah(r[rn], r[rm], a >>> 24);
            case Op.UXTAB -> r[rd] = Dsp.uxtab(r[rn], r[rm], a >>> 24);
            case Op.UXTAH -> r[rd] = Dsp.uxtah(r[rn], r[rm], a >>> 24);
            case Op.REV -> r[rd] = Dsp.rev(r[rm]);
            case Op.REV16 -> r[rd] = Dsp.rev16(r[rm]);
            case Op.REVSH -> r[rd] = Dsp.revsh(r[rm]);
            case Op.RBIT -> r[rd] = Dsp.rbit(r[rm]);
            case Op.CLZ -> r[rd] = Dsp.clz(r[rm]);
            // bit fields: lsb in bits 24-28 of a; b is msb (BFI, BFC) or width (SBFX, UBFX)
            case Op.BFI -> r[rd] = Alu.BFI(r[rd], r[rn], a >>> 24, b);
            case Op.BFC -> r[rd] = Alu.BFC(r[rd], a >>> 24, b);
            case Op.SBFX -> r[rd] = Alu.SBFX(r[rn], a >>> 24, b);
            case Op.UBFX -> r[rd] = Alu.UBFX(r[rn], a >>> 24, b);
            case Op.SSAT, Op.USAT -> {
                boolean asr = ((a >>> 17) & 3) == 2;
                int shift = (a >>> 24) & 63;
                dspFlags.q = false;
                r[rd] = op == Op.SSAT ? Dsp.ssat(r[rn], b, asr, shift, dspFlags) : Dsp.usat(r[rn], b, asr, shift, dspFlags);
                state.q |= dspFlags.q;
            }
            default -> {
                if (op >= Op.VFP_DP) {
                    return FpExecutor.execute(this, op, a, b, pc, npc);
                }
                return DspExecutor.execute(this, op, a, b, rd, rn, rm, npc);
            }
        }
        return npc;
    }

    boolean conditionPassed(int cond) {
        return state.conditionPassed(cond);
    }

    // ------------------------------------------------------------------ ALU helpers

    /** Logical result of an immediate form (rd 16 = none); with S, C comes from ThumbExpandImm_C. */
    private void logicalI(int a, int rd, int result) {
        if ((a & S) != 0) {
            Alu.setNZ(state, result);
            if (Alu.immCarryKnown(a)) {
                state.c = Alu.immCarry(a);
            }
        }
        if (rd != 16) {
            r[rd] = result;
        }
    }

    /**
     * Logical result of a register form (rd 16 = none); with S, C comes from the shifter applied to
     * {@code rmValue}, the unshifted operand.
     */
    private void logicalR(int a, int rd, int result, int rmValue) {
        if ((a & S) != 0) {
            Alu.setNZ(state, result);
            state.c = Alu.immShiftCarry(rmValue, a, state.c);
        }
        if (rd != 16) {
            r[rd] = result;
            r[13] &= ~3; // MOV SP, Rm
        }
    }

    /** Register operand shifted by a constant (Shift of A7.4.2). */
    int shiftedNoCarry(int a, int value) {
        return Alu.immShift(value, a, state.c);
    }

    /**
     * LSL, LSR, ASR, ROR by register (the amount is Rm[7:0]), {@code type} 0-3 in that order: the
     * interpreter's and the compiled code's one definition.
     */
    void shiftByRegister(int a, int type) {
        registerShift(a, a & 15, r[(a >>> 4) & 15], type, r[(a >>> 8) & 15] & 0xFF);
    }

    private void registerShift(int a, int rd, int value, int type, int amount) {
        int res = Alu.shift(value, type, amount);
        if ((a & S) != 0) {
            Alu.setNZ(state, res);
            state.c = Alu.shiftCarry(value, type, amount, state.c);
        }
        r[rd] = res;
    }

    /** AddWithCarry of the ARM ARM, setting N, Z, C and V. */
    int addWithCarry(int x, int y, int carryIn) {
        return Alu.addWithCarry(state, x, y, carryIn);
    }

    private int addWithCarryMaybeFlags(int a, int x, int y, int carryIn) {
        if ((a & S) != 0) {
            return addWithCarry(x, y, carryIn);
        }
        return x + y + carryIn;
    }

    private static int divideCycles(int dividend, int divisor) {
        // Early termination: roughly one cycle per 4 quotient bits, 2 to 12 cycles (Cortex-M4 TRM 3.3.1).
        int bits = Integer.numberOfLeadingZeros(divisor) - Integer.numberOfLeadingZeros(dividend);
        return bits <= 0 ? 1 : Math.min(11, 1 + (bits + 3) / 4);
    }

    /** SDIV with its cycles (the interpreter's and the compiled code's one definition); may fault. */
    void signedDivide(int rd, int rn, int rm) {
        int x = r[rn], y = r[rm];
        if (y == 0) {
            divideByZero();
            r[rd] = 0;
        } else {
            r[rd] = (x == Integer.MIN_VALUE && y == -1) ? x : x / y;
        }
        cycles += divideCycles(Math.abs(x), Math.abs(y));
    }

    /** UDIV with its cycles (the interpreter's and the compiled code's one definition); may fault. */
    void unsignedDivide(int rd, int rn, int rm) {
        int x = r[rn], y = r[rm];
        if (y == 0) {
            divideByZero();
            r[rd] = 0;
        } else {
            r[rd] = Integer.divideUnsigned(x, y);
        }
        cycles += divideCycles(x, y);
    }

    private void divideByZero() {
        if (scs.divByZeroTrap()) {
            throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 25); // DIVBYZERO
        }
    }

    /** UMULL, SMULL, UMLAL, SMLAL, UMAAL: the interpreter's and the compiled code's one definition. */
    void longMultiply(int op, int a, int rdLo, int rn, int rm) {
        int rdHi = (a >>> 12) & 15;
        if (op == Op.UMULL || op == Op.SMULL) {
            long p = op == Op.UMULL ? (r[rn] & 0xFFFFFFFFL) * (r[rm] & 0xFFFFFFFFL) : (long) r[rn] * r[rm];
            r[rdLo] = (int) p;
            r[rdHi] = (int) (p >>> 32);
            return;
        }
        long acc = (r[rdHi] & 0xFFFFFFFFL) << 32 | (r[rdLo] & 0xFFFFFFFFL);
        long res;
        if (op == Op.UMLAL) {
            res = (r[rn] & 0xFFFFFFFFL) * (r[rm] & 0xFFFFFFFFL) + acc;
        } else if (op == Op.SMLAL) {
            res = (long) r[rn] * r[rm] + acc;
        } else { // UMAAL
            res = (r[rn] & 0xFFFFFFFFL) * (r[rm] & 0xFFFFFFFFL) + (r[rdHi] & 0xFFFFFFFFL) + (r[rdLo] & 0xFFFFFFFFL);
        }
        r[rdLo] = (int) res;
        r[rdHi] = (int) (res >>> 32);
    }

    // ------------------------------------------------------------------ branches that interwork

    /** BXWritePC: bit 0 must be 1 (Thumb); EXC_RETURN values in handler mode return from the exception. */
    int bxWritePc(int target, int npc) {
        if (state.ipsr != 0 && (target >>> 28) == 0xF) {
            state.pc = npc;
            exceptions.exceptionReturn(target);
            limit = 0;
            return state.pc;
        }
        if ((target & 1) == 0) {
            state.pc = target & ~1;
            throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 17); // INVSTATE: taken on the target instruction
        }
        return target & ~1;
    }

    private int loadWritePc(int value, int npc) {
        cycles += 2;
        return bxWritePc(value, npc);
    }

    // ------------------------------------------------------------------ memory access

    int load32(int addr) {
        int off = addr - directBase;
        if (off >= 0 && off < directReadSpan) { // one unsigned compare in C2's code
            return DirectMemory.getInt(directMem, off + directOffset);
        }
        return load32Slow(addr);
    }

    int load16(int addr) {
        int off = addr - directBase;
        if (off >= 0 && off < directReadSpan) { // one unsigned compare in C2's code
            return DirectMemory.getShort(directMem, off + directOffset) & 0xFFFF;
        }
        return load16Slow(addr);
    }

    int load8(int addr) {
        int off = addr - directBase;
        if (off >= 0 && off < directReadSpan) { // one unsigned compare in C2's code
            return directMem[off + directOffset] & 0xFF;
        }
        return load8Slow(addr);
    }

    void store32(int addr, int value) {
        int off = addr - directBase;
        if (off >= 0 && off < directWriteSpan) { // one unsigned compare in C2's code
            DirectMemory.putInt(directMem, off + directOffset, value);
            return;
        }
        store32Slow(addr, value);
    }

    void store16(int addr, int value) {
        int off = addr - directBase;
        if (off >= 0 && off < directWriteSpan) { // one unsigned compare in C2's code
            DirectMemory.putShort(directMem, off + directOffset, (short) value);
            return;
        }
        store16Slow(addr, value);
    }

    void store8(int addr, int value) {
        int off = addr - directBase;
        if (off >= 0 && off < directWriteSpan) { // one unsigned compare in C2's code
            directMem[off + directOffset] = (byte) value;
            return;
        }
        store8Slow(addr, value);
    }

    // The paths for everything outside the direct window: separate methods, so that the compiled guest
    // code inlines only the few nodes of the window's path (C2 stops inlining in a region past a node budget).
    // Device registers the bus resolved before go straight to their device (SystemBus#readDevice).

    private int load32Slow(int addr) {
        if (memChecks) {
            checkAccess(addr, 4, false, privileged());
        }
        int off = addr - codeBase;
        if (off >= 0 && off < codeReadSpan) {
            return DirectMemory.getInt(codeMem, off + codeOffset);
        }
        return bus.readDevice(addr, 4);
    }

    private int load16Slow(int addr) {
        if (memChecks) {
            checkAccess(addr, 2, false, privileged());
        }
        int off = addr - codeBase;
        if (off >= 0 && off < codeReadSpan) {
            return DirectMemory.getShort(codeMem, off + codeOffset) & 0xFFFF;
        }
        return bus.readDevice(addr, 2);
    }

    private int load8Slow(int addr) {
        if (memChecks) {
            checkAccess(addr, 1, false, privileged());
        }
        int off = addr - codeBase;
        if (off >= 0 && off < codeReadSpan) {
            return codeMem[off + codeOffset] & 0xFF;
        }
        return bus.readDevice(addr, 1);
    }

    private void store32Slow(int addr, int value) {
        if (memChecks) {
            checkAccess(addr, 4, true, privileged());
        }
        bus.writeDevice(addr, 4, value);
    }

    private void store16Slow(int addr, int value) {
        if (memChecks) {
            checkAccess(addr, 2, true, privileged());
        }
        bus.writeDevice(addr, 2, value);
    }

    private void store8Slow(int addr, int value) {
        if (memChecks) {
            checkAccess(addr, 1, true, privileged());
        }
        bus.writeDevice(addr, 1, value);
    }

    /** size code: 0 word, 1 byte, 2 halfword, 3 signed byte, 4 signed halfword (the _I/_R op order). */
    private int loadSized(int kind, int addr) {
        return switch (kind) {
            case 0 -> load32(addr);
            case 1 -> load8(addr);
            case 2 -> load16(addr);
            case 3 -> (byte) load8(addr);
            default -> (short) load16(addr);
        };
    }

    private int loadUnprivileged(int kind, int addr) {
        int size = kind == 0 ? 4 : (kind == 1 || kind == 3) ? 1 : 2;
        checkAccess(addr, size, false, state.ipsr == 0 ? (state.control & 1) == 0 : false);
        return switch (kind) {
            case 0 -> bus.read32(addr);
            case 1 -> bus.read8(addr);
            case 2 -> bus.read16(addr);
            case 3 -> (byte) bus.read8(addr);
            default -> (short) bus.read16(addr);
        };
    }

    private void storeUnprivileged(int kind, int addr, int value) {
        int size = kind == 0 ? 4 : kind == 1 ? 1 : 2;
        checkAccess(addr, size, true, false);
        switch (kind) {
            case 0 -> bus.write32(addr, value);
            case 1 -> bus.write8(addr, value);
            default -> bus.write16(addr, value);
        }
    }

    /** MPU permission and alignment-trap checks; only called when {@link #memChecks} is set. */
    void checkAccess(int addr, int size, boolean write, boolean privileged) {
        if (size > 1 && (addr & (size - 1)) != 0 && scs.unalignTrap()) {
            throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 24); // UNALIGNED
        }
        if ((addr >>> 20) == 0xE00) { // private peripheral bus: privileged only, never checked by the MPU
            if (!privileged && !(write && addr == 0xE000EF00 && scs.userSetPending())) {
                throw CpuFault.of(Nvic.BUS_FAULT, (1 << 9) | (1 << 15), addr); // PRECISERR, BFARVALID
            }
            return;
        }
        if (mpu.enabled()) {
            checkData(addr, write, privileged);
        }
    }

    /**
     * The MPU's data check through a small cache of 32-byte granules (the smallest region size, so one check
     * answers for the whole granule) for the current fetch-and-data settings and privilege: the region walk,
     * the MPU's state and the execution priority are looked at once per granule and setting, not per access.
     */
    private void checkData(int addr, boolean write, boolean privileged) {
        if (privileged != privileged()) {
            mpu.checkData(addr, write, privileged); // LDRT/STRT: unprivileged accesses from privileged code
            return;
        }
        if (fetchSettingsStale) {
            fetchSettings = mpu.fetchSettings(privileged);
            fetchSettingsStale = false;
        }
        int granule = addr >>> 5;
        int slot = granule & (DATA_SLOTS - 1);
        if (dataGranule[slot] == granule && dataSettings[slot] == fetchSettings) {
            if ((dataAllowed[slot] & (write ? 2 : 1)) != 0) {
                return;
            }
        } else {
            int allowed = (mpu.dataAllowed(addr, false, privileged) ? 1 : 0)
                    | (mpu.dataAllowed(addr, true, privileged) ? 2 : 0);
            dataGranule[slot] = granule;
            dataSettings[slot] = fetchSettings;
            dataAllowed[slot] = (byte) allowed;
            if ((allowed & (write ? 2 : 1)) != 0) {
                return;
            }
        }
        mpu.checkData(addr, write, privileged); // raises the fault with its status
    }

    private void requireAligned(int addr) {
        if ((addr & 3) != 0) {
            throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 24); // UNALIGNED: LDM, STM, LDRD, STRD, exclusives
        }
    }

    int loadStoreDual(boolean load, int a, int b, int rt, int rn, int npc) {
        int rt2 = (a >>> 12) & 15;
        int base = r[rn], offAddr = base + b;
        int addr = (a & P) != 0 ? offAddr : base;
        requireAligned(addr);
        if (load) {
            int v1 = load32(addr), v2 = load32(addr + 4);
            r[rt] = v1;
            r[rt2] = v2;
        } else {
            store32(addr, r[rt]);
            store32(addr + 4, r[rt2]);
        }
        if ((a & WB) != 0) {
            r[rn] = offAddr;
        }
        cycles += 2;
        return npc;
    }

    int loadMultiple(boolean decrementBefore, int a, int list, int rn, int npc) {
        int count = Integer.bitCount(list);
        int base = r[rn];
        int addr = decrementBefore ? base - 4 * count : base;
        requireAligned(addr);
        int newPc = -1;
        // Read everything first so that a fault leaves the registers untouched.
        int start = addr;
        for (int i = 0; i < 16; i++) {
            if ((list >> i & 1) != 0) {
                int value = load32(addr);
                if (i == 15) {
                    newPc = value;
                } else {
                    tmpRegs[i] = value;
                }
                addr += 4;
            }
        }
        for (int i = 0; i < 15; i++) {
            if ((list >> i & 1) != 0) {
                r[i] = tmpRegs[i];
            }
        }
        if ((a & WB) != 0) {
            r[rn] = decrementBefore ? start : base + 4 * count;
        }
        cycles += count;
        if ((list & 0x8000) != 0) {
            return loadWritePc(newPc, npc);
        }
        return npc;
    }

    final int[] tmpRegs = new int[16];

    void storeMultiple(boolean decrementBefore, int a, int list, int rn) {
        int count = Integer.bitCount(list);
        int base = r[rn];
        int addr = decrementBefore ? base - 4 * count : base;
        requireAligned(addr);
        int start = addr;
        for (int i = 0; i < 15; i++) {
            if ((list >> i & 1) != 0) {
                store32(addr, r[i]);
                addr += 4;
            }
        }
        if ((a & WB) != 0) {
            r[rn] = decrementBefore ? start : base + 4 * count;
        }
        cycles += count;
    }

    private void exclusive(int op, int a, int b, int rd, int rn, int rm) {
        switch (op) {
            case Op.LDREX -> {
                int addr = r[rn] + b;
                requireAligned(addr);
                r[rd] = load32(addr);
                openExclusive(addr);
            }
            case Op.LDREXB -> {
                int addr = r[rn];
                r[rd] = load8(addr);
                openExclusive(addr);
            }
            case Op.LDREXH -> {
                int addr = r[rn];
                if ((addr & 1) != 0) {
                    throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 24);
                }
                r[rd] = load16(addr);
                openExclusive(addr);
            }
            case Op.STREX, Op.STREXB, Op.STREXH -> {
                int addr = op == Op.STREX ? r[rn] + b : r[rn];
                if (op == Op.STREX) {
                    requireAligned(addr);
                } else if (op == Op.STREXH && (addr & 1) != 0) {
                    throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 24);
                }
                if (exclusiveOpen && exclusiveAddress == addr) {
                    int value = r[rm];
                    switch (op) {
                        case Op.STREX -> store32(addr, value);
                        case Op.STREXB -> store8(addr, value);
                        default -> store16(addr, value);
                    }
                    r[rd] = 0;
                } else {
                    // still check permissions: a failing STREX that would fault faults
                    if (memChecks) {
                        checkAccess(addr, op == Op.STREX ? 4 : op == Op.STREXB ? 1 : 2, true, privileged());
                    }
                    r[rd] = 1;
                }
                exclusiveOpen = false;
            }
            default -> exclusiveOpen = false; // CLREX
        }
        cycles++;
    }

    private void openExclusive(int addr) {
        exclusiveOpen = true;
        exclusiveAddress = addr;
    }

    // ------------------------------------------------------------------ MRS / MSR (B5.2)

    int mrs(int sysm) {
        return switch (sysm) {
            case 0, 1, 2, 3, 5, 6, 7 -> {
                int value = 0;
                if ((sysm & 4) == 0) {
                    value |= apsr() & 0xF80F0000;
                }
                if ((sysm & 1) != 0) {
                    value |= state.ipsr; // IPSR is readable unprivileged too
                }
                yield value; // EPSR reads as zero through MRS
            }
            case 8 -> privileged() ? msp() : 0;
            case 9 -> privileged() ? psp() : 0;
            case 16 -> state.primask ? 1 : 0;
            case 17, 18 -> state.basepri;
            case 19 -> state.faultmask ? 1 : 0;
            case 20 -> state.control & (scs.fpuPresent() ? 7 : 3);
            default -> 0;
        };
    }

    void msr(int sysm, int mask, int value) {
        if (sysm < 8) {
            if ((sysm & 4) == 0) {
                if ((mask & 2) != 0) { // NZCVQ
                    state.setNzcvq(value);
                }
                if ((mask & 1) != 0) {
                    state.ge = (value >>> 16) & 15;
                }
            }
            return;
        }
        if (!privileged()) {
            return;
        }
        switch (sysm) {
            case 8 -> setMsp(value);
            case 9 -> setPsp(value);
            case 16 -> state.primask = (value & 1) != 0;
            case 17 -> state.basepri = value & nvic.priorityMask;
            case 18 -> {
                int nb = value & nvic.priorityMask;
                if (nb != 0 && (nb < state.basepri || state.basepri == 0)) {
                    state.basepri = nb;
                }
            }
            case 19 -> {
                // only setting needs execution priority > -1; clearing always works, as with CPSIE f (QEMU,
                // silicon): FAULTMASK itself makes the priority -1, so the test would make it unclearable
                if ((value & 1) == 0 || nvicExecutionPriorityAllowsFaultmask()) {
                    state.faultmask = (value & 1) != 0;
                    fetchSettingsStale = true;
                }
            }
            case 20 -> {
                int keep = state.control & 4;
                int nc = value & (scs.fpuPresent() ? 7 : 3);
                if (state.ipsr != 0) {
                    nc = (nc & ~2) | (state.control & 2); // SPSEL is not writable in handler mode
                }
                setControl(nc | (scs.fpuPresent() ? 0 : keep));
            }
            default -> {
            }
        }
    }

    private boolean nvicExecutionPriorityAllowsFaultmask() {
        return executionPriority() > -1;
    }

    int executionPriority() {
        return nvic.executionPriority(state.primask, state.faultmask, state.basepri);
    }

    /** Called by FP instructions: CPACR check, lazy state preservation, CONTROL.FPCA. */
    void fpCheckAndActivate() {
        if (!scs.fpAccessAllowed(privileged())) {
            throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 19); // NOCP
        }
        if (scs.lazyStateActive()) {
            scs.preserveFpState();
        }
        if (scs.automaticFpStateEnabled() && (state.control & 4) == 0) {
            // the first FP instruction of a new context: FPSCR starts from FPDSCR (ExecuteFPCheck; QEMU
            // loads the whole register, so NZCV and the cumulative flags start clear)
            state.fp.fpscr = scs.defaultFpscr();
            state.control |= 4;
        }
    }

    // ------------------------------------------------------------------ internal access for devices

    /** Time source for SysTick and DWT: the core's cycle counter. */
    long cycleCount() {
        return cycles;
    }

}
