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

    @Test
    void errorRepliesForUnknownIdentifiersAndBadLengths() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        VbusFrame unknown = m.link().exchange(VbusFrame.get(0x10, 0x01, 0x0299_0000));
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.control()).isEqualTo(0xC1);
        assertThat(unknown.dataId()).isEqualTo(0x0299_0000);
        assertThat(unknown.errorCode()).isEqualTo(0x02);
        VbusFrame getWithData = m.link().exchange(new VbusFrame(0x10, 0x01, VbusFrame.GET, MeteringData.VOLTAGE,
                new byte[] {1, 2}));
        assertThat(getWithData.errorCode()).as("a get carries no data").isEqualTo(0x08);
        VbusFrame record = m.link().exchange(VbusFrame.get(0x10, 0x01, MeteringData.EVENT_RECORD + 0x20));
        assertThat(record.errorCode()).as("a record beyond those held").isEqualTo(0x02);
        VbusFrame setEnergy = m.link().exchange(VbusFrame.set(0x10, 0x01, MeteringData.ACTIVE_IMPORT, new byte[8]));
        assertThat(setEnergy.errorCode()).as("energy registers cannot be set").isEqualTo(0x04);
    }

    @Test
    void aDamagedFrameGetsNoReplyAndTheNextIsAnswered() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        while (m.link().port().poll() != null) {
            // the boot's event reports
        }
        byte[] bad = VbusFrame.get(0x10, 0x01, MeteringData.VOLTAGE).encode();
        bad[bad.length - 2]++;                       // checksum wrong
        m.link().port().sendRaw(bad);
        byte[] truncated = VbusFrame.get(0x10, 0x01, MeteringData.VOLTAGE).encode();
        m.link().port().sendRaw(java.util.Arrays.copyOf(truncated, 7));
        m.runUntil(m.now() + 100_000_000L);          // the 20 ms inter-byte timeout drops the partial frame
        assertThat(m.link().port().poll()).as("no reply to a damaged frame").isNull();
        m.link().port().sendRaw(new byte[] {0x55, 0x68, 0x00});   // noise before the frame
        assertThat(m.link().get(MeteringData.FIRMWARE_VERSION).length()).isEqualTo(16);
        VbusFrame other = m.link().exchange(VbusFrame.get(0x10, 0x01, MeteringData.STATUS));
        assertThat(other.isError()).isFalse();
    }

    @Test
    void instantaneousValuesOfTheLastPeriod() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        // 240 V, 10 A lagging 60 degrees, neutral current 8 A (part of the load returns through earth)
        MainsState s = MainsState.sinusoidal(50, 240, 10, Math.PI / 3);
        m.mains().set(s.withCurrents(s.phaseCurrent(), org.metertwin.peripherals.meter.mains.AcQuantity.sine(8,
                -Math.PI / 3)), m.now());
        m.runUntil(3 * SECOND);
        VbusFrame b = m.link().get(MeteringData.INSTANT_BLOCK);
        assertThat(b.length()).isEqualTo(28);
        assertThat(b.u32(0)).as("mV").isCloseTo(240_000L, org.assertj.core.data.Offset.offset(40L));
        assertThat(b.u32(4)).as("mA").isCloseTo(10_000L, org.assertj.core.data.Offset.offset(4L));
        assertThat(b.u32(8)).as("neutral mA").isCloseTo(8_000L, org.assertj.core.data.Offset.offset(3L));
        assertThat(b.s32(12)).as("mW").isCloseTo(1_200_000, org.assertj.core.data.Offset.offset(120));
        assertThat(b.s32(16)).as("mvar").isCloseTo(2_078_461, org.assertj.core.data.Offset.offset(210));
        assertThat(b.u32(20)).as("mVA").isCloseTo(2_400_000L, org.assertj.core.data.Offset.offset(240L));
        assertThat((short) b.u16(24)).as("pf").isEqualTo((short) 500);
        assertThat(b.u16(26)).as("centihertz").isEqualTo(5000);
        long status = m.link().get(MeteringData.STATUS).u32(0);
        assertThat(status & (1 << 4)).as("20 %% mismatch: tamper").isNotZero();
        assertThat(MeterTesting.codes(MeterTesting.events(m))).contains(0x14);
    }

    @Test
    void aModifiedImageFailsItsCrcCheck(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] elf;
        try (var in = MetrologyLinkTest.class.getResourceAsStream(MetrologyMeter.BUNDLED_ELF)) {
            elf = in.readAllBytes();
        }
        String text = new String(elf, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("MTW-METRO ");
        assertThat(at).isPositive();
        elf[at + 9] = '_';                           // "MTW-METRO_...": one byte of the image changed
        java.nio.file.Path patched = dir.resolve("patched.elf");
        java.nio.file.Files.write(patched, elf);
        MetrologyMeter m = MetrologyMeter.create(patched, null);
        m.runUntil(SECOND);
        VbusFrame crc = m.link().get(MeteringData.IMAGE_CRC);
        assertThat(crc.u8(4)).as("check failed").isZero();
        assertThat(crc.u32(0)).isNotEqualTo(imageCrc());
        assertThat(m.link().get(MeteringData.STATUS).u32(0) & (1 << 7)).isNotZero();
        assertThat(MeterTesting.codes(MeterTesting.events(m))).contains(0x30);
        assertThat(new String(m.link().get(MeteringData.FIRMWARE_VERSION).data(), StandardCharsets.US_ASCII))
                .startsWith("MTW-METRO_");
    }

    /**
     * The Java stand-in is a peer at the far end of a serial link: its request reaches the board's UART one
     * character time apart from the moment it was sent (115200 8N1: 10 bits, 86 806 ns), exactly as a UART
     * would send it, and the answer comes back over the same link, never two characters closer than a
     * character time.
     */
    @Test
    void theJavaPeerSpeaksAtTheLinesRate() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.runUntil(SECOND);
        java.util.List<long[]> toBoard = new java.util.ArrayList<>();
        java.util.List<long[]> fromBoard = new java.util.ArrayList<>();
        m.simulation().setLinkTrace((link, when, data) ->
                (link.startsWith("management (Java)->") ? toBoard : fromBoard).add(new long[] {when, data}));
        long sent = m.simulation().now();
        byte[] request = VbusFrame.get(0x10, 0x01, MeteringData.STATUS).encode();
        VbusFrame reply = m.link().get(MeteringData.STATUS);
        long character = org.metertwin.metering.vbus.VbusPort.LINE.frameNanos();
        assertThat(character).isEqualTo(86_806L);
        assertThat(toBoard).hasSize(request.length);
        for (int i = 0; i < request.length; i++) {
            assertThat(toBoard.get(i)[0]).as("stop bit of character " + i).isEqualTo(sent + (i + 1) * character);
            assertThat(toBoard.get(i)[1]).isEqualTo(request[i] & 0xFF);
        }
        byte[] answer = reply.encode();
        assertThat(fromBoard).hasSize(answer.length);
        for (int i = 0; i < answer.length; i++) {
            assertThat(fromBoard.get(i)[1]).isEqualTo(answer[i] & 0xFF);
            if (i > 0) {
                // the board's USART runs at 115108 baud (BRR 139 from 16 MHz): 86 875 ns a character
                assertThat(fromBoard.get(i)[0] - fromBoard.get(i - 1)[0]).isGreaterThanOrEqualTo(86_875L);
            }
        }
        assertThat(fromBoard.get(0)[0]).as("answered within the 10 ms the document allows")
                .isLessThan(toBoard.get(request.length - 1)[0] + 10_000_000L);
    }
}
