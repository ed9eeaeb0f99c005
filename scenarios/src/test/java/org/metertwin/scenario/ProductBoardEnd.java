package org.metertwin.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.Simulation;
import org.metertwin.core.semihosting.Semihosting;
import org.metertwin.management.ManagementFirmware;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.metering.vbus.VbusPort;

/**
 * The management board as shipped at the far end of the metering core's link: the bootloader
 * ({@link ManagementFirmware#bootloader()}) starts the signed product image (the RTOS, its router, measurement
 * management, energy app and communication management), whose router owns the link (USART2, {@code vbus-link}).
 * The client the runner reads the meter through is an external master on the RS-485 line (USART3, {@code rs485}),
 * the maintenance port that communication management owns and forwards through the router as client 0x1E: every
 * frame it exchanges crosses both, and the router checks it against comm's manifest. The debug console (USART1)
 * is kept line by line with the virtual time each line ended at.
 */
final class ProductBoardEnd implements ManagementEnd {
    static final String MACHINE = "management";
    static final int MAINTENANCE = 0x1E;

    private final byte[] image;
    private Board board;
    private Simulation simulation;
    /** The console's lines, each with the simulation's time when its newline was written. */
    private final StampedConsole console = new StampedConsole(() -> simulation == null ? 0 : simulation.now());

    /** The bundled product image. */
    ProductBoardEnd() {
        this(ManagementFirmware.rtosImage());
    }

    /** A signed image of the RTOS ({@link ManagementFirmware#sign}). */
    ProductBoardEnd(byte[] image) {
        this.image = image;
    }

    Board board() {
        return board;
    }

    List<StampedConsole.Line> console() {
        return console.lines();
    }

    String consoleText() {
        StringBuilder s = new StringBuilder();
        for (StampedConsole.Line l : console()) {
            s.append(l.text()).append('\n');
        }
        return s.toString();
    }

    @Override
    public VbusClient connect(Simulation simulation, Board metering, String linkUart) throws MachineException {
        this.simulation = simulation;
        MachineDescription description = MachineDescriptions.load(MACHINE);
        board = new Board(MACHINE, description, console);
        try {
            board.loadFirmware(ElfFile.read(ManagementFirmware.bootloader()));
        } catch (IOException e) {
            throw new MachineException("bootloader: " + e.getMessage());
        }
        board.cpu().setBreakpointHandler(new Semihosting(OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), InputStream.nullInputStream(), null, MACHINE, board.heapInfo()));
        board.reset(ResetCause.POWER_ON);
        ManagementFirmware.install(image).prepare(board);
        simulation.add(board);
        simulation.link(metering, linkUart, board, description.deviceFor(ManagementBoardEnd.LINK_ROLE));
        VbusPort master = VbusPort.create("maintenance master (Java)");
        simulation.link(board, description.deviceFor(ManagementBoardEnd.SERVICE_ROLE), master.peer());
        return new VbusClient(simulation, master, MAINTENANCE, MeteringData.METERING_CORE);
    }
}
