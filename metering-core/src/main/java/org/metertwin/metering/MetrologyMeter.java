package org.metertwin.metering;

import java.io.IOException;
import java.nio.file.Path;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineException;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.pulse.PulseOutput;

/**
 * TEMPORARY stand-in for the metrology meter of branch meterfw, with its exact API, so that the scenario
 * runner compiles before that branch is merged. The integrator drops this file in favour of the real one.
 */
public final class MetrologyMeter {
    public static final String BOARD = "metrology";
    public static final int METER_CONSTANT = 1000;

    private MetrologyMeter() {
    }

    public static MetrologyMeter create() throws MachineException, IOException {
        return create(null, null);
    }

    public static MetrologyMeter create(Path elf, Path eepromFile) throws MachineException, IOException {
        throw new MachineException("the metrology board is not available in this build (stand-in of MetrologyMeter)");
    }

    public Board board() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Mains mains() {
        throw new UnsupportedOperationException("stand-in");
    }

    public PulseOutput led() {
        throw new UnsupportedOperationException("stand-in");
    }

    public VbusClient link() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void setCalibrationEnable(boolean asserted) {
        throw new UnsupportedOperationException("stand-in");
    }

    public long now() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void runUntil(long nanos) throws MachineException {
        throw new UnsupportedOperationException("stand-in");
    }
}
