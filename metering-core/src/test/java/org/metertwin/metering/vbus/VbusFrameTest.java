package org.metertwin.metering.vbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame layout against the worked example of docs/virtual-bus.md (checksums summed by hand there). */
class VbusFrameTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    @Test
    void encodesTheDocumentsRequestExample() {
        VbusFrame get = VbusFrame.get(0x10, 0x01, MeteringData.ACTIVE_IMPORT);
        assertThat(HEX.formatHex(get.encode())).isEqualTo("68 10 01 68 01 04 00 00 01 00 E7 16");
    }

    @Test
    void encodesTheDocumentsReplyExample() {
        byte[] value = {0x78, (byte) 0xDE, 0x2B, 0, 0, 0, 0, 0};
        VbusFrame reply = new VbusFrame(0x01, 0x10, 0x81, MeteringData.ACTIVE_IMPORT, value);
        assertThat(HEX.formatHex(reply.encode())).isEqualTo("68 01 10 68 81 0C 00 00 01 00 78 DE 2B 00 00 00 00 00 F0 16");
        assertThat(reply.u64(0)).isEqualTo(2_875_000L);
        assertThat(reply.answers(VbusFrame.get(0x10, 0x01, MeteringData.ACTIVE_IMPORT))).isTrue();
        assertThat(reply.answers(VbusFrame.get(0x10, 0x01, MeteringData.ACTIVE_EXPORT))).isFalse();
    }

    @Test
    void dataIdentifiersAreWrittenHighByteFirst() {
        assertThat(VbusFrame.dataIdText(MeteringData.NEUTRAL_CURRENT)).isEqualTo("02.80.00.01");
        assertThat(VbusFrame.dataIdText(MeteringData.STATUS)).isEqualTo("04.00.05.01");
    }

    @Test
    void errorReplyCarriesOneByte() {
        VbusFrame e = new VbusFrame(0x01, 0x10, 0xC2, MeteringData.CALIBRATION, new byte[] {VbusErrors.NOT_AUTHORISED});
        assertThat(e.isError()).isTrue();
        assertThat(e.errorCode()).isEqualTo(4);
        assertThat(VbusErrors.describe(e.errorCode())).isEqualTo("not authorised");
    }

    @Test
    void readerFindsFramesAfterNoiseAndFalseStarts() {
        VbusFrameReader r = new VbusFrameReader();
        List<VbusFrame> got = new ArrayList<>();
        List<VbusFrameReader.Drop> drops = new ArrayList<>();
        r.onDrop((why, at) -> drops.add(why));
        byte[] frame = VbusFrame.get(0x10, 0x01, MeteringData.ACTIVE_IMPORT).encode();
        // noise, a 68 that is not a start, a header with L = 2, then the real frame
        byte[] noise = {0x00, 0x68, 0x11, 0x22, 0x33, 0x68, 0x10, 0x01, 0x68, 0x01, 0x02};
        long t = 0;
        for (byte b : noise) {
            feed(r, b, t += 100_000, got);
        }
        for (byte b : frame) {
            feed(r, b, t += 100_000, got);
        }
        assertThat(got).containsExactly(VbusFrame.get(0x10, 0x01, MeteringData.ACTIVE_IMPORT));
        // the bad header's tail "68 01 02" and the real frame's "68" make a second false header (L = 1):
        // the hunt drops it too and still finds the real frame inside
        assertThat(drops).containsExactly(VbusFrameReader.Drop.BAD_LENGTH, VbusFrameReader.Drop.BAD_LENGTH);
    }

    @Test
    void readerDropsBadChecksumBadEndAndSilence() {
        VbusFrameReader r = new VbusFrameReader();
        List<VbusFrame> got = new ArrayList<>();
        List<VbusFrameReader.Drop> drops = new ArrayList<>();
        r.onDrop((why, at) -> drops.add(why));
        byte[] frame = VbusFrame.get(0x10, 0x01, MeteringData.STATUS).encode();
        long t = 0;
        byte[] badCs = frame.clone();
        badCs[badCs.length - 2] ^= 1;
        for (byte b : badCs) {
            feed(r, b, t += 100_000, got);
        }
        byte[] badEnd = frame.clone();
        badEnd[badEnd.length - 1] = 0x17;
        for (byte b : badEnd) {
            feed(r, b, t += 100_000, got);
        }
        for (int i = 0; i < 5; i++) {
            feed(r, frame[i], t += 100_000, got);
        }
        t += VbusFrameReader.INTER_BYTE_TIMEOUT_NANOS + 1;
        for (byte b : frame) {
            feed(r, b, t += 100_000, got);
        }
        assertThat(drops).containsExactly(VbusFrameReader.Drop.BAD_CHECKSUM, VbusFrameReader.Drop.BAD_END,
                VbusFrameReader.Drop.TIMEOUT);
        assertThat(got).containsExactly(VbusFrame.get(0x10, 0x01, MeteringData.STATUS));
    }

    @Test
    void longestFrameRoundTrips() {
        byte[] data = new byte[VbusFrame.MAX_DATA];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        VbusFrame f = VbusFrame.set(0x20, 0x01, MeteringData.CALIBRATION, data);
        VbusFrameReader r = new VbusFrameReader();
        List<VbusFrame> got = new ArrayList<>();
        long t = 0;
        for (byte b : f.encode()) {
            feed(r, b, t += 1000, got);
        }
        assertThat(got).containsExactly(f);
        assertThat(f.encode()[5] & 0xFF).isEqualTo(255);
    }

    private static void feed(VbusFrameReader r, byte b, long t, List<VbusFrame> out) {
        VbusFrame f = r.accept(b & 0xFF, t);
        if (f != null) {
            out.add(f);
        }
    }
}
