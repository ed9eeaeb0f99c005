package org.metertwin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.MetrologyMeter;
import org.metertwin.metering.vbus.VbusException;
import org.metertwin.scenario.ManagementBoardEnd;
import org.metertwin.scenario.MetrologyMeterUnderTest;
import org.metertwin.scenario.Progress;
import org.metertwin.scenario.Report;
import org.metertwin.scenario.Scenario;
import org.metertwin.scenario.ScenarioException;
import org.metertwin.scenario.ScenarioLoader;
import org.metertwin.scenario.ScenarioRunner;
import org.metertwin.scenario.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metertwin run}: plays a scenario on the meter and checks its expectations (docs/scenarios.md). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario (mains, load, expectations) on the emulated meter. Exit status: 0 every"
                + " expectation holds; 1 one fails; 2 bad scenario or input; 3 the meter failed (core locked up"
                + " or faulted, or no answer on its link).")
public final class RunCommand implements Callable<Integer> {
    /** The scenario run when no FILE is given. */
    static final String DEFAULT_SCENARIO = "example.yaml";

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.yaml",
            description = "The scenario (default: the bundled " + DEFAULT_SCENARIO + ").")
    Path file;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the JSON report to this file.")
    Path report;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--firmware", paramLabel = "FILE.elf", description = "Metering firmware (default: the bundled one).")
    Path firmware;

    @Option(names = "--eeprom", paramLabel = "FILE",
            description = "The metering board's EEPROM image, kept in this file (default: in memory, blank).")
    Path eeprom;

    @Option(names = "--gdb", paramLabel = "[ADDRESS:]PORT",
            description = "Serve gdb's remote protocol for the metering core on 127.0.0.1 unless ADDRESS is given.")
    String gdb;

    @Option(names = "--gdb-wait", description = "With --gdb: hold the metering core at reset until gdb continues.")
    boolean gdbWait;

    @Option(names = "--management-firmware", paramLabel = "FILE.elf",
            description = "Put a management board (machine management) running this firmware at the far end of"
                    + " the virtual-bus link instead of the Java stand-in; the firmware must route the bus between"
                    + " its vbus-link UART (USART2) and its rs485 UART (USART3), where the scenario's client speaks.")
    Path managementFirmware;

    @Option(names = "--management-gdb", paramLabel = "[ADDRESS:]PORT",
            description = "With --management-firmware: serve gdb's remote protocol for the management core on"
                    + " 127.0.0.1 unless ADDRESS is given (with --gdb: both cores, on two ports).")
    String managementGdb;

    @Option(names = "--management-gdb-wait",
            description = "With --management-gdb: hold the management core at reset until gdb continues.")
    boolean managementGdbWait;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        Scenario scenario;
        try {
            scenario = file == null ? ScenarioLoader.bundled(DEFAULT_SCENARIO) : ScenarioLoader.load(file);
        } catch (ScenarioException e) {
            return fail(e.getMessage());
        }
        if (report != null) {
            Path dir = report.toAbsolutePath().getParent();
            if (Files.isDirectory(report) || dir == null || !Files.isDirectory(dir)) {
                return fail("--report " + report + ": expected a file in an existing directory");
            }
        }
        GdbAddress gdbAt = gdb == null ? null : GdbAddress.parse(gdb);
        if (gdb != null && gdbAt == null) {
            return fail(GdbAddress.expected(gdb));
        }
        if (gdbWait && gdb == null) {
            return fail("--gdb-wait: needs --gdb PORT");
        }
        GdbAddress managementGdbAt = managementGdb == null ? null : GdbAddress.parse(managementGdb);
        if (managementGdb != null && managementGdbAt == null) {
            return fail(GdbAddress.expected("--management-gdb", managementGdb));
        }
        if (managementGdb != null && managementFirmware == null) {
            return fail("--management-gdb: needs --management-firmware FILE.elf");
        }
        if (managementGdbWait && managementGdb == null) {
            return fail("--management-gdb-wait: needs --management-gdb PORT");
        }
        ManagementEnd end = ManagementEnd.JAVA;
        ManagementBoardEnd board = null;
        if (managementFirmware != null) {
            if (Files.isDirectory(managementFirmware)) {
                return fail("--management-firmware " + managementFirmware + ": is a directory, expected an ELF file");
            }
            if (!Files.isRegularFile(managementFirmware)) {
                return fail("--management-firmware " + managementFirmware + ": no such file");
            }
            try {
                end = board = new ManagementBoardEnd(ElfFile.read(managementFirmware));
            } catch (IOException e) {
                return fail("--management-firmware " + e.getMessage());
            }
        }
        if (firmware != null && Files.isDirectory(firmware)) {
            return fail("--firmware " + firmware + ": is a directory, expected an ELF file");
        }
        if (firmware != null && !Files.isRegularFile(firmware)) {
            return fail("--firmware " + firmware + ": no such file");
        }
        if (eeprom != null && Files.isDirectory(eeprom)) {
            return fail("--eeprom " + eeprom + ": is a directory, expected a file");
        }
        if (eeprom != null && (eeprom.toAbsolutePath().getParent() == null
                || !Files.isDirectory(eeprom.toAbsolutePath().getParent()))) {
            return fail("--eeprom " + eeprom + ": expected a file in an existing directory");
        }
        MetrologyMeter meter;
        try {
            meter = MetrologyMeter.create(firmware, eeprom, end);
        } catch (MachineException | IOException e) {
            // the image is the EEPROM device's file setting; the user named it with --eeprom, so say that
            int setting = e.getMessage().indexOf("(eeprom): properties.file: ");
            return fail(eeprom != null && setting >= 0 ? "--eeprom: " + e.getMessage().substring(setting + 27)
                    : e.getMessage());
        }
        try (meter; ManagementBoardEnd managementBoard = board) {
            if (managementGdbAt != null) {
                try {
                    java.net.InetSocketAddress a = managementBoard.serveGdb(managementGdbAt.host(),
                            managementGdbAt.port(), managementGdbWait);
                    err.println("metertwin: gdb server for the management core listening on " + a.getHostString()
                            + ":" + a.getPort());
                } catch (IOException e) {
                    return fail(e.getMessage());
                }
            }
            if (gdbAt != null) {
                try {
                    java.net.InetSocketAddress a = meter.serveGdb(gdbAt.host(), gdbAt.port(), gdbWait);
                    err.println("metertwin: gdb server for the metering core listening on " + a.getHostString() + ":"
                            + a.getPort());
                } catch (IOException e) {
                    return fail(e.getMessage());
                }
            }
            return play(scenario, meter, err);
        }
    }

    private int play(Scenario scenario, MetrologyMeter meter, PrintStream err) {
        boolean showProgress = !quiet && System.console() != null;
        Progress progress = new Progress(showProgress ? err : null, scenario.durationNanos(), System::nanoTime);
        long wallStart = System.nanoTime();
        ScenarioRunner.Result result;
        try {
            result = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter), progress);
        } catch (MachineException e) {
            progress.done();
            err.println("metertwin: " + e.getMessage());
            return ExecResult.STATUS_LOCKUP;
        } catch (VbusException e) {
            progress.done();
            err.println("metertwin: the meter did not answer on its link: " + e.getMessage());
            return ExecResult.STATUS_LOCKUP;
        }
        Report r = Report.of(scenario, result, System.nanoTime() - wallStart);
        System.out.print(Summary.of(r));
        System.out.flush();
        if (report != null) {
            try {
                Files.writeString(report, r.toJson());
            } catch (IOException e) {
                return fail("--report " + report + ": cannot be written: " + e.getMessage());
            }
        }
        return r.pass() ? 0 : 1;
    }

    private static int fail(String message) {
        System.err.println("metertwin: " + message);
        return MeterTwin.BAD_INPUT;
    }
}
