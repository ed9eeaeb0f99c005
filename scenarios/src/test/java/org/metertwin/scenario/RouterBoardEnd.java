package org.metertwin.scenario;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.machine.Board;
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
 * A second emulated board as the management end of the metering core's link: a netduinoplus2 running the
 * virtual-bus router (src/test/firmware/vbus-router), its USART2 linked to the metering board's link UART
 * by a {@code SerialLink}, and the client the meter is read through speaking on its USART3 as a service of
 * the management core would. Every frame the runner exchanges crosses both boards' firmware.
 */
final class RouterBoardEnd implements ManagementEnd {
    static final String NAME = "management";
    static final Path ELF = Path.of("src/test/resources/firmware/vbus-router/router.elf");

    private Board board;

    /** The router's board, once connected. */
    Board board() {
        return board;
    }

    @Override
    public VbusClient connect(Simulation simulation, Board metering, String linkUart) throws MachineException {
        board = new Board(NAME, MachineDescriptions.load("netduinoplus2").withName(NAME),
                OutputStream.nullOutputStream());
        try {
            board.loadFirmware(ElfFile.read(ELF));
        } catch (java.io.IOException e) {
            throw new MachineException(ELF + ": " + e.getMessage());
        }
        // the C library's start-up opens the semihosting console; nothing is printed
        board.cpu().setBreakpointHandler(new Semihosting(OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), InputStream.nullInputStream(), null, NAME, board.heapInfo()));
        board.reset(ResetCause.POWER_ON);
        simulation.add(board);
        simulation.link(metering, linkUart, board, "USART2");
        VbusPort host = VbusPort.create("service (Java)");
        simulation.link(board, "USART3", host.peer());
        return new VbusClient(simulation, host, MeteringData.MANAGEMENT_CORE, MeteringData.METERING_CORE);
    }
}
