package org.metertwin.scenario;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.Simulation;
import org.metertwin.metering.vbus.VbusException;

/**
 * Plays a {@link Scenario} on a meter: sets the terminals at the start of each segment (after running up to
 * that time), runs through the scenario in fixed virtual-time steps that also drive the progress line, lets
 * the meter settle without load for {@link #SETTLE_NANOS}, then reads the registers and the event log over the link, counts the LED's pulses and evaluates
 * the expectations against them and the {@link ExactIntegral}.
 */
public final class ScenarioRunner {
    /** Virtual-time steps per run: the progress line's resolution, fixed so the run never depends on it. */
    static final int STEPS = 200;
    /**
     * After the scenario's end the load is removed (the voltage stays) and the meter runs this much longer
     * before it is read, so that the energy of its last metering period reaches the registers and no new
     * energy flows meanwhile.
     */
    public static final long SETTLE_NANOS = 2_000_000_000L;

    private ScenarioRunner() {
    }

    /** What a run gives: the measurements and the evaluated expectations. */
    public record Result(RunOutcome outcome, List<ExpectationResult> expectations) {
        public boolean passed() {
            return expectations.stream().allMatch(ExpectationResult::pass);
        }
    }

    public static Result run(Scenario scenario, MeterUnderTest meter, Progress progress)
            throws MachineException, VbusException {
        long t0 = meter.now();
        long duration = scenario.durationNanos();
        long step = Math.max(1, duration / STEPS);
        List<Segment> segments = scenario.segments();
        // the scenario is a timeline on the meter's simulation: each segment's terminals from its start, and
        // the progress line at fixed steps; the simulation is the only thing that advances time
        Simulation simulation = meter.simulation();
        for (Segment s : segments) {
            simulation.at(t0 + s.startNanos(), () -> meter.setMains(s.mainsState()));
        }
        for (long milestone = step; milestone < duration; milestone += step) {
            long at = milestone;
            simulation.at(t0 + at, () -> progress.at(at));
        }
        simulation.at(t0 + duration, () -> progress.at(duration));
        meter.runUntil(t0 + duration);
        progress.done();
        Segment last = segments.get(segments.size() - 1);
        meter.setMains(new Segment(duration, duration + SETTLE_NANOS, true, last.voltage(), last.frequency(), 0, 0, 0,
                List.of()).mainsState());
        meter.runUntil(t0 + duration + SETTLE_NANOS);
        Energies energy = Energies.fromRegisters(meter.readEnergyRegisters());
        List<MeterEvent> events = meter.readEvents();
        RunOutcome outcome = new RunOutcome(energy, ExactIntegral.of(segments), meter.pulses(), events);
        List<ExpectationResult> results = new ArrayList<>();
        for (Expectation e : scenario.expectations()) {
            results.add(e.evaluate(outcome));
        }
        return new Result(outcome, results);
    }
}
