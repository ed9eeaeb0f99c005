package org.metertwin.metering.vbus;

import java.util.Arrays;

/**
 * One virtual-bus frame (docs/virtual-bus.md): {@code 68 SRC DST 68 C L DI0..DI3 DATA CS 16}. Values in
 * DATA are little-endian; {@link #u32(int)} and friends read them.
 */
public record VbusFrame(int source, int destination, int control, int dataId, byte[] data) {
    public static final int START = 0x68;
    public static final int END = 0x16;
    /** Bytes before DI: 68 SRC DST 68 C L. */
    public static final int HEADER = 6;
    /** L counts DI and DATA and is one byte, so DATA holds at most 251 bytes. */
    public static final int MAX_DATA = 255 - 4;

    public static final int GET = 0x01;
    public static final int SET = 0x02;
    public static final int ACTION = 0x03;
    public static final int REPORT = 0x04;
    public static final int REPLY = 0x80;
    public static final int ERROR = 0x40;

    public VbusFrame {
        if ((source & ~0xFF) != 0 || (destination & ~0xFF) != 0 || (control & ~0xFF) != 0) {
            throw new IllegalArgumentException("address and control are bytes");
        }
        data = data == null ? new byte[0] : data.clone();
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("at most " + MAX_DATA + " data bytes, not " + data.length);
        }
    }

    public static VbusFrame get(int source, int destination, int dataId) {
        return new VbusFrame(source, destination, GET, dataId, null);
    }

    public static VbusFrame set(int source, int destination, int dataId, byte[] value) {
        return new VbusFrame(source, destination, SET, dataId, value);
    }

    public static VbusFrame action(int source, int destination, int dataId, byte[] argument) {
        return new VbusFrame(source, destination, ACTION, dataId, argument);
    }

    /** D4-D0: get, set, action or report. */
    public int function() {
        return control & 0x1F;
    }

    public boolean isReply() {
        return (control & REPLY) != 0;
    }

    public boolean isError() {
        return isReply() && (control & ERROR) != 0;
    }

    /** The error byte of an error reply (docs/virtual-bus.md, "Control word"). */
    public int errorCode() {
        if (!isError() || data.length < 1) {
            throw new IllegalStateException("not an error reply: " + this);
        }
        return data[0] & 0xFF;
    }

    /** Whether this is the normal or error reply to {@code request}. */
    public boolean answers(VbusFrame request) {
        return isReply() && function() == request.function() && dataId == request.dataId
                && source == request.destination && destination == request.source;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    public int u8(int offset) {
        return data[offset] & 0xFF;
    }

    public int u16(int offset) {
        return u8(offset) | u8(offset + 1) << 8;
    }

    public long u32(int offset) {
        return (u16(offset) | (long) u16(offset + 2) << 16) & 0xFFFF_FFFFL;
    }

    public int s32(int offset) {
        return (int) u32(offset);
    }

    public long u64(int offset) {
        return u32(offset) | u32(offset + 4) << 32;
    }

    /** The frame's bytes on the wire. */
    public byte[] encode() {
        byte[] b = new byte[HEADER + 4 + data.length + 2];
        b[0] = (byte) START;
        b[1] = (byte) source;
        b[2] = (byte) destination;
        b[3] = (byte) START;
        b[4] = (byte) control;
        b[5] = (byte) (4 + data.length);
        for (int i = 0; i < 4; i++) {
            b[HEADER + i] = (byte) (dataId >>> (8 * i)); // DI0 first
        }
        System.arraycopy(data, 0, b, HEADER + 4, data.length);
        b[b.length - 2] = (byte) checksum(b, 0, b.length - 2);
        b[b.length - 1] = (byte) END;
        return b;
    }

    /** The sum modulo 256 of {@code b[from..to)}. */
    public static int checksum(byte[] b, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += b[i] & 0xFF;
        }
        return sum & 0xFF;
    }

    /** A data identifier written as in the documents, DI3.DI2.DI1.DI0 (for example 00.01.00.00). */
    public static String dataIdText(int dataId) {
        return String.format("%02X.%02X.%02X.%02X", dataId >>> 24, (dataId >>> 16) & 0xFF, (dataId >>> 8) & 0xFF,
                dataId & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VbusFrame f && f.source == source && f.destination == destination
                && f.control == control && f.dataId == dataId && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return ((source * 31 + destination) * 31 + control) * 31 + dataId + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("%02x->%02x C=%02x DI=%s", source, destination, control,
                dataIdText(dataId)));
        for (byte d : data) {
            s.append(String.format(" %02x", d & 0xFF));
        }
        return s.toString();
    }
}
