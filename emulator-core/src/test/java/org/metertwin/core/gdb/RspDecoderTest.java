package org.metertwin.core.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RspDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new RspDecoder());

    private void feed(String s) {
        channel.writeInbound(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void gdbsOwnPacketsDecode() {
        // bytes as gdb 13 sends them (checksums from the protocol's definition: modulo-256 sum)
        feed("$g#67$m0,4#fd$?#3f");
        assertEquals(new RspFrame.Packet("g"), channel.readInbound());
        assertEquals(new RspFrame.Packet("m0,4"), channel.readInbound());
        assertEquals(new RspFrame.Packet("?"), channel.readInbound());
    }

    @Test
    void badChecksumIsRejected() {
        feed("$g#00");
        assertInstanceOf(RspFrame.Rejected.class, channel.readInbound());
        feed("$g#zz");
        assertInstanceOf(RspFrame.Rejected.class, channel.readInbound());
    }

    @Test
    void escapesAreUndoneAfterTheChecksum() {
        // X packet data 0x23 ('#') escaped as "}\x03"; checksum over the escaped bytes
        String escaped = "X0,1:}" + (char) 0x03;
        int sum = 0;
        for (char c : escaped.toCharArray()) {
            sum += c;
        }
        feed("$" + escaped + "#" + String.format("%02x", sum & 0xFF));
        assertEquals(new RspFrame.Packet("X0,1:#"), channel.readInbound());
    }

    @Test
    void interruptAcksAndJunkOutsidePackets() {
        feed("+\u0003garbage\u00ff-");
        assertInstanceOf(RspFrame.Interrupt.class, channel.readInbound());
        assertInstanceOf(RspFrame.Nack.class, channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void anOverlongPacketIsDroppedWhole() {
        feed("$" + "a".repeat(RspDecoder.MAX_PAYLOAD * 3) + "#00");
        assertInstanceOf(RspFrame.Rejected.class, channel.readInbound());
        feed("$g#67");
        assertEquals(new RspFrame.Packet("g"), channel.readInbound());
    }

    @Test
    void framingEscapesAndChecksums() {
        assertEquals("$OK#9a", new String(Rsp.frame("OK"), StandardCharsets.ISO_8859_1));
        assertEquals("$}\u0003#80", new String(Rsp.frame("#"), StandardCharsets.ISO_8859_1));
    }
}
