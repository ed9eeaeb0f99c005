package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.MS;
import static org.metertwin.metering.MeterTesting.SECOND;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.MachineDescription;
import org.metertwin.core.machine.MachineDescriptions;
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

    /**
     * The PVD alone saves the energy: with the supply's early warning cut off from PA8, only the PVD interrupt
     * (VDD below 2.9 V, 100 ms hold-up after the loss) tells the firmware, which still writes its energy slot
     * before the EEPROM's supply falls below 2.5 V.
     */
    @Test
    void thePvdAloneSavesTheEnergy() throws Exception {
        MetrologyMeter m = MetrologyMeter.create(supplyVariant(Map.of(), Map.of("mains-ok", "supply.unconnected")));
        MainsState load = MainsState.sinusoidal(50, 230, 10, 0);
        m.mains().set(load, m.now());
        long cut = 20 * SECOND + 77 * MS, back = cut + 3 * SECOND, end = back + 2 * SECOND;
        m.runUntil(cut);
        int bootBefore = MeterTesting.events(m).get(0).boot();
        m.mains().set(MainsState.OFF, m.now());
        m.runUntil(back);
        m.mains().set(load, m.now());
        m.runUntil(end);

        List<Event> events = MeterTesting.events(m);
        Event lastOfPreviousBoot = events.stream().filter(e -> e.boot() == bootBefore).findFirst().orElseThrow();
        assertThat(lastOfPreviousBoot.code()).as("the previous boot ended with: power down, energy saved")
                .isEqualTo(0x01);
        // VDD passes 2.9 V 100 ms + 24.2 ms after the cut; the record is written once the energy slot is (5 ms
        // EEPROM cycles), and it counts from reset: so between the PVD and 20 ms after it
        assertThat(lastOfPreviousBoot.millis()).as("ms since that boot").isBetween(20_077L + 124, 20_077L + 124 + 20);
        long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        double exact = 2300 * ((cut + (end - back)) / 1e9) / 3.6;
        double period = 2300 * 0.25 / 3.6;
        assertThat((double) imported).as("import after the cut, mWh (exact %.1f)", exact)
                .isBetween(exact - period - 2, exact + 2);
    }

    /**
     * A supply with no hold-up at all (VDD gone the moment the mains is) and no warning, cut while the
     * firmware writes its periodic energy slot: the EEPROM page is left torn, the slot's CRC rejects it, and
     * the firmware restores the slot before it (a minute older): energy from then on is lost, nothing else,
     * and no garbage reaches the registers.
     */
    @Test
    void aTornEnergySlotFallsBackToThePreviousOne() throws Exception {
        MetrologyMeter m = MetrologyMeter.create(supplyVariant(Map.of("hold-up-ms", 0, "decay-ms", 0),
                Map.of("mains-ok", "supply.unconnected")));
        var eeprom = (org.metertwin.peripherals.meter.memory.SpiMemory) m.board().deviceObject("eeprom");
        m.mains().set(MainsState.sinusoidal(50, 230, 10, 0), m.now());
        m.runUntil(119 * SECOND);
        long before = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        long t = m.now();
        while (!eeprom.busy()) { // the periodic save at 240 periods (120 s): find its page write
            t += 20_000;
            m.runUntil(t);
            assertThat(t).as("a save starts by 121 s").isLessThan(121 * SECOND);
        }
        m.mains().set(MainsState.OFF, m.now());
        m.runUntil(t + SECOND);
        assertThat(eeprom.lastTornWrite()).as("the slot write was cut").isNotNull();
        m.mains().set(MainsState.sinusoidal(50, 230, 0, 0), m.now());
        m.runUntil(t + 3 * SECOND);
        long restored = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        double atMinute = 2300 * 60 / 3.6; // mWh at the save of 60 s
        assertThat((double) restored).as("restored from the 60 s slot, mWh").isBetween(atMinute - 2300 * 0.25 / 3.6 - 2,
                atMinute + 2300 * 0.25 / 3.6 + 2);
        assertThat(restored).isLessThan(before);
    }

    /** The built-in board with the supply's properties and pins changed. */
    private static MachineDescription supplyVariant(Map<String, Object> properties, Map<String, String> pins)
            throws Exception {
        MachineDescription board = MachineDescriptions.load(MetrologyMeter.BOARD);
        List<MachineDescription.Device> devices = new ArrayList<>();
        for (MachineDescription.Device d : board.devices()) {
            if (d.type().equals("power-supply")) {
                Map<String, String> p = new LinkedHashMap<>(d.pins());
                p.putAll(pins);
                Map<String, Object> props = new LinkedHashMap<>(d.properties());
                props.putAll(properties);
                d = new MachineDescription.Device(d.name(), d.type(), d.base(), d.size(), d.irqs(), p, props);
            }
            devices.add(d);
        }
        return board.withDevices(devices);
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
