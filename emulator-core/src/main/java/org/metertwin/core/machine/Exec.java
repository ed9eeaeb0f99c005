package org.metertwin.core.machine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.serial.HostBridge;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.elf.SymbolTable;
import org.metertwin.core.gdb.GdbServer;
import org.metertwin.core.semihosting.Semihosting;

/** Runs one ELF on a board until it exits, locks up, deadlocks or reaches the instruction limit. */
public final class Exec {
    /** Cycles run between checks of the instruction limit and exit. */
    private static final long SLICE = 50_000_000L;

    private Exec() {
    }

    public static ExecResult run(String machine, Path elfPath, ExecOptions o)
            throws IOException, MachineException {
        MachineDescription description = MachineDescriptions.load(machine);
        ElfFile elf = ElfFile.read(elfPath);
        Prepared p = prepare(machine, description, elf, o, o.codeMode, o.console, o.stdin);
        Board board = p.board();
        CortexM4 cpu = board.cpu();
        Semihosting semihosting = p.semihosting();
        List<HostBridge> bridges = new ArrayList<>();
        Observers observers = Observers.open(o, elf, cpu);
        GdbServer gdb = null;
        try {
            if (o.gdbPort >= 0) {
                gdb = GdbServer.start(o.gdbHost, o.gdbPort, cpu, () -> board.reset(ResetCause.PIN), o.gdbWait);
                o.gdbListening.accept(gdb.address());
            }
            for (ExecOptions.UartAttachment a : o.uarts) {
                bridges.add(a.attach(board));
            }
            long start = System.nanoTime(); // wall time for statistics and --realtime, never for emulated behaviour
            Outcome outcome;
            try {
                outcome = runLoop(board, semihosting, bridges, o, start, gdb);
            } catch (java.io.UncheckedIOException e) {
                throw new MachineException("--trace " + o.trace + ": cannot write: " + e.getCause().getMessage());
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000L;
            ExecResult result = finish(board, elf, semihosting, o, outcome, wallMillis);
            if (gdb != null) {
                gdb.finished(result.exitStatus());
                gdb = null;
            }
            return result;
        } finally {
            if (gdb != null) {
                gdb.close();
            }
            for (HostBridge b : bridges) {
                b.close();
            }
            observers.close(); // whatever ended the run: a fault, the limit, an exit
        }
    }

    /** A board with its firmware loaded, reset and set up, and its semihosting (null without). */
    record Prepared(Board board, Semihosting semihosting) {
    }

    /** Builds the board a run of {@code elf} starts from, with the console and input given. */
    static Prepared prepare(String machine, MachineDescription description, ElfFile elf, ExecOptions o,
                            ExecOptions.CodeMode mode, java.io.OutputStream console, java.io.InputStream stdin)
            throws MachineException, ElfFormatException {
        Board board = new Board(machine, description, console);
        board.loadFirmware(elf);
        CortexM4 cpu = board.cpu();
        Semihosting semihosting = null;
        if (o.semihosting) {
            semihosting = new Semihosting(console, o.errorConsole, stdin, o.hostDir, o.commandLine,
                    board.heapInfo());
            cpu.setBreakpointHandler(semihosting);
        }
        cpu.setStopOnMissingFaultHandler(true);
        switch (mode) {
            case INTERPRETED -> cpu.setBlockCompilation(false);
            case COMPILED -> {
                cpu.setBlockCompilation(true);
                cpu.setCompileThreshold(1);
            }
            default -> { }
        }
        board.reset(ResetCause.POWER_ON);
        for (ExecOptions.BoardSetup setup : o.setups) {
            setup.prepare(board);
        }
        return new Prepared(board, semihosting);
    }

    /**
     * How a run that stopped for {@code reason} ended, or null when it goes on (a budget ran out, a halt).
     * A core asleep ends the run only when {@code canWake} is false (no host input can still arrive).
     */
    static Outcome ended(StopReason reason, CortexM4 cpu, Semihosting semihosting, boolean canWake) {
        if (semihosting != null && semihosting.exited()) {
            return Outcome.EXITED;
        }
        if (reason == StopReason.LOCKUP) {
            return cpu.missingFaultHandler() ? Outcome.UNHANDLED_FAULT : Outcome.LOCKUP;
        }
        if (reason == StopReason.SLEEPING && !canWake) {
            return Outcome.DEADLOCK;
        }
        return null;
    }

    /**
     * Runs until the guest exits or stops. Without host input or --realtime the core runs in long slices
     * and idle time costs nothing; with them, in slices of {@code quantumNanos} of virtual time, between
     * which host input is delivered and the wall clock is caught up with.
     */
    private static Outcome runLoop(Board board, Semihosting semihosting, List<HostBridge> bridges, ExecOptions o,
                                   long wallStart, GdbServer gdb) throws MachineException {
        CortexM4 cpu = board.cpu();
        boolean sliced = o.realtime || !bridges.isEmpty();
        long virtualStart = cpu.virtualNanos();
        while (true) {
            long slice = sliced ? Math.max(1, cpu.cycleAt(cpu.virtualNanos() + o.quantumNanos) - cpu.cycles())
                    : SLICE;
            if (o.maxInstructions > 0) {
                long left = o.maxInstructions - cpu.instructions();
                if (left <= 0) {
                    return Outcome.INSTRUCTION_LIMIT;
                }
                slice = Math.min(slice, left); // every instruction costs at least one cycle
            }
            if (o.maxVirtualNanos > 0) {
                long left = cpu.cycleAt(o.maxVirtualNanos) - cpu.cycles();
                if (left <= 0) {
                    return Outcome.TIME_LIMIT;
                }
                slice = Math.min(slice, left);
            }
            for (HostBridge b : bridges) {
                b.pump();
            }
            StopReason reason = gdb == null ? cpu.run(slice) : gdb.run(slice); // gdb: halts, steps, Ctrl-C
            if (gdb != null && gdb.killed()) {
                return Outcome.KILLED;
            }
            Outcome ended = ended(reason, cpu, semihosting, true);
            if (ended != null) {
                return ended;
            }
            if (reason == StopReason.SLEEPING) {
                HostBridge open = null;
                for (HostBridge b : bridges) {
                    if (b.inputWaiting()) {
                        open = b;
                        break;
                    }
                    if (b.inputOpen()) {
                        open = b;
                    }
                }
                if (open == null) {
                    return Outcome.DEADLOCK;
                }
                if (!open.inputWaiting()) {
                    try {
                        open.awaitInput(o.realtime ? Math.max(1, o.quantumNanos / 1_000_000) : 50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new MachineException("interrupted while waiting for host input");
                    }
                }
            }
            if (o.realtime) {
                throttle(cpu.virtualNanos() - virtualStart, wallStart);
            }
        }
    }

    /** --realtime: waits until the wall clock has caught up with virtual time. */
    private static void throttle(long virtualElapsed, long wallStart) throws MachineException {
        long ahead = virtualElapsed - (System.nanoTime() - wallStart);
        if (ahead > 1_000_000) {
            try {
                Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MachineException("interrupted");
            }
        }
    }

    static ExecResult finish(Board board, ElfFile elf, Semihosting semihosting, ExecOptions o, Outcome outcome,
                             long wallMillis) throws IOException {
        CortexM4 cpu = board.cpu();
        if (semihosting != null) {
            semihosting.flush();
        }
        o.console.flush();
        int status = switch (outcome) {
            case EXITED -> semihosting.exitStatus();
            case LOCKUP -> ExecResult.STATUS_LOCKUP;
            case UNHANDLED_FAULT -> ExecResult.STATUS_UNHANDLED_FAULT;
            case DEADLOCK -> ExecResult.STATUS_DEADLOCK;
            case INSTRUCTION_LIMIT -> ExecResult.STATUS_INSTRUCTION_LIMIT;
            case KILLED -> ExecResult.STATUS_KILLED;
            case TIME_LIMIT -> 0;
        };
        String message = outcome == Outcome.EXITED ? ""
                : outcome == Outcome.TIME_LIMIT ? String.format(java.util.Locale.ROOT,
                        "stopped at the virtual-time limit, %.3f s", cpu.virtualNanos() / 1e9)
                : describe(outcome, cpu, board.bus(), elf.symbols());
        return new ExecResult(outcome, status, cpu.instructions(), cpu.cycles(), cpu.virtualNanos(), wallMillis,
                message);
    }

    private static final String[] EXCEPTION_NAMES = {"", "Reset", "NMI", "HardFault", "MemManage", "BusFault",
            "UsageFault"};

    /** One line with the PC, the nearest symbol and the fault status registers. */
    public static String describe(Outcome outcome, CortexM4 cpu, SystemBus bus, SymbolTable symbols) {
        int pc = cpu.reg(15);
        String what = switch (outcome) {
            case LOCKUP -> "core locked up (a fault it could not take)";
            case UNHANDLED_FAULT -> cpu.missingHandlerException() == cpu.faultException()
                    ? EXCEPTION_NAMES[cpu.faultException()] + " with no handler installed"
                    : EXCEPTION_NAMES[cpu.faultException()] + ", escalated to "
                    + EXCEPTION_NAMES[cpu.missingHandlerException()] + ", with no handler installed";
            case DEADLOCK -> "core asleep with nothing that can wake it";
            case INSTRUCTION_LIMIT -> "instruction limit reached";
            case KILLED -> "killed by the debugger";
            case TIME_LIMIT -> "virtual-time limit reached";
            default -> "stopped";
        };
        if ((outcome == Outcome.LOCKUP || outcome == Outcome.UNHANDLED_FAULT) && cpu.faultPc() != -1) {
            pc = cpu.faultPc(); // the faulting instruction, not where the core ended up
        }
        return String.format("%s at pc=0x%08x (%s) lr=0x%08x sp=0x%08x xpsr=0x%08x CFSR=0x%08x HFSR=0x%08x"
                        + " MMFAR=0x%08x BFAR=0x%08x", what, pc, symbols.nearest(pc), cpu.reg(14), cpu.reg(13),
                cpu.xpsr(), peek(bus, 0xE000ED28), peek(bus, 0xE000ED2C), peek(bus, 0xE000ED34),
                peek(bus, 0xE000ED38));
    }

    private static int peek(SystemBus bus, int address) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= bus.peek8(address + i) << (8 * i);
        }
        return v;
    }
}
