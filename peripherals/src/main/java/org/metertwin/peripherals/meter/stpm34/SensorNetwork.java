package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.MachineException;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * How the board connects the mains to the STPM34's four inputs. Both voltage channels sense the
 * line-to-neutral voltage through the same resistive divider R1 (to the line) over R2 (across the VIP/VIN
 * pins); each current channel senses the phase or the neutral current through a shunt of {@code ks} ohms, or
 * a current transformer of ratio N loaded by a burden Rb, for which {@code ks = Rb / N} (DS10272, the
 * "ks" of the LSB formulas in its calibration section; docs/meter-devices.md ("STPM34 analog front end")).
 *
 * <p>Properties of the STPM34's device entry (all optional; the defaults are {@link #referenceBoard()}):
 * <ul>
 * <li>{@code divider-r1}, {@code divider-r2}: the divider resistors in ohms (810000 and 470);
 * <li>{@code current1}, {@code current2}: which conductor channel 1 / 2 senses, {@code phase} or
 * {@code neutral} (phase and neutral);
 * <li>{@code shunt1}, {@code shunt2}: shunt resistance in ohms (0.0026), or instead
 * <li>{@code ct1-ratio} with {@code ct1-burden} (ohms), {@code ct2-ratio} with {@code ct2-burden}: a current
 * transformer.
 * </ul>
 */
public final class SensorNetwork {
    /** R1 and R2 of ST's EVALSTPM34 (ST's metrology firmware constants, see the doc). */
    public static final double REFERENCE_R1 = 810_000, REFERENCE_R2 = 470;
    /** ks of ST's EVALSTPM34 firmware constants: 2.6 mΩ. */
    public static final double REFERENCE_KS = 0.0026;

    /** Which conductor a current channel senses. */
    public enum Conductor { PHASE, NEUTRAL }

    private final double r1;
    private final double r2;
    private final Conductor[] conductor;
    private final double[] ks;

    public SensorNetwork(double r1, double r2, Conductor current1, double ks1, Conductor current2, double ks2) {
        if (!(r1 >= 0) || !(r2 > 0) || !Double.isFinite(r1) || !Double.isFinite(r2)) {
            throw new IllegalArgumentException("divider: r1 must be >= 0 and r2 > 0 ohms");
        }
        if (!(ks1 > 0) || !(ks2 > 0) || !Double.isFinite(ks1) || !Double.isFinite(ks2)) {
            throw new IllegalArgumentException("current sensor: ks must be > 0 ohms");
        }
        this.r1 = r1;
        this.r2 = r2;
        this.conductor = new Conductor[] {current1, current2};
        this.ks = new double[] {ks1, ks2};
    }

    /** The scaling of ST's EVALSTPM34 reference board, channel 1 on the phase current, 2 on the neutral. */
    public static SensorNetwork referenceBoard() {
        return new SensorNetwork(REFERENCE_R1, REFERENCE_R2, Conductor.PHASE, REFERENCE_KS, Conductor.NEUTRAL,
                REFERENCE_KS);
    }

    /** Reads the network from a device entry's properties (see the class comment). */
    public static SensorNetwork from(DeviceContext c) throws MachineException {
        double r1 = c.decimal("divider-r1", REFERENCE_R1);
        double r2 = c.decimal("divider-r2", REFERENCE_R2);
        if (!(r1 >= 0) || !Double.isFinite(r1)) {
            throw c.error("properties.divider-r1", "must be >= 0 ohms, got " + r1);
        }
        if (!(r2 > 0) || !Double.isFinite(r2)) {
            throw c.error("properties.divider-r2", "must be > 0 ohms, got " + r2);
        }
        Conductor c1 = conductor(c, "current1", Conductor.PHASE);
        Conductor c2 = conductor(c, "current2", Conductor.NEUTRAL);
        return new SensorNetwork(r1, r2, c1, ks(c, 1), c2, ks(c, 2));
    }

    private static Conductor conductor(DeviceContext c, String property, Conductor dflt) throws MachineException {
        String s = c.string(property, dflt.name().toLowerCase());
        return switch (s) {
            case "phase" -> Conductor.PHASE;
            case "neutral" -> Conductor.NEUTRAL;
            default -> throw c.error("properties." + property, "expected phase or neutral, got '" + s + "'");
        };
    }

    private static double ks(DeviceContext c, int ch) throws MachineException {
        double shunt = c.decimal("shunt" + ch, Double.NaN);
        double ratio = c.decimal("ct" + ch + "-ratio", Double.NaN);
        double burden = c.decimal("ct" + ch + "-burden", Double.NaN);
        boolean ct = !Double.isNaN(ratio) || !Double.isNaN(burden);
        if (ct && !Double.isNaN(shunt)) {
            throw c.error("properties.shunt" + ch, "give either shunt" + ch + " or ct" + ch + "-ratio/ct" + ch
                    + "-burden, not both");
        }
        if (ct) {
            if (!(ratio > 0) || !Double.isFinite(ratio)) {
                throw c.error("properties.ct" + ch + "-ratio", "must be > 0 (turns ratio), got " + ratio);
            }
            if (!(burden > 0) || !Double.isFinite(burden)) {
                throw c.error("properties.ct" + ch + "-burden", "must be > 0 ohms, got " + burden);
            }
            return burden / ratio;
        }
        if (Double.isNaN(shunt)) {
            return REFERENCE_KS;
        }
        if (!(shunt > 0) || !Double.isFinite(shunt)) {
            throw c.error("properties.shunt" + ch, "must be > 0 ohms, got " + shunt);
        }
        return shunt;
    }

    /** The divider's transfer R2 / (R1 + R2): volts at the voltage input per volt of mains. */
    public double voltageRatio() {
        return r2 / (r1 + r2);
    }

    public double r1() {
        return r1;
    }

    public double r2() {
        return r2;
    }

    /** ks of current channel 1 or 2: volts at the current input per ampere in the conductor. */
    public double ks(int channel) {
        return ks[channel - 1];
    }

    public Conductor conductor(int channel) {
        return conductor[channel - 1];
    }

    /** The current that channel 1 or 2 senses in a mains state, in amperes. */
    public AcQuantity current(MainsState s, int channel) {
        return conductor[channel - 1] == Conductor.PHASE ? s.phaseCurrent() : s.neutralCurrent();
    }
}
