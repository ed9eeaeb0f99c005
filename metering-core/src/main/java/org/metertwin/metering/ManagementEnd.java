package org.metertwin.metering;

import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.Simulation;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.metering.vbus.VbusPort;

/**
 * What sits at the management side of the metering core's virtual-bus link: the seam between the meter and
 * whatever plays the management core. {@link #JAVA} is the Java stand-in (a virtual-bus client linked to the
 * metering board's link UART); a management board is another end, which joins the simulation as a second
 * board linked to that UART and hands back a client on one of its own ports. The scenario runner and the
 * tests read the meter through the client they get, and never learn which end it is.
 */
@FunctionalInterface
public interface ManagementEnd {
    /** The Java stand-in for the management core: the client itself at the far end of the link. */
    ManagementEnd JAVA = (simulation, metering, linkUart) -> {
        var port = VbusPort.create("management (Java)");
        simulation.link(metering, linkUart, port.peer());
        return new VbusClient(simulation, port, MeteringData.MANAGEMENT_CORE,
                MeteringData.METERING_CORE);
    };

    /**
     * Joins {@code simulation} at the far end of {@code metering}'s UART {@code linkUart}, and returns the client
     * through which the meter is read (address 0x10 talking to 0x01).
     */
    VbusClient connect(Simulation simulation, Board metering, String linkUart) throws MachineException;
}
