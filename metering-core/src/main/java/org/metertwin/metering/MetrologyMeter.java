package org.metertwin.metering;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.BoardDebugger;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.Outcome;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.Simulation;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.peripherals.meter.inputs.Button;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.pulse.PulseOutput;

/**
 * The legal-metrology core on its own: the built-in {@code metrology} board (machines/metrology.yaml) running
 * the metering firmware (metering-core/firmware, bundled as /firmware/metrology.elf). A scenario sets the
 * mains at the present virtual time, runs the board, and reads the registers over the virtual-bus link as
 * the management core would. The image is loaded as {@code Exec.run} loads it, and reloaded at every system
 * reset, so a power cut and the power-on reset after it restart the firmware from its reset vector.
 */
public final class MetrologyMeter implements AutoCloseable {
    public static final String BOARD = "metrology";
    /** Pulses per kWh of the calibration LED with the factory calibration. */
    public static final int METER_CONSTANT = 1000;
    /** The firmware's metering period, in virtual nanoseconds (README.md of the firmware). */
    public static final long PERIOD_NANOS = 250_000_000L;
    /**
     * The roles of the board's parts this class drives, named in machines/metrology.yaml's {@code roles}:
     * the UART that links the metering core to the management core, the mains at the terminals, the
     * calibration LED, the calibration-enable jumper and the EEPROM.
     */
    public static final String LINK_ROLE = "vbus-link", MAINS_ROLE = "mains", LED_ROLE = "pulse-led",
            CALIBRATION_ENABLE_ROLE = "calibration-enable", EEPROM_ROLE = "eeprom";
    static final String BUNDLED_ELF = "/firmware/metrology.elf";

    private final Board board;
    /**
     * The owner of the run's virtual time: the board, the management end (a Java peer or another board),
     * scenario actions scheduled on it, gdb's holds.
     */
    private final Simulation simulation;
    private final ElfFile elf;
    private final Mains mains;
    private final PulseOutput led;
    private final Button calibrationEnable;
    private final VbusClient link;

    private BoardDebugger gdb;

    private MetrologyMeter(Board board, ElfFile elf, ManagementEnd management) throws MachineException {
        this.board = board;
        this.elf = elf;
        this.mains = device(board, MAINS_ROLE, Mains.class);
        this.led = device(board, LED_ROLE, PulseOutput.class);
        this.calibrationEnable = device(board, CALIBRATION_ENABLE_ROLE, Button.class);
        try {
            board.loadFirmware(elf);
        } catch (ElfFormatException e) {
            throw new MachineException(e.getMessage());
        }
        board.cpu().setStopOnMissingFaultHandler(true);
        board.reset(ResetCause.POWER_ON);
        this.simulation = new Simulation(Simulation.DEFAULT_QUANTUM_NANOS, board.cpu().virtualNanos());
        simulation.add(board);
        this.link = management.connect(simulation, board, board.description().deviceFor(LINK_ROLE));
    }

    /** The built-in board with the bundled firmware, EEPROM in memory. */
    public static MetrologyMeter create() throws MachineException, IOException {
        return create(null, null);
    }

    /** {@code elf == null}: the bundled firmware; {@code eepromFile == null}: EEPROM in memory (erased). */
    public static MetrologyMeter create(Path elf, Path eepromFile) throws MachineException, IOException {
        return create(elf, eepromFile, ManagementEnd.JAVA);
    }

    /** As {@link #create(Path, Path)}, with {@code management} at the far end of the virtual-bus link. */
    public static MetrologyMeter create(Path elf, Path eepromFile, ManagementEnd management)
            throws MachineException, IOException {
        MachineDescription description = MachineDescriptions.load(BOARD);
        if (eepromFile != null) {
            description = withEepromFile(description, eepromFile);
        }
        ElfFile image = elf == null ? bundledElf() : ElfFile.read(elf);
        return new MetrologyMeter(new Board(BOARD, description, OutputStream.nullOutputStream()), image, management);
    }

    /** A variant of the board (for tests: a wire cut, a part changed) with the bundled firmware. */
    static MetrologyMeter create(MachineDescription description) throws MachineException, IOException {
        return new MetrologyMeter(new Board(BOARD, description, OutputStream.nullOutputStream()), bundledElf(),
                ManagementEnd.JAVA);
    }

    private static ElfFile bundledElf() throws IOException {
        try (InputStream in = MetrologyMeter.class.getResourceAsStream(BUNDLED_ELF)) {
            if (in == null) {
                throw new IOException("the bundled firmware " + BUNDLED_ELF + " is missing from the class path");
            }
            return ElfFile.parse("metrology.elf (bundled)", in.readAllBytes());
        }
    }

    /** The description with the EEPROM's contents kept in a host file (docs/meter-devices.md, Persistence). */
    private static MachineDescription withEepromFile(MachineDescription d, Path file) throws MachineException {
        String eeprom = d.deviceFor(EEPROM_ROLE);
        List<MachineDescription.Device> devices = new ArrayList<>();
        for (MachineDescription.Device dev : d.devices()) {
            if (dev.name().equals(eeprom)) {
                Map<String, Object> properties = new LinkedHashMap<>(dev.properties());
                properties.put("file", file.toString());
                dev = new MachineDescription.Device(dev.name(), dev.type(), dev.base(), dev.size(), dev.irqs(),
                        dev.pins(), properties);
            }
            devices.add(dev);
        }
        return d.withDevices(devices);
    }

    private static <T> T device(Board board, String role, Class<T> type) throws MachineException {
        String name = board.description().deviceFor(role);
        Object o = board.deviceObject(name);
        if (!type.isInstance(o)) {
            throw new MachineException(board.name() + ": expected a " + type.getSimpleName() + " called '" + name
                    + "' (the " + role + ")");
        }
        return type.cast(o);
    }

    public Board board() {
        return board;
    }

    /** The simulation the board runs in: schedule actions at virtual instants here ({@link Simulation#at}). */
    public Simulation simulation() {
        return simulation;
    }

    /** The mains at the terminals: a scenario sets its {@code MainsState} here, at {@link #now()}. */
    public Mains mains() {
        return mains;
    }

    /** The calibration LED (meter constant {@link #METER_CONSTANT} imp/kWh with the factory calibration). */
    public PulseOutput led() {
        return led;
    }

    /**
     * The client the meter is read through (address 0x10, talking to 0x01), at the {@link ManagementEnd} the
     * meter was created with: by default the Java stand-in linked to the {@code vbus-link} UART.
     */
    public VbusClient link() {
        return link;
    }

    /** Asserts or releases the calibration-enable input (a jumper on the board). */
    public void setCalibrationEnable(boolean asserted) {
        if (asserted) {
            calibrationEnable.press();
        } else {
            calibrationEnable.release();
        }
    }

    /** Virtual nanoseconds since the board was built. */
    public long now() {
        return board.cpu().virtualNanos();
    }

    /**
     * Runs the board to virtual time {@code nanos}. A core that locks up, or faults with no handler, stops the
     * run with a one-line {@link MachineException}: what happened, the PC and its symbol, the fault registers.
     */
    public void runUntil(long nanos) throws MachineException {
        StopReason r = simulation.runUntil(nanos) == null ? StopReason.BUDGET : simulation.lastStop();
        if (r == StopReason.LOCKUP) {
            CortexM4 cpu = board.cpu();
            throw new MachineException(BOARD + ": " + Exec.describe(
                    cpu.missingFaultHandler() ? Outcome.UNHANDLED_FAULT : Outcome.LOCKUP, cpu, board.bus(), elf.symbols()));
        }
        if (gdb != null && gdb.killed()) {
            throw new MachineException(BOARD + ": gdb killed the run");
        }
    }

    /**
     * Serves gdb's remote protocol for the metering core on {@code host:port} (port 0: any free port); with
     * {@code waitForDebugger} the core stays halted at reset until gdb continues it. While gdb holds the core,
     * virtual time stands still. Returns the address it listens on.
     */
    public java.net.InetSocketAddress serveGdb(String host, int port, boolean waitForDebugger) throws IOException {
        if (gdb != null) {
            throw new IllegalStateException("a gdb server is already attached");
        }
        gdb = BoardDebugger.serve(simulation, board, host, port, waitForDebugger); // the scenario and the reads over the link run under gdb too
        return gdb.address();
    }

    /** Stops the gdb server, if one is attached. */
    @Override
    public void close() {
        if (gdb != null) {
            gdb.close();
            gdb = null;
        }
    }
}
