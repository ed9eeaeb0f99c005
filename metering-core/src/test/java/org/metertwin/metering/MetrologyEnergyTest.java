package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * Energy registers of the metering firmware against the exact integral of the power the scenario applies:
 * steady loads from 1 % to 100 % of Imax (60 A) at 230 V, at power factor 1, 0.5 lagging and 0.8 leading,
 * and reverse loads. The registers are read twice over the link, mid-period, a whole number of metering
 * periods apart, so the difference covers exactly that time.
 */
class MetrologyEnergyTest {
    static final long SECOND = 1_000_000_000L;
    static final double IMAX = 60, UN = 230;

    static Stream<Arguments> loads() {
        return Stream.of(
                Arguments.of(0.01, 0.0, 600), Arguments.of(0.10, 0.0, 120), Arguments.of(1.00, 0.0, 60),
                Arguments.of(0.01, Math.acos(0.5), 600), Arguments.of(0.10, Math.acos(0.5), 120),
                Arguments.of(1.00, Math.acos(0.5), 60),
                Arguments.of(0.01, -Math.acos(0.8), 600), Arguments.of(0.10, -Math.acos(0.8), 120),
                Arguments.of(1.00, -Math.acos(0.8), 60));
    }

    /** Energies (mWh etc.) over the link: the seven registers of DI 00.80.00.00. */
    static long[] energies(MetrologyMeter m) throws Exception {
        VbusFrame f = m.link().get(MeteringData.ENERGY_BLOCK);
        long[] e = new long[7];
        for (int i = 0; i < 7; i++) {
            e[i] = f.u64(8 * i);
        }
        return e;
    }

    /** Checks a register difference against the exact value within 0.02 %, and at least 1 mWh of reading. */
    static void within(String what, long actual, double exactMilli) {
        assertThat((double) actual).as(what + " (exact %.1f)", exactMilli)
                .isCloseTo(exactMilli, org.assertj.core.data.Offset.offset(Math.max(exactMilli * 2e-4, 1.0)));
    }

    /** Reactive energy: 0.02 % of the apparent energy (at pf 1 the exact value is 0). */
    static void reactiveWithin(String what, long actual, double exactMilli, double apparentMilli) {
        assertThat((double) actual).as(what + " (exact %.1f)", exactMilli)
                .isCloseTo(exactMilli, org.assertj.core.data.Offset.offset(Math.max(apparentMilli * 2e-4, 1.0)));
    }

    /**
     * Off the nominal frequency a 250 ms period holds part of the double-frequency wave of v.i, with a sign
     * that changes from period to period (up to S/(2w): about 1 mWh a period at 10 A). With no reactive
     * power (pf 1) nothing may reach a reactive register, and with no active power (pf 0) nothing may reach
     * import or export, though each period's own difference has either sign.
     */
    @ParameterizedTest(name = "phi {0} at 49.8 Hz")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.0, Math.PI / 2, -Math.PI / 2})
    void theRippleOfAPeriodReachesNoRegister(double phi) throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(49.8, UN, 10, phi), m.now());
        long t0 = 5 * SECOND + 100_000_000L;
        m.runUntil(t0);
        long[] a = energies(m);
        m.runUntil(t0 + 120 * SECOND);
        long[] b = energies(m);
        double s = UN * 10 * 120 / 3.6; // apparent, mWh
        assertThat(b[6] - a[6]).as("apparent").isCloseTo((long) s, org.assertj.core.data.Offset.offset((long) (s * 2e-4)));
        if (phi == 0) {
            within("active import", b[0] - a[0], s);
            assertThat(new long[] {b[2] - a[2], b[3] - a[3], b[4] - a[4], b[5] - a[5]}).as("Q1..Q4")
                    .containsOnly(0L);
        } else {
            assertThat(new long[] {b[0] - a[0], b[1] - a[1]}).as("import, export").containsOnly(0L);
            within(phi > 0 ? "reactive Q1 + Q2" : "reactive Q3 + Q4",
                    phi > 0 ? b[2] - a[2] + b[3] - a[3] : b[4] - a[4] + b[5] - a[5], s);
        }
    }

    @ParameterizedTest(name = "{0} Imax, phi {1}, {2} s")
    @MethodSource("loads")
    void steadyLoad(double fraction, double phi, int seconds) throws Exception {
        double i = fraction * IMAX;
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, UN, i, phi), m.now());
        long t0 = 5 * SECOND + 100_000_000L; // mid-period: periods end at k x 250 ms after reset (+ a few us)
        m.runUntil(t0);
        long[] a = energies(m);
        m.runUntil(t0 + seconds * SECOND);
        long[] b = energies(m);
        double hours = seconds / 3600.0;
        double p = UN * i * Math.cos(phi) * hours * 1000, q = UN * i * Math.sin(phi) * hours * 1000;
        within("active import", b[0] - a[0], p);
        assertThat(b[1] - a[1]).as("active export").isZero();
        if (phi == 0) {
            // Q is 0: what the chip shows of it (a few mvarh in 10^5) may fall in Q1 or Q4
            reactiveWithin("reactive Q1 + Q4", b[2] - a[2] + b[5] - a[5], 0, UN * i * hours * 1000);
        } else if (phi > 0) {
            reactiveWithin("reactive Q1", b[2] - a[2], q, UN * i * hours * 1000);
            assertThat(b[5] - a[5]).as("Q4").isZero();
        } else {
            reactiveWithin("reactive Q4", b[5] - a[5], -q, UN * i * hours * 1000);
            assertThat(b[2] - a[2]).as("Q1").isZero();
        }
        assertThat(b[3] - a[3] + b[4] - a[4]).as("Q2 + Q3").isZero();
        within("apparent", b[6] - a[6], UN * i * hours * 1000);
        // the LED: one pulse per Wh (1000 imp/kWh) of the import register, within one pulse
        assertThat(m.led().count()).as("LED pulses vs import register %d mWh", b[0])
                .isBetween(b[0] / 1000 - 1, b[0] / 1000 + 1);
    }

    @Test
    void reverseLoadsCountExportAndQuadrantsTwoAndThree() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        double i = 20;
        double phi2 = Math.toRadians(120), phi3 = Math.toRadians(-150); // P < 0: Q > 0 (II), Q < 0 (III)
        m.mains().set(MainsState.sinusoidal(50, UN, i, phi2), m.now());
        long t0 = 5 * SECOND + 100_000_000L;
        m.runUntil(t0);
        long[] a = energies(m);
        m.runUntil(t0 + 60 * SECOND);
        long[] b = energies(m);
        m.mains().set(MainsState.sinusoidal(50, UN, i, phi3), m.now());
        m.runUntil(t0 + 70 * SECOND);
        long[] c = energies(m);
        m.runUntil(t0 + 130 * SECOND);
        long[] d = energies(m);
        double h = 60 / 3600.0, s = UN * i * h * 1000;
        within("export, quadrant II load", b[1] - a[1], -s * Math.cos(phi2));
        within("Q2", b[3] - a[3], s * Math.sin(phi2));
        within("export, quadrant III load", d[1] - c[1], -s * Math.cos(phi3));
        within("Q3", d[4] - c[4], -s * Math.sin(phi3));
        assertThat(d[0]).as("import").isZero();
        assertThat(d[2] + d[5]).as("Q1 + Q4").isZero();
        assertThat(m.led().count()).as("the LED counts import only").isZero();
        long status = m.link().get(MeteringData.STATUS).u32(0);
        assertThat(status & (1 << 3)).as("status bit 3: reverse power").isNotZero();
    }

    @Test
    void ledPulsesAreEvenlySpacedAtASteadyLoad() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, UN, 10, 0), m.now());   // 2300 W: a pulse every 1565.2 ms
        m.runUntil(60 * SECOND);
        assertThat(m.led().count()).isGreaterThan(30);
        double spacing = 3600e9 / 2300;                                  // ns per Wh at 2300 W
        for (int back = 0; back < 20; back++) {
            long gap = m.led().start(back) - m.led().start(back + 1);
            assertThat((double) gap).as("gap before pulse %d from the newest", back)
                    .isCloseTo(spacing, org.assertj.core.data.Offset.offset(2e6));
            assertThat((double) m.led().width(back)).as("width").isCloseTo(30e6, org.assertj.core.data.Offset.offset(0.01e6));
        }
    }
}
