package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metertwin.metering.MeterTesting.MS;
import static org.metertwin.metering.MeterTesting.SECOND;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.peripherals.meter.mains.MainsState;

/** The calibration record (firmware README.md): factory defaults, writing it under the enable input, keeping it. */
class MetrologyCalibrationTest {
    static final int METER_CONSTANT_OFFSET = 40;

    /** The record with a new meter constant and its CRC-32 (bytes 60..63, over 0..59) recomputed. */
    static byte[] withMeterConstant(byte[] record, int impPerKwh) {
        ByteBuffer b = ByteBuffer.wrap(record.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(METER_CONSTANT_OFFSET, impPerKwh);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 60);
        b.putInt(60, (int) crc.getValue());
        return b.array();
    }

    static VbusFrame set(MetrologyMeter m, byte[] value) throws Exception {
        return m.link().exchange(VbusFrame.set(MeteringData.MANAGEMENT_CORE, MeteringData.METERING_CORE,
                MeteringData.CALIBRATION, value));
    }

    @Test
    void blankEepromGivesFactoryDefaultsAndAnEvent() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        byte[] record = m.link().get(MeteringData.CALIBRATION).data();
        assertThat(record).hasSize(64);
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("magic MTCL").isEqualTo(0x4C43544D);
        assertThat(b.getInt(METER_CONSTANT_OFFSET)).isEqualTo(MetrologyMeter.METER_CONSTANT);
        CRC32 crc = new CRC32();
        crc.update(record, 0, 60);
        assertThat(b.getInt(60)).as("the defaults carry a valid CRC").isEqualTo((int) crc.getValue());
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & (1 << 5)).isNotZero();
        assertThat(MeterTesting.codes(MeterTesting.events(m))).contains(0x20);
    }

    @Test
    void writingNeedsTheEnableInputAndAGoodRecord() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        byte[] record = withMeterConstant(m.link().get(MeteringData.CALIBRATION).data(), 2000);
        VbusFrame denied = set(m, record);
        assertThat(denied.isError()).isTrue();
        assertThat(denied.errorCode()).as("not authorised").isEqualTo(0x04);

        m.setCalibrationEnable(true);
        VbusFrame shortRecord = set(m, new byte[10]);
        assertThat(shortRecord.errorCode()).as("bad length").isEqualTo(0x08);
        byte[] corrupt = record.clone();
        corrupt[20] ^= 1;
        assertThat(set(m, corrupt).errorCode()).as("CRC wrong").isEqualTo(0x08);
        VbusFrame ok = set(m, record);
        assertThat(ok.isError()).isFalse();
        assertThat(ok.control()).isEqualTo(0x82);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & (1 << 5)).as("no longer factory defaults").isZero();
        assertThat(MeterTesting.events(m).get(0).code()).isEqualTo(0x21);
    }

    @Test
    void aWrittenRecordSurvivesAPowerCycleAndTheEepromFile(@TempDir Path dir) throws Exception {
        Path eeprom = dir.resolve("eeprom.bin");
        MetrologyMeter m = MetrologyMeter.create(null, eeprom);
        m.runUntil(SECOND);
        byte[] record = withMeterConstant(m.link().get(MeteringData.CALIBRATION).data(), 2000);
        m.setCalibrationEnable(true);
        assertThat(set(m, record).isError()).isFalse();
        m.setCalibrationEnable(false);
        MainsState load = MainsState.sinusoidal(50, 230, 10, 0);
        m.mains().set(MainsState.OFF, m.now());
        m.runUntil(m.now() + 2 * SECOND);
        m.mains().set(load, m.now());
        m.runUntil(m.now() + 2 * SECOND);
        assertThat(m.link().get(MeteringData.CALIBRATION).data()).isEqualTo(record);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & (1 << 5)).isZero();
        // 2000 imp/kWh: two pulses per Wh of import
        long t = m.now();
        m.runUntil(t + 60 * SECOND + 100 * MS);
        long imported = m.link().get(MeteringData.ACTIVE_IMPORT).u64(0);
        assertThat(m.led().count()).isBetween(imported * 2 / 1000 - 1, imported * 2 / 1000 + 1);

        // a new board on the same EEPROM file: the calibration and the energy are there
        assertThat(Files.size(eeprom)).isEqualTo(32 * 1024);
        MetrologyMeter again = MetrologyMeter.create(null, eeprom);
        again.runUntil(SECOND);
        assertThat(again.link().get(MeteringData.CALIBRATION).data()).isEqualTo(record);
        assertThat(again.link().get(MeteringData.ACTIVE_IMPORT).u64(0)).as("restored from the last periodic save")
                .isGreaterThan(0).isLessThanOrEqualTo(imported);
    }
}
