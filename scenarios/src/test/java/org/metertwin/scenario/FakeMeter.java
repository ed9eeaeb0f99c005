package org.metertwin.scenario;

import org.metertwin.core.machine.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.metertwin.peripherals.meter.mains.MainsState;

/** A meter for runner tests: records what the runner does to it and answers with fixed readings. */
final class FakeMeter implements MeterUnderTest {
    record Change(long atNanos, MainsState state) {
    }

    final List<Change> changes = new ArrayList<>();
    final List<Long> runs = new ArrayList<>();
    long now;
    long[] registers = new long[7];
    List<MeterEvent> events = List.of();
    long pulses;

    public long now() {
        return now;
    }

    private Simulation simulation;

    /** A simulation of no board with this meter as its one peer: each step it advances is a run. */
    public Simulation simulation() {
        if (simulation == null) {
            simulation = new Simulation(Simulation.DEFAULT_QUANTUM_NANOS, now);
            simulation.addPeer(nanos -> {
                if (nanos < now) {
                    throw new AssertionError("ran backwards to " + nanos + " from " + now);
                }
                runs.add(nanos);
                now = nanos;
            });
        }
        return simulation;
    }

    public void runUntil(long nanos) {
        simulation().runUntil(nanos);
    }

    public void setMains(MainsState state) {
        changes.add(new Change(now, state));
    }

    public long pulses() {
        return pulses;
    }

    public long[] readEnergyRegisters() {
        now += 5_000_000; // an exchange on the link takes virtual time
        return registers.clone();
    }

    public List<MeterEvent> readEvents() {
        return events;
    }
}
