package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.MS;
import static org.metertwin.metering.MeterTesting.SECOND;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.metering.MeterTesting.Event;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.peripherals.meter.mains.MainsState;

/** No creep, the starting current, and the voltage-quality events (thresholds in the firmware README.md). */
class MetrologyQualityTest {
    static final long HOUR = 3600 * SECOND;

    @Test
    void noCreepAtNoLoadForAnHourAt115PercentUn() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230 * 1.15, 0, 0), m.now());
        m.runUntil(HOUR);
        VbusFrame e = m.link().get(MeteringData.ENERGY_BLOCK);
        for (int i = 0; i < 7; i++) {
            assertThat(e.u64(8 * i)).as("register %d", i).isZero();
        }
        assertThat(m.led().count()).isZero();
    }

    @Test
    void belowTheStartingCurrentNothingAccumulatesAboveItTheMeterRegisters() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 0.015, 0), m.now());     // 0.3 % of Ib
        m.runUntil(600 * SECOND);
        assertThat(m.link().get(MeteringData.ACTIVE_IMPORT).u64(0)).isZero();
        assertThat(m.link().get(MeteringData.APPARENT).u64(0)).isZero();
        m.mains().set(MainsState.sinusoidal(50, 230, 0.025, 0), m.now());     // 0.5 % of Ib
        long t = m.now();
        m.runUntil(t + 1200 * SECOND);
        double exact = 230 * 0.025 * 1200 / 3.6;                                // mWh
        assertThat((double) m.link().get(MeteringData.ACTIVE_IMPORT).u64(0)).isCloseTo(exact,
                org.assertj.core.data.Offset.offset(exact * 0.01));
    }

    @Test
    void sagAndSwellAreLoggedWithTheirEnds() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 5, 0), m.now());
        m.runUntil(3 * SECOND);
        m.mains().set(MainsState.sinusoidal(50, 195, 5, 0), m.now());        // 0.85 Un
        m.runUntil(6 * SECOND);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & 1).as("sag bit").isEqualTo(1);
        m.mains().set(MainsState.sinusoidal(50, 230, 5, 0), m.now());
        m.runUntil(9 * SECOND);
        m.mains().set(MainsState.sinusoidal(50, 260, 5, 0), m.now());        // 1.13 Un
        m.runUntil(12 * SECOND);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & 2).as("swell bit").isEqualTo(2);
        m.mains().set(MainsState.sinusoidal(50, 230, 5, 0), m.now());
        m.runUntil(15 * SECOND);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & 3).isZero();
        List<Event> events = MeterTesting.events(m);
        assertThat(events.subList(0, 4)).extracting(Event::code, Event::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0x11, 0), org.assertj.core.groups.Tuple.tuple(0x11, 1),
                org.assertj.core.groups.Tuple.tuple(0x10, 0), org.assertj.core.groups.Tuple.tuple(0x10, 1));
        // the sag starts at the first one-second check after the change, 3 s after reset
        assertThat(events.get(3).millis()).isBetween(3_000L, 4_000L);
        assertThat(m.link().get(MeteringData.EVENT_HEADER).u32(0)).as("events recorded").isGreaterThanOrEqualTo(6);
        // each was reported unasked to the management core as it happened
        assertThat(m.link().reports()).extracting(f -> f.u8(0)).contains(0x10, 0x11);
    }

    @Test
    void anHourAtConstantLoad() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 20, Math.acos(0.9)), m.now());
        long wall = System.nanoTime(); // wall time only for the report below, never for the emulation
        m.runUntil(HOUR + 100 * MS);
        long millis = (System.nanoTime() - wall) / 1_000_000;
        long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        double exact = 230 * 20 * 0.9 * 1000;   // mWh in the hour
        // up to the last period end: the hour less the chip's start-up (41 ms) and the last 100 ms
        assertThat((double) imported).isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 2e-4 + 4140 * 0.15 / 3.6));
        System.out.printf("MetrologyQualityTest: a simulated hour at constant load took %d ms of wall time%n", millis);
    }

    @Test
    void theEventLogKeepsTheNewest32AndItsCountAcrossAPowerCycle() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        MainsState normal = MainsState.sinusoidal(50, 230, 5, 0), sag = MainsState.sinusoidal(50, 195, 5, 0);
        m.mains().set(normal, m.now());
        m.runUntil(2 * SECOND);
        long before = m.link().get(MeteringData.EVENT_HEADER).u32(0);
        for (int k = 0; k < 20; k++) {                  // 40 events: sag start and end, 2 s apart
            m.mains().set(sag, m.now());
            m.runUntil(m.now() + 2 * SECOND);
            m.mains().set(normal, m.now());
            m.runUntil(m.now() + 2 * SECOND);
        }
        VbusFrame header = m.link().get(MeteringData.EVENT_HEADER);
        assertThat(header.u32(0)).isEqualTo(before + 40);
        assertThat(header.u16(4)).as("records held").isEqualTo(32);
        List<Event> events = MeterTesting.events(m);
        for (int nn = 0; nn < 32; nn++) {
            assertThat(events.get(nn).code()).isEqualTo(0x10);
            assertThat(events.get(nn).kind()).as("record %d", nn + 1).isEqualTo(nn % 2 == 0 ? 0 : 1);
        }
        m.mains().set(MainsState.OFF, m.now());
        m.runUntil(m.now() + 2 * SECOND);
        m.mains().set(normal, m.now());
        m.runUntil(m.now() + 2 * SECOND);
        VbusFrame after = m.link().get(MeteringData.EVENT_HEADER);
        assertThat(after.u32(0)).as("power down and power up added, after the boot's calibration event")
                .isEqualTo(before + 40 + 3);
        List<Event> newest = MeterTesting.events(m);
        assertThat(MeterTesting.codes(newest.subList(0, 4))).containsExactly(0x02, 0x20, 0x01, 0x10);
        assertThat(newest.get(31).code()).isEqualTo(0x10);
    }
}
