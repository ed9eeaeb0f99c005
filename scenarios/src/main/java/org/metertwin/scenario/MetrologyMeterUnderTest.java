package org.metertwin.scenario;

import org.metertwin.core.machine.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.MachineException;
import org.metertwin.metering.MetrologyMeter;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusException;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.peripherals.meter.mains.MainsState;

/** The legal-metrology core alone, read over its virtual-bus link (docs/virtual-bus.md). */
public final class MetrologyMeterUnderTest implements MeterUnderTest {
    private final MetrologyMeter meter;

    public MetrologyMeterUnderTest(MetrologyMeter meter) {
        this.meter = meter;
    }

    public Simulation simulation() {
        return meter.simulation();
    }

    public long now() {
        return meter.now();
    }

    public void runUntil(long nanos) throws MachineException {
        meter.runUntil(nanos);
    }

    public void setMains(MainsState state) {
        meter.mains().set(state, meter.now());
    }

    public long pulses() {
        return meter.led().count();
    }

    public long[] readEnergyRegisters() throws VbusException {
        return energyRegisters(meter.link().get(MeteringData.ENERGY_BLOCK));
    }

    public List<MeterEvent> readEvents() throws VbusException {
        VbusFrame header = meter.link().get(MeteringData.EVENT_HEADER);
        if (header.length() < 6) {
            throw new VbusException("event log header: expected 6 bytes, got " + header.length());
        }
        int held = header.u16(4);
        if (held > 0x20) {
            throw new VbusException("event log header: expected at most 32 records held, got " + held);
        }
        List<MeterEvent> events = new ArrayList<>();
        for (int nn = held; nn >= 1; nn--) { // record 1 is the most recent: read oldest first
            events.add(eventRecord(meter.link().get(MeteringData.EVENT_RECORD + nn)));
        }
        return events;
    }

    /** The seven u64 energies of a DI 00.80.00.00 reply. */
    static long[] energyRegisters(VbusFrame reply) throws VbusException {
        if (reply.length() != 56) {
            throw new VbusException("energy block: expected 56 bytes, got " + reply.length());
        }
        long[] r = new long[7];
        for (int i = 0; i < 7; i++) {
            r[i] = reply.u64(8 * i);
        }
        return r;
    }

    /** One 8-byte event record: u8 code, u8 kind, u16 boot, u32 milliseconds since that boot. */
    static MeterEvent eventRecord(VbusFrame reply) throws VbusException {
        if (reply.length() != 8) {
            throw new VbusException("event record " + VbusFrame.dataIdText(reply.dataId()) + ": expected 8 bytes, got "
                    + reply.length());
        }
        return MeterEvent.of(reply.u8(0), reply.u8(1), reply.u16(2), reply.u32(4));
    }
}
