package org.metertwin.scenario;

import java.util.List;

/**
 * The true energies of a scenario: its power is constant on each {@link Segment}, so each energy is the
 * sum of power × time over the segments, split by the sign of P (import/export) and of Q (quadrants I+II /
 * III+IV). Nothing is counted while the supply is cut.
 */
public final class ExactIntegral {
    private static final double NANOS_PER_HOUR = 3.6e12;

    private ExactIntegral() {
    }

    public static Energies of(List<Segment> segments) {
        double importWh = 0, exportWh = 0, qImport = 0, qExport = 0, apparent = 0;
        for (Segment s : segments) {
            double hours = s.nanos() / NANOS_PER_HOUR;
            double p = s.activePower();
            double q = s.reactivePower();
            if (p >= 0) {
                importWh += p * hours;
            } else {
                exportWh -= p * hours;
            }
            if (q >= 0) {
                qImport += q * hours;
            } else {
                qExport -= q * hours;
            }
            apparent += s.apparentPower() * hours;
        }
        return new Energies(importWh, exportWh, qImport, qExport, apparent);
    }
}
