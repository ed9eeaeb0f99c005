package org.metertwin.scenario;

import org.metertwin.core.machine.Simulation;
import java.util.List;
import org.metertwin.core.machine.MachineException;
import org.metertwin.metering.vbus.VbusException;
import org.metertwin.peripherals.meter.mains.MainsState;

/** What the runner needs of a meter: drive its terminals, run it, and read it as its management side would. */
public interface MeterUnderTest {
    /** Virtual nanoseconds. */
    long now();

    /** The owner of the meter's virtual time, where the runner schedules the scenario's actions. */
    Simulation simulation();

    /** Runs the simulation until virtual time reaches {@code nanos}; a core that locks up or faults throws. */
    void runUntil(long nanos) throws MachineException;

    /** The terminals see {@code state} from now on. */
    void setMains(MainsState state);

    /** Pulses of the test LED so far. */
    long pulses();

    /** The seven energy registers (+A, −A, Q1..Q4, S), in thousandths of their unit, read over the link. */
    long[] readEnergyRegisters() throws VbusException;

    /** The event log, oldest first, read over the link. */
    List<MeterEvent> readEvents() throws VbusException;
}
