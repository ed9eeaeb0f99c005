package org.metertwin.scenario;

import java.util.List;

/** What a finished run measured, next to what the scenario says it should have. */
public record RunOutcome(Energies energy, Energies trueEnergy, long pulses, List<MeterEvent> events) {
    public RunOutcome {
        events = List.copyOf(events);
    }
}
