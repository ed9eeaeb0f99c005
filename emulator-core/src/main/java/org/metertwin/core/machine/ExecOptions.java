package org.metertwin.core.machine;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** Options of one {@code exec} run. */
public final class ExecOptions {
    /** Answer semihosting calls (BKPT 0xAB). Without it, BKPT is a debug event. */
    public boolean semihosting;
    /** Stop after this many instructions; 0 = no limit. */
    public long maxInstructions;
    /** Stop when the virtual time reaches this many ns (0: no limit); the run then ends with status 0. */
    public long maxVirtualNanos;
    /** Guest console output (semihosting and UART0). */
    public OutputStream console = System.out;
    /** Guest console error stream (semihosting stderr). */
    public OutputStream errorConsole = System.err;
    public InputStream stdin = InputStream.nullInputStream();
    /** Host directory the guest may open files in through semihosting; null = none. */
    public Path hostDir;
    /** Command line returned by SYS_GET_CMDLINE. */
    public String commandLine = "";
    /** Host connections of UARTs ({@code --uart NAME=...}), opened once the board is built. */
    public java.util.List<UartAttachment> uarts = new java.util.ArrayList<>();
    /** Preparations of the board once it is built and reset (inputs a test or scenario drives, say). */
    public java.util.List<BoardSetup> setups = new java.util.ArrayList<>();
    /** Throttle virtual time to the wall clock (interactive use). */
    public boolean realtime;
    /** Write executed PCs here (docs/trace-coverage.md); null = no trace. A name ending in .gz is gzipped. */
    public Path trace;
    /** With {@link #trace}: one line per instruction with the registers that changed. */
    public boolean traceRegisters;
    /** Write an lcov tracefile of the lines executed here, from the ELF's DWARF line table; null = none. */
    public Path coverage;
    /** How the CPU runs code: blocks compiled when hot (the default), interpreted only, or every block compiled. */
    public CodeMode codeMode = CodeMode.DEFAULT;

    /**
     * Options of a test-program run: semihosting answered, both guest streams into {@code console}, and a
     * limit of {@code maxInstructions} so that a program that never exits still ends.
     */
    public static ExecOptions semihosted(OutputStream console, long maxInstructions) {
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.console = console;
        o.errorConsole = console;
        o.maxInstructions = maxInstructions;
        return o;
    }

    /** Whether blocks are compiled to JVM bytecode, and when. */
    public enum CodeMode {
        /** Hot blocks compiled (after 100 executions), the rest interpreted. */
        DEFAULT,
        /** Every instruction interpreted. */
        INTERPRETED,
        /** Every block compiled at its first execution: tests the compiler on all the code a program runs. */
        COMPILED
    }

    /** Length of a slice of virtual time between host input checks, in nanoseconds. */
    public long quantumNanos = 100_000;

    /** Serve gdb's remote protocol on this port (0: any free port); -1: no debugger. */
    public int gdbPort = -1;
    /** The address the gdb server listens on. */
    public String gdbHost = "127.0.0.1";
    /** Stay halted at reset until gdb continues. */
    public boolean gdbWait;
    /** Told the gdb server's address once it listens (the CLI prints it). */
    public java.util.function.Consumer<java.net.InetSocketAddress> gdbListening = a -> { };

    /** Prepares the board before it runs, e.g. by scheduling events on its queue. */
    @FunctionalInterface
    public interface BoardSetup {
        void prepare(Board board) throws MachineException;
    }

    /** Opens a host bridge for a UART of the board once it exists. */
    @FunctionalInterface
    public interface UartAttachment {
        org.metertwin.core.serial.HostBridge attach(Board board) throws MachineException;
    }
}
