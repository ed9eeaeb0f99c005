package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;

/** Decoding the metering core's replies, with frames laid out by hand from docs/virtual-bus.md. */
class MetrologyMeterUnderTestTest {
    private static VbusFrame reply(int dataId, byte[] data) {
        return new VbusFrame(MeteringData.METERING_CORE, MeteringData.MANAGEMENT_CORE, 0x81, dataId, data);
    }

    @Test
    void energyBlockIsSevenLittleEndianU64() throws Exception {
        byte[] data = new byte[56];
        data[0] = 0x78; data[1] = (byte) 0xDE; data[2] = 0x2B; // 2 875 000 mWh, the document's example
        data[8 * 6 + 7] = 0x01;                                // apparent: 2^56 mVAh
        long[] r = MetrologyMeterUnderTest.energyRegisters(reply(MeteringData.ENERGY_BLOCK, data));
        assertThat(r).containsExactly(2_875_000L, 0, 0, 0, 0, 0, 1L << 56);
        assertThatThrownBy(() -> MetrologyMeterUnderTest.energyRegisters(reply(MeteringData.ENERGY_BLOCK, new byte[8])))
                .hasMessage("energy block: expected 56 bytes, got 8");
    }

    @Test
    void eventRecordIsCodeKindBootMillis() throws Exception {
        byte[] data = {0x01, 0x02, 0x03, 0x00, 0x10, 0x27, 0x00, 0x00}; // power down, instant, boot 3, 10000 ms
        assertThat(MetrologyMeterUnderTest.eventRecord(reply(MeteringData.EVENT_RECORD + 1, data)))
                .isEqualTo(new MeterEvent(1, "powerDown", "instant", 3, 10_000));
        assertThat(MeterEvent.of(0x7E, 1, 0, 0).name()).isEqualTo("code0x7E");
    }
}
