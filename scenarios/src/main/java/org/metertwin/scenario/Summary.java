package org.metertwin.scenario;

import java.util.Locale;

/** The summary a run prints on stdout: the energies next to the exact integral, pulses, events, expectations. */
public final class Summary {
    private Summary() {
    }

    public static String of(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "scenario %s on %s: %s of virtual time in %.1f s of wall time (x%.0f)%n",
                r.scenario(), r.meter(), Durations.format((long) Math.round(r.durationSeconds() * 1e9)),
                r.wallSeconds(), r.speedFactor()));
        sb.append(String.format(Locale.ROOT, "%-20s %14s %14s %10s%n", "energy", "meter", "true", "error %"));
        for (String name : Energies.NAMES) {
            Double error = r.errorPercent().get(name);
            sb.append(String.format(Locale.ROOT, "%-20s %14.3f %14.3f %10s%n", name, r.energy().get(name),
                    r.trueEnergy().get(name), error == null ? "-" : String.format(Locale.ROOT, "%+.4f", error)));
        }
        sb.append(String.format(Locale.ROOT, "%-20s %14d%n", "pulses", r.pulses()));
        sb.append("events              ");
        if (r.events().isEmpty()) {
            sb.append(" none");
        }
        for (MeterEvent e : r.events()) {
            sb.append(String.format(Locale.ROOT, " %s(%s, boot %d, %d ms)", e.name(), e.kind(), e.boot(), e.millis()));
        }
        sb.append(System.lineSeparator());
        int passed = 0;
        for (ExpectationResult x : r.expectations()) {
            passed += x.pass() ? 1 : 0;
            sb.append(String.format(Locale.ROOT, "%s %s: expected %s ± %s, got %s%n", x.pass() ? "PASS" : "FAIL",
                    x.what(), number(x.expected()), number(x.tolerance()), number(x.actual())));
        }
        sb.append(String.format(Locale.ROOT, "%s: %d of %d expectations hold%n", r.pass() ? "PASS" : "FAIL", passed,
                r.expectations().size()));
        return sb.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.3f", v);
    }
}
