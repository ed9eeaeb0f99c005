package org.metertwin.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.BoardDebugger;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.Simulation;
import org.metertwin.core.semihosting.Semihosting;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.metering.vbus.VbusPort;

/**
 * The management board (machine {@code management}) running a firmware as the management end of the metering
 * core's link: its {@code vbus-link} UART (USART2) linked to the metering board's, and the client the meter is
 * read through on its {@code rs485} UART (USART3), where a local service of the management core speaks. Until
 * the RTOS routes the virtual bus (a later issue) the firmware must do it, as the router test firmware does.
 */
public final class ManagementBoardEnd implements ManagementEnd, AutoCloseable {
    public static final String MACHINE = "management";
    /** The roles (management.yaml) of the two UARTs the end uses. */
    public static final String LINK_ROLE = "vbus-link", SERVICE_ROLE = "rs485";

    private final ElfFile firmware;
    private Board board;
    private Simulation simulation;
    private BoardDebugger gdb;

    public ManagementBoardEnd(ElfFile firmware) {
        this.firmware = firmware;
    }

    /** The management board, once connected (null before). */
    public Board board() {
        return board;
    }

    @Override
    public VbusClient connect(Simulation simulation, Board metering, String linkUart) throws MachineException {
        MachineDescription description = MachineDescriptions.load(MACHINE);
        board = new Board(MACHINE, description, OutputStream.nullOutputStream());
        try {
            board.loadFirmware(firmware);
        } catch (ElfFormatException e) {
            throw new MachineException(e.getMessage());
        }
        // a firmware built with the C library's semihosting start-up opens its console; nothing is printed
        board.cpu().setBreakpointHandler(new Semihosting(OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), InputStream.nullInputStream(), null, MACHINE, board.heapInfo()));
        board.reset(ResetCause.POWER_ON);
        this.simulation = simulation;
        simulation.add(board);
        simulation.link(metering, linkUart, board, description.deviceFor(LINK_ROLE));
        VbusPort service = VbusPort.create("service (Java)");
        simulation.link(board, description.deviceFor(SERVICE_ROLE), service.peer());
        return new VbusClient(simulation, service, MeteringData.MANAGEMENT_CORE, MeteringData.METERING_CORE);
    }

    /**
     * Serves gdb's remote protocol for the management core (once connected) on {@code host:port} (0: any free
     * port); with {@code waitForDebugger} the core stays halted at reset until gdb continues it. The board then
     * runs through the server: while gdb holds it the simulation, and so both boards' virtual time, stands still.
     */
    public InetSocketAddress serveGdb(String host, int port, boolean waitForDebugger) throws IOException {
        if (board == null) {
            throw new IllegalStateException("the management board is not connected yet");
        }
        if (gdb != null) {
            throw new IllegalStateException("a gdb server is already attached");
        }
        gdb = BoardDebugger.serve(simulation, board, host, port, waitForDebugger);
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
