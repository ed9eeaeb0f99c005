package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.peripherals.meter.mains.MainsState;

/** The metering firmware's side of the virtual bus (docs/virtual-bus.md), on the board through MetrologyMeter. */
class MetrologyLinkTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void identifiesItselfAndItsImageCrc() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        VbusFrame version = m.link().get(MeteringData.FIRMWARE_VERSION);
        assertThat(version.length()).isEqualTo(16);
        String text = new String(version.data(), StandardCharsets.US_ASCII).replace("\0", "");
        assertThat(text).startsWith("MTW-METRO ");
        VbusFrame crc = m.link().get(MeteringData.IMAGE_CRC);
        assertThat(crc.length()).isEqualTo(5);
        assertThat(crc.u32(0)).isEqualTo(imageCrc());
        assertThat(crc.u8(4)).isEqualTo(1);
    }

    /** zlib's CRC-32 of the loaded bytes before the .image_crc word, computed here from the ELF's segments. */
    static long imageCrc() throws Exception {
        byte[] elf;
        try (var in = MetrologyLinkTest.class.getResourceAsStream(MetrologyMeter.BUNDLED_ELF)) {
            elf = in.readAllBytes();
        }
        var file = org.metertwin.core.elf.ElfFile.parse("metrology.elf", elf);
        var crcSection = file.sections().stream().filter(s -> s.name().equals(".image_crc")).findFirst().orElseThrow();
        byte[] image = new byte[crcSection.address() - 0x08000000];
        for (var seg : file.segments()) {
            // loadable segments in flash (by physical address), up to the CRC word
            int from = seg.paddr() - 0x08000000;
            for (int i = 0; i < seg.fileSize() && from + i < image.length; i++) {
                if (from + i >= 0) {
                    image[from + i] = elf[seg.offset() + i];
                }
            }
        }
        CRC32 crc = new CRC32();
        crc.update(image);
        return crc.getValue();
    }

    @Test
    void statusOnABlankEepromShowsFactoryCalibration() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 5, 0), m.now());
        m.runUntil(2 * SECOND);
        long status = m.link().get(MeteringData.STATUS).u32(0);
        assertThat(status & (1 << 5)).as("bit 5: calibration at factory defaults").isNotZero();
        assertThat(status & (1 << 6)).as("bit 6: calibration enable").isZero();
        assertThat(status & (1 << 7)).as("bit 7: image CRC failed").isZero();
        m.setCalibrationEnable(true);
        m.runUntil(m.now() + 1_000_000);
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & (1 << 6)).isNotZero();
    }
}
