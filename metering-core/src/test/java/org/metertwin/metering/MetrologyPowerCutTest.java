package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.MS;
import static org.metertwin.metering.MeterTesting.SECOND;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.metering.MeterTesting.Event;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * A power cut in the middle of a run: the firmware saves its registers when the supply warns (mains-ok,
 * then PVD), the core is held in reset while VDD is down, and after the power-on reset it restores them.
 * At most one metering period's energy may be lost.
 */
class MetrologyPowerCutTest {
    @Test
    void energySurvivesAPowerCutAndTheCutIsLogged() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        MainsState load = MainsState.sinusoidal(50, 230, 10, 0);
        m.mains().set(load, m.now());
        long cut = 30 * SECOND + 123 * MS, back = cut + 5 * SECOND, end = 60 * SECOND + 100 * MS;
        m.runUntil(cut);
        int bootBefore = MeterTesting.events(m).get(0).boot();
        m.mains().set(MainsState.OFF, m.now());
        m.runUntil(back);
        m.mains().set(load, m.now());
        m.runUntil(end);
        long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);

        // energy while the mains was on, from reset to the cut and from the return to the end
        double onSeconds = (cut + (end - back)) / 1e9;
        double exact = 2300 * onSeconds / 3.6;     // mWh
        double period = 2300 * 0.25 / 3.6;          // one metering period at this load
        assertThat((double) imported).as("import after the cut, mWh (exact %.1f)", exact)
                .isBetween(exact - period - 2, exact + 2);

        List<Event> events = MeterTesting.events(m);
        assertThat(events.get(0).code()).as("newest: power up").isEqualTo(0x02);
        assertThat(events.get(0).boot()).isEqualTo(bootBefore + 1);
        Event lastOfPreviousBoot = events.stream().filter(e -> e.boot() == bootBefore).findFirst().orElseThrow();
        assertThat(lastOfPreviousBoot.code()).as("the previous boot ended with: power down, energy saved")
                .isEqualTo(0x01);
        assertThat(lastOfPreviousBoot.millis()).as("ms since that boot: 10 ms after the cut (mains-ok)")
                .isBetween(30_133L, 30_134L + 250);
        assertThat(m.led().count()).as("LED pulses vs import").isBetween(imported / 1000 - 1, imported / 1000 + 1);
    }

    @Test
    void aDipTheHoldUpRidesThroughLosesNothing() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        MainsState load = MainsState.sinusoidal(50, 230, 10, 0);
        m.mains().set(load, m.now());
        m.runUntil(10 * SECOND + 100 * MS);
        long before = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        m.mains().set(MainsState.OFF, m.now());       // 50 ms: mains-ok falls, VDD never moves
        m.runUntil(m.now() + 50 * MS);
        m.mains().set(load, m.now());
        m.runUntil(20 * SECOND + 100 * MS);
        long after = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        double exact = 2300 * (10 - 0.05) / 3.6;
        assertThat((double) (after - before)).as("import over the 10 s, mWh").isCloseTo(exact,
                org.assertj.core.data.Offset.offset(2.0));
        assertThat(MeterTesting.codes(MeterTesting.events(m))).as("the early warning saved").contains(0x01);
    }
}
