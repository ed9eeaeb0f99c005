package org.metertwin.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.metertwin.core.yaml.StrictYaml;
import org.metertwin.core.yaml.YamlErrors;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.scenario.ScenarioFile.ExpectSpec;
import org.metertwin.scenario.ScenarioFile.HarmonicSpec;
import org.metertwin.scenario.ScenarioFile.LoadStep;
import org.metertwin.scenario.ScenarioFile.SupplyChange;

/**
 * Reads a scenario file (docs/scenarios.md) and checks it: every mistake becomes a {@link ScenarioException}
 * of one line, {@code FILE:LINE:COL: field.path: what was expected, got X}. Jackson reports what it cannot
 * read (unknown fields, wrong types) with its own locations; the checks that follow (durations, ranges,
 * order of the timeline) find theirs with a {@link YamlLocator}.
 */
public final class ScenarioLoader {
    /** The one meter this first cut of the runner drives. */
    public static final String METER = "metrology";
    static final double DEFAULT_VOLTAGE = 230.0, DEFAULT_FREQUENCY = 50.0;
    private static final int MAX_HARMONIC = 50;

    private static final ObjectMapper YAML = StrictYaml.mapper();

    private final String file;
    private final YamlLocator locator;

    private ScenarioLoader(String file, byte[] yaml) {
        this.file = file;
        this.locator = new YamlLocator(yaml);
    }

    /** Reads and checks {@code path}; the scenario is named after the file. */
    public static Scenario load(Path path) throws ScenarioException {
        if (Files.isDirectory(path)) {
            throw new ScenarioException(path + ": is a directory, expected a scenario file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(path + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ScenarioException(path + ": cannot be read: permission denied");
        } catch (IOException e) {
            throw new ScenarioException(path + ": cannot be read: " + e.getMessage());
        }
        return parse(path.toString(), bytes);
    }

    /** A scenario shipped in the jar: resource {@code scenarios/NAME}. */
    public static Scenario bundled(String name) throws ScenarioException {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + name)) {
            if (in == null) {
                throw new ScenarioException(name + ": the bundled scenario is missing from the jar");
            }
            return parse(name, in.readAllBytes());
        } catch (IOException e) {
            throw new ScenarioException(name + ": the bundled scenario cannot be read: " + e.getMessage());
        }
    }

    /** Checks the scenario {@code yaml}, naming it {@code file} in messages and in the scenario. */
    public static Scenario parse(String file, byte[] yaml) throws ScenarioException {
        String notText = StrictYaml.notText(yaml);
        if (notText != null) {
            throw new ScenarioException(file + ": " + notText);
        }
        ScenarioLoader loader = new ScenarioLoader(file, yaml);
        if (loader.locator.isEmpty()) {
            throw new ScenarioException(file + ": empty scenario, expected at least meter and duration");
        }
        StrictYaml.Problem problem = StrictYaml.check(yaml);
        if (problem != null) {
            throw new ScenarioException(file + problem.text());
        }
        ScenarioFile raw;
        try {
            raw = YAML.readValue(yaml, ScenarioFile.class);
        } catch (UnrecognizedPropertyException e) { // point at the unknown key itself, not past its value
            YamlLocator.Found found = loader.locator.find(YamlErrors.fieldPath(e));
            JsonLocation at = found == null ? e.getLocation() : found.keyLocation();
            throw new ScenarioException(file + YamlErrors.location(at) + " " + loader.explain(e));
        } catch (JsonMappingException e) {
            throw new ScenarioException(file + YamlErrors.location(e.getLocation()) + " " + loader.explain(e));
        } catch (JsonProcessingException e) {
            throw new ScenarioException(file + YamlErrors.syntax(e));
        } catch (IOException e) {
            throw new ScenarioException(file + ": " + e.getMessage());
        }
        if (raw == null) {
            throw new ScenarioException(file + ": empty scenario, expected at least meter and duration");
        }
        return loader.check(raw);
    }

    private Scenario check(ScenarioFile raw) throws ScenarioException {
        String meter = raw.meter() == null ? METER : raw.meter();
        if (!meter.equals(METER)) {
            throw error("meter", "expected metrology (the legal core alone), got '" + meter + "'");
        }
        if (raw.start() != null) {
            try {
                OffsetDateTime.parse(raw.start());
            } catch (DateTimeParseException e) {
                throw error("start", "expected a date and time such as 2026-01-01T00:00:00Z, got '" + raw.start() + "'");
            }
        }
        if (raw.duration() == null) {
            throw error("duration", "required field is missing (such as 2h)");
        }
        long duration = duration("duration", raw.duration());
        if (duration == 0) {
            throw error("duration", "expected more than zero, got '" + raw.duration() + "'");
        }
        double v0 = DEFAULT_VOLTAGE, f0 = DEFAULT_FREQUENCY;
        if (raw.mains() != null) {
            if (raw.mains().voltage() != null) {
                v0 = voltage("mains.voltage", raw.mains().voltage());
            }
            if (raw.mains().frequency() != null) {
                f0 = frequency("mains.frequency", raw.mains().frequency());
            }
        }
        List<Supply> supply = supply(raw.supply(), duration, v0, f0);
        List<Load> load = load(raw.load(), duration, supply);
        List<Expectation> expect = new ArrayList<>();
        List<ExpectSpec> specs = raw.expect() == null ? List.of() : raw.expect();
        for (int i = 0; i < specs.size(); i++) {
            expect.add(expectation("expect[" + i + "]", specs.get(i)));
        }
        return new Scenario(Path.of(file).getFileName().toString(), meter, raw.start(), duration,
                segments(duration, supply, load), expect);
    }

    // ---- the supply: voltage and frequency steps, power cuts ----

    /** The supply from {@code at}: voltage and frequency in force, and whether it is cut until {@code cutEnd}. */
    private record Supply(long at, double voltage, double frequency, long cutEnd) {
    }

    private List<Supply> supply(List<SupplyChange> changes, long duration, double v0, double f0)
            throws ScenarioException {
        List<Supply> list = new ArrayList<>();
        list.add(new Supply(0, v0, f0, 0));
        if (changes == null) {
            return list;
        }
        long notBefore = 0;
        String previous = null;
        for (int i = 0; i < changes.size(); i++) {
            String path = "supply[" + i + "]";
            SupplyChange c = changes.get(i);
            if (c.at() == null) {
                throw error(path, "expected a field 'at' (when the change happens)");
            }
            long at = at(path + ".at", c.at(), duration);
            if (previous != null && at < notBefore) {
                throw error(path + ".at", "expected at least " + Durations.format(notBefore) + " (" + previous
                        + "), got '" + c.at() + "'");
            }
            Supply last = list.get(list.size() - 1);
            if (c.powerCut() != null) {
                if (c.voltage() != null || c.frequency() != null) {
                    throw error(path + ".powerCut", "expected a power cut alone; put voltage or frequency changes in"
                            + " their own entry");
                }
                long cut = duration(path + ".powerCut", c.powerCut());
                if (cut == 0) {
                    throw error(path + ".powerCut", "expected more than zero, got '" + c.powerCut() + "'");
                }
                if (at + cut > duration) {
                    throw error(path + ".powerCut", "expected the cut to end by the scenario's duration ("
                            + Durations.format(duration) + "), got '" + c.powerCut() + "' from " + c.at());
                }
                list.add(new Supply(at, last.voltage(), last.frequency(), at + cut));
                notBefore = at + cut;
                previous = "the end of the power cut of supply[" + i + "]";
            } else {
                if (c.voltage() == null && c.frequency() == null) {
                    throw error(path, "expected voltage, frequency or powerCut");
                }
                double v = c.voltage() == null ? last.voltage() : voltage(path + ".voltage", c.voltage());
                double f = c.frequency() == null ? last.frequency() : frequency(path + ".frequency", c.frequency());
                list.add(new Supply(at, v, f, 0));
                notBefore = at + 1;
                previous = "after supply[" + i + "].at";
            }
        }
        return list;
    }

    private static Supply supplyAt(List<Supply> supply, long t) {
        Supply s = supply.get(0);
        for (Supply x : supply) {
            if (x.at() <= t) {
                s = x;
            }
        }
        return s;
    }

    // ---- the load ----

    /** The load from {@code at}: fundamental current and its angle to the voltage, neutral, harmonics. */
    private record Load(long at, double current, double angle, double neutral, List<Harmonic> harmonics) {
    }

    private List<Load> load(List<LoadStep> steps, long duration, List<Supply> supply) throws ScenarioException {
        List<Load> list = new ArrayList<>();
        if (steps == null) {
            return list;
        }
        for (int i = 0; i < steps.size(); i++) {
            String path = "load[" + i + "]";
            LoadStep s = steps.get(i);
            if (s.at() == null) {
                throw error(path, "expected a field 'at' (when the load starts)");
            }
            long at = at(path + ".at", s.at(), duration);
            if (!list.isEmpty() && at <= list.get(list.size() - 1).at()) {
                throw error(path + ".at", "expected a time after load[" + (i - 1) + "].at ("
                        + steps.get(i - 1).at() + "), got '" + s.at() + "'");
            }
            list.add(loadStep(path, s, at, supplyAt(supply, at).voltage()));
        }
        return list;
    }

    private Load loadStep(String path, LoadStep s, long at, double voltage) throws ScenarioException {
        if ((s.current() == null) == (s.power() == null)) {
            throw error(path, s.current() == null ? "expected current (A) or power (W)"
                    : "expected current or power, not both");
        }
        // lagging and leading are one fact said two ways: lagging: false means leading, leading: false lagging
        Boolean laggingSaid = s.lagging() != null ? s.lagging() : s.leading() == null ? null : !s.leading();
        if (s.lagging() != null && s.leading() != null && s.lagging() == s.leading()) {
            throw error(path + ".leading", s.lagging() ? "expected lagging or leading, not both"
                    : "expected lagging or leading, got both false (lagging: false already means leading)");
        }
        boolean lagging = Boolean.TRUE.equals(laggingSaid);
        boolean leading = Boolean.FALSE.equals(laggingSaid);
        double pf = s.powerFactor() == null ? 1.0 : s.powerFactor();
        boolean signed = !lagging && !leading && s.power() == null;
        if (!Double.isFinite(pf) || pf > 1 || pf < (signed ? -1 : 0)) {
            throw error(path + ".powerFactor", "expected " + (signed ? "-1 to 1" : "0 to 1") + ", got " + pf);
        }
        boolean export = false;
        if (s.direction() != null) {
            if (!s.direction().equals("import") && !s.direction().equals("export")) {
                throw error(path + ".direction", "expected import or export, got '" + s.direction() + "'");
            }
            export = s.direction().equals("export");
        }
        double current;
        if (s.current() != null) {
            current = s.current();
            if (!(current >= 0) || !Double.isFinite(current)) {
                throw error(path + ".current", "expected a current of 0 A or more, got " + s.current());
            }
        } else {
            double power = s.power();
            if (!Double.isFinite(power)) {
                throw error(path + ".power", "expected a number of watts, got " + power);
            }
            if (pf == 0) {
                throw error(path + ".powerFactor", "expected more than 0 with power (the current would be infinite)"
                        + ", got 0");
            }
            if (voltage == 0 && power != 0) {
                throw error(path + ".power", "expected a current instead: the supply is 0 V at this time");
            }
            if (power < 0 && s.direction() != null) {
                throw error(path + ".direction", "a negative power already means export; expected no direction,"
                        + " got '" + s.direction() + "'");
            }
            export |= power < 0;
            current = power == 0 ? 0 : Math.abs(power) / (voltage * pf);
        }
        if (pf < 0 && s.direction() != null) {
            throw error(path + ".direction", "a negative power factor already means export; expected no direction,"
                    + " got '" + s.direction() + "'");
        }
        double phi = Math.acos(pf) * (leading ? -1 : 1); // how far the current lags the voltage
        double angle = export ? Math.PI - phi : -phi;
        double neutral = current;
        List<Harmonic> harmonics = new ArrayList<>();
        List<HarmonicSpec> hs = s.harmonics() == null ? List.of() : s.harmonics();
        for (int k = 0; k < hs.size(); k++) {
            String hp = path + ".harmonics[" + k + "]";
            HarmonicSpec h = hs.get(k);
            if (h.order() == null || h.current() == null) {
                throw error(hp, "expected order and current (and optionally phase, in degrees)");
            }
            if (h.order() < 2 || h.order() > MAX_HARMONIC) {
                throw error(hp + ".order", "expected 2 to " + MAX_HARMONIC + ", got " + h.order());
            }
            for (Harmonic earlier : harmonics) {
                if (earlier.order() == h.order()) {
                    throw error(hp + ".order", "expected each order once, got " + h.order() + " again");
                }
            }
            if (!(h.current() >= 0) || !Double.isFinite(h.current())) {
                throw error(hp + ".current", "expected a current of 0 A or more, got " + h.current());
            }
            double phase = h.phase() == null ? 0 : h.phase();
            if (!Double.isFinite(phase)) {
                throw error(hp + ".phase", "expected degrees, got " + phase);
            }
            harmonics.add(new Harmonic(h.order(), h.current(), Math.toRadians(phase)));
        }
        if (s.neutralCurrent() != null) {
            neutral = s.neutralCurrent();
            if (!(neutral >= 0) || !Double.isFinite(neutral)) {
                throw error(path + ".neutralCurrent", "expected a current of 0 A or more, got " + s.neutralCurrent());
            }
        } else if (!harmonics.isEmpty()) {
            double sq = current * current;
            for (Harmonic h : harmonics) {
                sq += h.rms() * h.rms();
            }
            neutral = Math.sqrt(sq); // the same waveform as the phase current
        }
        return new Load(at, current, angle, neutral, harmonics);
    }

    // ---- the timeline ----

    private static List<Segment> segments(long duration, List<Supply> supply, List<Load> load) {
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(0L);
        for (Supply s : supply) {
            cuts.add(s.at());
            if (s.cutEnd() > 0) {
                cuts.add(s.cutEnd());
            }
        }
        for (Load l : load) {
            cuts.add(l.at());
        }
        cuts.add(duration);
        List<Segment> segments = new ArrayList<>();
        Long previous = null;
        for (long t : cuts.headSet(duration, true)) {
            if (previous != null) {
                segments.add(segment(previous, t, supply, load));
            }
            previous = t;
        }
        return segments;
    }

    private static Segment segment(long start, long end, List<Supply> supply, List<Load> load) {
        Supply s = supplyAt(supply, start);
        boolean cut = false;
        for (Supply x : supply) {
            cut |= x.cutEnd() > 0 && x.at() <= start && start < x.cutEnd();
        }
        Load l = new Load(0, 0, 0, 0, List.of());
        for (Load x : load) {
            if (x.at() <= start) {
                l = x;
            }
        }
        return new Segment(start, end, !cut, s.voltage(), s.frequency(), l.current(), l.angle(), l.neutral(),
                l.harmonics());
    }

    // ---- expectations ----

    private Expectation expectation(String path, ExpectSpec e) throws ScenarioException {
        int kinds = (e.register() != null ? 1 : 0) + (e.pulses() != null ? 1 : 0) + (e.event() != null ? 1 : 0);
        if (kinds != 1) {
            throw error(path, "expected exactly one of register, pulses or event");
        }
        if (e.register() != null) {
            if (!Energies.NAMES.contains(e.register())) {
                throw error(path + ".register", "expected one of " + String.join(", ", Energies.NAMES) + ", got '"
                        + e.register() + "'");
            }
            notWith(path, "register", "count", e.count());
            if ((e.tolerance() == null) == (e.tolerancePercent() == null)) {
                throw error(path, "expected tolerance (absolute) or tolerancePercent, exactly one");
            }
            String field = e.tolerance() != null ? "tolerance" : "tolerancePercent";
            double tol = e.tolerance() != null ? e.tolerance() : e.tolerancePercent();
            if (!(tol >= 0) || !Double.isFinite(tol)) {
                throw error(path + "." + field, "expected 0 or more, got " + tol);
            }
            if (e.value() != null && !Double.isFinite(e.value())) {
                throw error(path + ".value", "expected a number, got " + e.value());
            }
            return new Expectation.Register(e.register(), e.value(), tol, e.tolerancePercent() != null);
        }
        if (e.pulses() != null) {
            notWith(path, "pulses", "value", e.value());
            notWith(path, "pulses", "count", e.count());
            notWith(path, "pulses", "tolerancePercent", e.tolerancePercent());
            if (e.pulses() < 0) {
                throw error(path + ".pulses", "expected 0 or more, got " + e.pulses());
            }
            double tol = e.tolerance() == null ? 0 : e.tolerance();
            if (!(tol >= 0) || tol != Math.floor(tol) || tol > Long.MAX_VALUE / 2) {
                throw error(path + ".tolerance", "expected a whole number of pulses, 0 or more, got " + tol);
            }
            return new Expectation.Pulses(e.pulses(), (long) tol);
        }
        EventCode code = EventCode.byName(e.event());
        if (code == null) {
            throw error(path + ".event", "expected one of " + EventCode.names() + ", got '" + e.event() + "'");
        }
        notWith(path, "event", "value", e.value());
        notWith(path, "event", "tolerance", e.tolerance());
        notWith(path, "event", "tolerancePercent", e.tolerancePercent());
        if (e.count() == null) {
            throw error(path, "expected count (how many times the event happens)");
        }
        if (e.count() < 0) {
            throw error(path + ".count", "expected 0 or more, got " + e.count());
        }
        return new Expectation.Event(code, e.count());
    }

    private void notWith(String path, String kind, String field, Object value) throws ScenarioException {
        if (value != null) {
            throw error(path + "." + field, "does not go with " + kind + "; expected no " + field);
        }
    }

    // ---- values ----

    private long duration(String path, String text) throws ScenarioException {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
    }

    private long at(String path, String text, long duration) throws ScenarioException {
        long at = duration(path, text);
        if (at >= duration) {
            throw error(path, "expected a time before the end of the scenario (" + Durations.format(duration)
                    + "), got '" + text + "'");
        }
        return at;
    }

    private double voltage(String path, double v) throws ScenarioException {
        if (!(v >= 0) || v > 1000) {
            throw error(path, "expected 0 to 1000 V, got " + v);
        }
        return v;
    }

    private double frequency(String path, double f) throws ScenarioException {
        if (!(f >= 1) || f > 1000) {
            throw error(path, "expected 1 to 1000 Hz, got " + f);
        }
        return f;
    }

    // ---- messages ----

    private ScenarioException error(String path, String message) {
        YamlLocator.Found found = locator.find(path);
        String where = found == null ? ":" : YamlErrors.location(found.location());
        return new ScenarioException(file + where + " " + path + ": " + message);
    }

    private String explain(JsonMappingException e) {
        String path = YamlErrors.fieldPath(e);
        String prefix = path.isEmpty() ? "" : path + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            known.sort(null);
            return prefix + "unknown field; expected one of " + String.join(", ", known);
        }
        if (e instanceof InvalidFormatException f) {
            return prefix + "expected " + YamlErrors.kind(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            YamlLocator.Found found = locator.find(path);
            String got = found == null || found.description().isEmpty() ? "" : ", got " + found.description();
            return prefix + "expected " + YamlErrors.kind(m.getTargetType()) + got;
        }
        return prefix + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
