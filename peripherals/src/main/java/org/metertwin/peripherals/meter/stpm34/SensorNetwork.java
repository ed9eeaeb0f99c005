package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.MachineException;

/**
 * CONTRACT SKELETON (to be implemented): how the board connects the mains to the STPM34's four inputs. Each
 * voltage channel senses the line voltage through a resistive divider R1/R2; each current channel senses
 * the phase or neutral current through a shunt (ohms) or a current transformer (ratio and burden).
 */
public final class SensorNetwork {
    /** The scaling of ST's EVALSTPM34 reference board, channel 1 on the phase current, 2 on the neutral. */
    public static SensorNetwork referenceBoard() {
        return new SensorNetwork();
    }

    /** Reads the network from a device entry's properties (names documented on the implementation). */
    public static SensorNetwork from(DeviceContext c) throws MachineException {
        return referenceBoard();
    }
}
