package org.metertwin.cli;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.TextDisplay;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.SelfCheck;
import org.metertwin.peripherals.host.HostBridges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code metertwin exec}: runs one ELF like {@code qemu-system-arm -M mps2-an386 -semihosting -kernel}, or a
 * suite of ELFs one after the other in this JVM ({@link ExecSuite}).
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run an ELF on an emulated board. Exit status: the guest's; 2 bad input; 3 lockup;"
                + " 4 asleep with nothing to wake it; 5 instruction limit; 6 fault with no handler; 7 killed by gdb;"
                + " 8 --self-check found a difference.",
                "With several ELFs or a directory (its *.elf files, sorted by path): each runs on a fresh board,"
                + " its console output under a line '==> NAME <==', then a summary table; exit status 0 when"
                + " every program exited 0, 1 otherwise."})
public final class ExecCommand implements Callable<Integer> {
    static final String DEMO_RESOURCE = "/firmware/demo.elf";

    @Option(names = "--machine", defaultValue = "mps2-an386", description = "Board name (default: ${DEFAULT-VALUE}).")
    String machine;

    @Option(names = "--semihosting", description = "Answer ARM semihosting calls (console, exit, ...).")
    boolean semihosting;

    @Option(names = "--max-instructions", paramLabel = "N", description = "Stop after N instructions (status 5).")
    long maxInstructions;

    @Option(names = "--max-time", paramLabel = "DURATION", description = "Stop at this virtual time (such as 30s,"
            + " 10min, 1d; status 0: a meter's firmware runs until it is stopped).")
    String maxTime;

    @Option(names = "--stats", description = "Print one JSON line of run statistics on stderr at exit.")
    boolean stats;

    @Option(names = "--host-dir", paramLabel = "DIR", description = "Directory the guest may open files in.")
    Path hostDir;

    @Option(names = "--uart", paramLabel = "NAME=SPEC",
            description = "Connect a UART to the host: NAME=tcp:[ADDRESS:]PORT (a TCP server on 127.0.0.1 unless"
                    + " ADDRESS is given), NAME=serial:DEVICE, NAME=stdio or NAME=file:PATH. Repeatable.")
    java.util.List<String> uarts = new java.util.ArrayList<>();

    @Option(names = "--display", description = "Print what each text display (the meter's segment LCD) shows on "
            + "stderr, with the virtual time, whenever it changes.")
    boolean display;

    @Option(names = "--realtime", description = "Throttle virtual time to the wall clock (for interactive clients).")
    boolean realtime;

    @Option(names = "--quantum", paramLabel = "MICROSECONDS", defaultValue = "100",
            description = "Virtual time between checks for host input, in microseconds (default: ${DEFAULT-VALUE}).")
    long quantumMicros;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the executed instructions to FILE: a line "
            + "per run of straight-line code with its symbol (gzipped when FILE ends in .gz).")
    Path trace;

    @Option(names = "--trace-registers", description = "With --trace: a line per instruction with the registers "
            + "that changed.")
    boolean traceRegisters;

    @Option(names = "--coverage", paramLabel = "FILE", description = "Write an lcov tracefile of the source lines "
            + "executed to FILE, from the ELF's DWARF line table (build with -g).")
    Path coverage;

    @Option(names = "--gdb", paramLabel = "[ADDRESS:]PORT",
            description = "Serve gdb's remote protocol (target remote :PORT) on 127.0.0.1 unless ADDRESS is given.")
    String gdb;

    @Option(names = "--gdb-wait", description = "With --gdb: stay halted at reset until gdb continues.")
    boolean gdbWait;

    @Option(names = "--self-check", description = "Run the program twice in step, every instruction interpreted"
            + " and every block compiled, and report the first instruction where registers, flags, memory or"
            + " output differ (status 8).")
    boolean selfCheck;

    @Option(names = "--junit", paramLabel = "FILE.xml", description = "With several ELFs: write the results as a"
            + " JUnit XML report (a test case per ELF, its console output, a failure for a non-zero exit).")
    Path junit;

    @Parameters(arity = "0..*", paramLabel = "FILE.elf|DIR",
            description = "The ELF to run (default: the bundled demo, with semihosting; with --machine management,"
                    + " the bundled bootloader and RTOS image); several, or a directory, run as a suite.")
    java.util.List<Path> elfs = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        if (maxInstructions < 0) {
            return fail("--max-instructions: must not be negative");
        }
        if (hostDir != null && !Files.isDirectory(hostDir)) {
            return fail("--host-dir: " + hostDir + ": not a directory");
        }
        if (elfs.size() > 1 || (elfs.size() == 1 && Files.isDirectory(elfs.get(0)))) {
            return runSuite();
        }
        if (junit != null) {
            return fail("--junit: needs several ELFs or a directory");
        }
        Path file = elfs.isEmpty() ? null : elfs.get(0);
        boolean bundledManagement = file == null && "management".equals(machine);
        if (bundledManagement) {
            file = org.metertwin.management.ManagementFirmware.bootloader();
        } else if (file == null) {
            file = extractDemo();
            semihosting = true;
        } else if (!Files.isRegularFile(file)) {
            return fail(file + ": no such file");
        } else if (!Files.isReadable(file)) {
            return fail(file + ": not readable");
        }
        if (traceRegisters && trace == null) {
            return fail("--trace-registers: needs --trace FILE");
        }
        if (trace != null && coverage != null && trace.toAbsolutePath().equals(coverage.toAbsolutePath())) {
            return fail("--trace and --coverage: both name " + trace);
        }
        if (quantumMicros <= 0 || quantumMicros > 1_000_000) {
            return fail("--quantum: expected 1 to 1000000 microseconds, got " + quantumMicros);
        }
        if (gdbWait && gdb == null) {
            return fail("--gdb-wait: needs --gdb PORT");
        }
        ExecOptions o;
        try {
            // a meter's console is read as it comes: flushed at each line; a test program's output in blocks
            o = options(bundledManagement ? new java.io.PrintStream(System.out, true) : new BufferedOutputStream(
                    System.out, 1 << 16), System.err);
        } catch (BadOption e) {
            return fail(e.getMessage());
        }
        if (bundledManagement) {
            o.setups.add(0, org.metertwin.management.ManagementFirmware.install(
                    org.metertwin.management.ManagementFirmware.rtosImage()));
        }
        o.commandLine = file.getFileName().toString();
        ExecResult r;
        String difference = null;
        try {
            if (selfCheck) {
                SelfCheck.Result check = SelfCheck.run(machine, file, o);
                r = check.exec();
                difference = check.difference();
            } else {
                r = Exec.run(machine, file, o);
            }
        } catch (MachineException | NoSuchFileException | FileNotFoundException e) {
            return fail(e.getMessage());
        } catch (IOException e) { // ElfFormatException names the file and the problem
            return fail(e.getMessage());
        }
        System.out.flush();
        if (difference != null) {
            err.println("metertwin: self-check: " + difference);
        } else if (!r.message().isEmpty()) {
            err.println("metertwin: " + r.message());
        }
        if (selfCheck && difference == null) {
            err.println("metertwin: self-check: interpreted and compiled runs agree over " + r.instructions()
                    + " instructions");
        }
        if (stats) {
            double mips = r.wallMillis() == 0 ? 0 : r.instructions() / (r.wallMillis() * 1000.0);
            err.println(String.format(Locale.ROOT,
                    "{\"instructions\":%d,\"cycles\":%d,\"virtualNanos\":%d,\"wallMillis\":%d,\"mips\":%.1f}",
                    r.instructions(), r.cycles(), r.virtualNanos(), r.wallMillis(), mips));
        }
        return difference != null ? ExecResult.STATUS_SELF_CHECK_DIFFERS : r.exitStatus();
    }

    /** A user's mistake in the options, found while building them: one line, exit status 2. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    /** The run options every program of this command gets, with its console streams. */
    ExecOptions options(java.io.OutputStream console, java.io.OutputStream errorConsole) throws BadOption {
        PrintStream err = System.err;
        ExecOptions o = new ExecOptions();
        if (gdb != null) {
            GdbAddress at = GdbAddress.parse(gdb);
            if (at == null) {
                throw new BadOption(GdbAddress.expected(gdb));
            }
            o.gdbPort = at.port();
            o.gdbHost = at.host();
            o.gdbWait = gdbWait;
            o.gdbListening = a -> err.println("metertwin: gdb server listening on " + a.getHostString() + ":"
                    + a.getPort());
        }
        o.realtime = realtime;
        o.quantumNanos = quantumMicros * 1000;
        for (String u : uarts) {
            int eq = u.indexOf('=');
            if (eq <= 0 || eq == u.length() - 1) {
                throw new BadOption("--uart " + u + ": expected NAME=SPEC, such as USART1=tcp:4000");
            }
            String name = u.substring(0, eq);
            String spec = u.substring(eq + 1);
            o.uarts.add(board -> HostBridges.open(spec, board, name, System.in, System.out));
        }
        if (display) {
            o.setups.add(board -> {
                for (TextDisplay d : board.devicesOf(TextDisplay.class)) {
                    d.listen(text -> err.println(String.format(Locale.ROOT, "[%.6f s] %s: %s",
                            board.cpu().events().now() / 1e9, d.name(), text)));
                }
            });
        }
        o.semihosting = semihosting;
        o.maxInstructions = maxInstructions;
        if (maxTime != null) {
            try {
                o.maxVirtualNanos = org.metertwin.scenario.Durations.parse(maxTime);
            } catch (IllegalArgumentException e) {
                throw new BadOption("--max-time: " + e.getMessage());
            }
            if (o.maxVirtualNanos <= 0) {
                throw new BadOption("--max-time: must be more than 0, got " + maxTime);
            }
        }
        o.trace = trace;
        o.traceRegisters = traceRegisters;
        o.coverage = coverage;
        o.console = console;
        o.errorConsole = errorConsole;
        o.stdin = System.in;
        o.hostDir = hostDir;
        return o;
    }

    /** Several ELFs, or a directory of them: {@link ExecSuite}. */
    private int runSuite() throws IOException {
        for (String[] o : new String[][] {{"--gdb", gdb}, {"--trace", str(trace)}, {"--coverage", str(coverage)},
                {"--uart", uarts.isEmpty() ? null : uarts.get(0)}}) {
            if (o[1] != null) {
                return fail(o[0] + ": runs one ELF, not several");
            }
        }
        if (maxInstructions < 0) {
            return fail("--max-instructions: must not be negative");
        }
        if (hostDir != null && !Files.isDirectory(hostDir)) {
            return fail("--host-dir: " + hostDir + ": not a directory");
        }
        if (quantumMicros <= 0 || quantumMicros > 1_000_000) {
            return fail("--quantum: expected 1 to 1000000 microseconds, got " + quantumMicros);
        }
        java.util.List<ExecSuite.Program> programs;
        try {
            programs = ExecSuite.find(elfs);
            org.metertwin.core.machine.MachineDescriptions.load(machine); // a wrong name fails once, not per program
        } catch (ExecSuite.BadPath | MachineException e) {
            return fail(e.getMessage());
        }
        ExecSuite suite = new ExecSuite(machine, selfCheck, (console, errorConsole) -> {
            try {
                return options(console, errorConsole);
            } catch (BadOption e) {
                throw new IllegalStateException(e); // the options were checked before the first program
            }
        });
        try {
            options(java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream());
        } catch (BadOption e) {
            return fail(e.getMessage());
        }
        java.util.List<ExecSuite.Result> results = suite.run(programs, System.out, System.err);
        if (junit != null) {
            try {
                JUnitReport.write(junit, machine, results);
            } catch (IOException e) {
                return fail("--junit " + junit + ": cannot write: " + e.getMessage());
            }
        }
        return results.stream().allMatch(r -> r.exitStatus() == 0) ? 0 : 1;
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }

    private int fail(String message) {
        System.err.println("metertwin: " + message);
        return MeterTwin.BAD_INPUT;
    }

    private static Path extractDemo() throws IOException {
        Path tmp = Files.createTempFile("metertwin-demo", ".elf");
        tmp.toFile().deleteOnExit();
        try (InputStream in = ExecCommand.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IOException("the bundled demo firmware is missing from the jar");
            }
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }
}
