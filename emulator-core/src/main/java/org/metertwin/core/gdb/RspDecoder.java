package org.metertwin.core.gdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream of the gdb remote serial protocol into {@link RspFrame}s:
 * {@code $payload#cs} packets (checksum checked, {@code }} escapes undone), acks, and Ctrl-C. Bytes outside
 * a packet that mean nothing are dropped; a packet longer than {@link #MAX_PAYLOAD} is dropped whole and
 * rejected, so no input can make it hold more than that.
 */
final class RspDecoder extends ByteToMessageDecoder {
    /** The largest payload accepted; qSupported announces it as PacketSize. */
    static final int MAX_PAYLOAD = 0x4000;

    private enum State { IDLE, PAYLOAD, CHECKSUM1, CHECKSUM2 }

    private State state = State.IDLE;
    private final StringBuilder payload = new StringBuilder();
    private int sum;
    private int received;
    private boolean escaped;
    private boolean tooLong;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int b = in.readUnsignedByte();
            switch (state) {
                case IDLE -> {
                    if (b == '$') {
                        payload.setLength(0);
                        sum = 0;
                        escaped = false;
                        tooLong = false;
                        state = State.PAYLOAD;
                    } else if (b == 0x03) {
                        out.add(new RspFrame.Interrupt());
                    } else if (b == '-') {
                        out.add(new RspFrame.Nack());
                    } // '+' acks and junk are dropped
                }
                case PAYLOAD -> {
                    if (b == '#') {
                        state = State.CHECKSUM1;
                    } else if (b == '$') { // a new packet starts: the broken one is forgotten
                        out.add(new RspFrame.Rejected("packet interrupted by '$'"));
                        payload.setLength(0);
                        sum = 0;
                        escaped = false;
                        tooLong = false;
                    } else {
                        sum += b;
                        if (payload.length() >= MAX_PAYLOAD) {
                            tooLong = true;
                        } else if (escaped) {
                            payload.append((char) (b ^ 0x20));
                            escaped = false;
                        } else if (b == '}') {
                            escaped = true;
                        } else {
                            payload.append((char) b);
                        }
                    }
                }
                case CHECKSUM1 -> {
                    received = Character.digit(b, 16) << 4;
                    state = State.CHECKSUM2;
                }
                case CHECKSUM2 -> {
                    received |= Character.digit(b, 16);
                    state = State.IDLE;
                    if (tooLong) {
                        out.add(new RspFrame.Rejected("packet longer than " + MAX_PAYLOAD + " bytes"));
                    } else if (received < 0 || (sum & 0xFF) != received) {
                        out.add(new RspFrame.Rejected("bad checksum"));
                    } else {
                        out.add(new RspFrame.Packet(payload.toString()));
                    }
                }
            }
        }
    }
}
