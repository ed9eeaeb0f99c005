package org.metertwin.peripherals.meter.supply;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;

/**
 * The meter's mains-powered supply (a small SMPS with a bulk capacitor) feeding the board's VDD net, and its
 * power-fail early warning on a GPIO ({@code mains-ok}, high while the mains is present).
 *
 * <p>The mains counts as present when its RMS voltage rises to the pick-up level and as lost when it falls
 * below the drop-out level (hysteresis). After a loss, the bulk capacitor holds VDD at its nominal value for
 * the hold-up time. VDD then falls <em>linearly</em> to 0 V over the decay time, in steps: one event per step,
 * the ramp sampled every step and held. So an STM32's PVD (a few hundred mV below nominal) trips well before
 * its power-down reset (1.70 V typical, ST AN4488), and firmware has the time between them to save its
 * registers. When the mains returns, VDD comes back to nominal in one step after the converter's start-up
 * delay; if it returns during hold-up, VDD never dropped and stays. {@code mains-ok} follows the mains
 * presence after the detection delay.
 *
 * <p>All default values are typical of single-phase meter supplies, chosen by us, not from a standard or
 * datasheet: 150 V drop-out and 170 V pick-up (below the 0.8 Un = 184 V lower limit of the meter's
 * operating range in IEC 62052-11, so a meter in range keeps running), 100 ms hold-up, 20 ms decay in 1 ms
 * steps, 50 ms start-up, 10 ms detection (half a 50 Hz cycle).
 *
 * <p>Sensing: the mains tells its listeners of a change before it takes effect; the supply looks at the new
 * state at the change's time. If a scenario sets several future changes in advance, only the last is seen.
 */
public final class PowerSupply {
    /** The supply's levels and times. */
    public record Settings(double volts, double dropOutVolts, double pickUpVolts, long holdUpNanos,
            long decayNanos, long stepNanos, long startUpNanos, long detectNanos) {
        public static final Settings DEFAULT = new Settings(3.3, 150, 170, 100_000_000L, 20_000_000L, 1_000_000L,
                50_000_000L, 10_000_000L);

        public Settings {
            if (!(volts > 0) || !(dropOutVolts >= 0) || !(pickUpVolts >= dropOutVolts)) {
                throw new IllegalArgumentException("need volts > 0 and 0 <= drop-out <= pick-up");
            }
            if (holdUpNanos < 0 || decayNanos < 0 || stepNanos <= 0 || startUpNanos < 0 || detectNanos < 0) {
                throw new IllegalArgumentException("times must be >= 0 and the step > 0");
            }
        }

        /** Decay steps: the decay time in whole steps, at least one (an instant drop when the decay is 0). */
        int steps() {
            return (int) Math.max(1, (decayNanos + stepNanos - 1) / stepNanos);
        }
    }

    private final String name;
    private final EventQueue events;
    private final Mains mains;
    private final AnalogLine vdd;
    private final Pin mainsOk;
    private final Settings s;
    private final int steps;
    private final Event sense, warning, holdUpEnd, decayStep, startUpDone;
    private boolean present;
    /** Decay steps taken so far since hold-up ended. */
    private int step;

    public PowerSupply(String name, EventQueue events, Mains mains, AnalogLine vdd, Pin mainsOk, Settings s) {
        this.name = name;
        this.events = events;
        this.mains = mains;
        this.vdd = vdd;
        this.mainsOk = mainsOk;
        this.s = s;
        this.steps = s.steps();
        sense = events.event(name + ".sense", when -> sense());
        warning = events.event(name + ".mains-ok", when -> mainsOk.drive(present));
        decayStep = events.event(name + ".decay", this::decay);
        holdUpEnd = events.event(name + ".hold-up-end", this::holdUpEnded);
        startUpDone = events.event(name + ".start-up", when -> {
            events.cancel(decayStep);
            vdd.set(s.volts());
        });
        present = mains.state().voltage().rms() >= s.pickUpVolts();
        vdd.set(present ? s.volts() : 0);
        mainsOk.drive(present);
        mains.listen((m, atNanos) -> events.schedule(sense, Math.max(atNanos, events.now())));
    }

    public String name() {
        return name;
    }

    /** Whether the supply sees the mains (after hysteresis, before the warning's detection delay). */
    public boolean mainsPresent() {
        return present;
    }

    public double vdd() {
        return vdd.value();
    }

    private void sense() {
        double rms = mains.state().voltage().rms();
        if (present && rms < s.dropOutVolts()) {
            present = false;
            events.scheduleIn(warning, s.detectNanos());
            if (startUpDone.isScheduled()) {
                events.cancel(startUpDone); // lost again while starting: the capacitor keeps discharging
            } else if (!decayStep.isScheduled() && vdd.value() == s.volts()) {
                events.scheduleIn(holdUpEnd, s.holdUpNanos());
            }
        } else if (!present && rms >= s.pickUpVolts()) {
            present = true;
            events.scheduleIn(warning, s.detectNanos());
            if (holdUpEnd.isScheduled()) {
                events.cancel(holdUpEnd); // back within hold-up: VDD never dropped
            } else {
                events.scheduleIn(startUpDone, s.startUpNanos());
            }
        }
    }

    private void holdUpEnded(long when) {
        step = 0;
        events.schedule(decayStep, when + s.stepNanos());
    }

    /**
     * One step of the linear decay, the ramp sampled at each step: {@code step} steps after the hold-up ended,
     * VDD = nominal x (steps - step) / steps, reaching 0 V at hold-up + decay.
     */
    private void decay(long when) {
        step++;
        vdd.set(s.volts() * (steps - step) / steps);
        if (step < steps) {
            events.schedule(decayStep, when + s.stepNanos());
        }
    }

    /**
     * {@code power-supply}: analog pin {@code vdd}, pin {@code mains-ok}; properties {@code mains} (the mains
     * device, default "mains"), {@code volts} (3.3), {@code drop-out} and {@code pick-up} (V RMS, 150 and 170),
     * {@code hold-up-ms} (100), {@code decay-ms} (20), {@code step-ms} (1), {@code start-up-ms} (50),
     * {@code detect-ms} (10).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "power-supply";
        }

        public String description() {
            return "mains-powered supply: VDD with hold-up and decay after a mains loss, mains-ok warning pin";
        }

        public Object create(DeviceContext c) throws MachineException {
            Mains mains = c.device(c.string("mains", "mains"), Mains.class, "properties.mains");
            Settings d = Settings.DEFAULT;
            double volts = c.decimal("volts", d.volts());
            double dropOut = c.decimal("drop-out", d.dropOutVolts());
            double pickUp = c.decimal("pick-up", d.pickUpVolts());
            if (!(volts > 0) || volts > 50) {
                throw c.error("properties.volts", "must be within (0, 50] V, got " + volts);
            }
            if (!(dropOut >= 0)) {
                throw c.error("properties.drop-out", "must be >= 0 V, got " + dropOut);
            }
            if (!(pickUp >= dropOut)) {
                throw c.error("properties.pick-up", "must be >= drop-out (" + dropOut + " V), got " + pickUp);
            }
            long step = millis(c, "step-ms", d.stepNanos());
            if (step == 0) {
                throw c.error("properties.step-ms", "must be > 0");
            }
            Settings s = new Settings(volts, dropOut, pickUp, millis(c, "hold-up-ms", d.holdUpNanos()),
                    millis(c, "decay-ms", d.decayNanos()), step, millis(c, "start-up-ms", d.startUpNanos()),
                    millis(c, "detect-ms", d.detectNanos()));
            return new PowerSupply(c.name(), c.events(), mains, c.analog("vdd", volts), c.pin("mains-ok"), s);
        }

        private static long millis(DeviceContext c, String property, long defaultNanos) throws MachineException {
            double ms = c.decimal(property, defaultNanos / 1e6);
            if (!(ms >= 0) || ms > 100_000) {
                throw c.error("properties." + property, "must be within 0..100000 ms, got " + ms);
            }
            return Math.round(ms * 1e6);
        }
    }
}
