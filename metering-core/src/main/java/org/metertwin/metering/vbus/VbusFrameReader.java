package org.metertwin.metering.vbus;

/**
 * Finds frames in a byte stream as docs/virtual-bus.md prescribes: hunt for {@code 68 x x 68}, read L, then
 * check the checksum and the end byte. A frame with a bad length is dropped and the hunt resumes at the
 * byte after its first 0x68; one with a bad checksum or end byte is dropped whole; a partial frame followed
 * by 20 ms of silence is dropped. Times are the receiver's virtual nanoseconds, so the result never depends
 * on the host.
 */
public final class VbusFrameReader {
    public static final long INTER_BYTE_TIMEOUT_NANOS = 20_000_000L;

    /** Why a frame was dropped. */
    public enum Drop { BAD_LENGTH, BAD_CHECKSUM, BAD_END, TIMEOUT }

    /** Hears about dropped frames (for logs and tests). */
    @FunctionalInterface
    public interface DropListener {
        void dropped(Drop why, long atNanos);
    }

    private final byte[] buffer = new byte[VbusFrame.HEADER + 255 + 2];
    private int count;
    private long lastByteNanos;
    private DropListener listener = (why, at) -> { };

    public void onDrop(DropListener l) {
        this.listener = l;
    }

    /** Takes one received byte; returns the frame it completes, or null. */
    public VbusFrame accept(int value, long nanos) {
        if (count > 0 && nanos - lastByteNanos > INTER_BYTE_TIMEOUT_NANOS) {
            listener.dropped(Drop.TIMEOUT, nanos);
            count = 0;
        }
        lastByteNanos = nanos;
        return push((byte) value, nanos);
    }

    private VbusFrame push(byte value, long nanos) {
        buffer[count++] = value;
        if (count == 1 || count == 4) {
            if ((buffer[count - 1] & 0xFF) != VbusFrame.START) {
                resync(nanos);
            }
            return null;
        }
        if (count == VbusFrame.HEADER && (buffer[5] & 0xFF) < 4) {
            listener.dropped(Drop.BAD_LENGTH, nanos);
            resync(nanos);
            return null;
        }
        if (count < VbusFrame.HEADER || count < VbusFrame.HEADER + (buffer[5] & 0xFF) + 2) {
            return null;
        }
        int length = buffer[5] & 0xFF;
        int cs = VbusFrame.checksum(buffer, 0, VbusFrame.HEADER + length);
        count = 0;
        if ((buffer[VbusFrame.HEADER + length] & 0xFF) != cs) {
            listener.dropped(Drop.BAD_CHECKSUM, nanos);
            return null;
        }
        if ((buffer[VbusFrame.HEADER + length + 1] & 0xFF) != VbusFrame.END) {
            listener.dropped(Drop.BAD_END, nanos);
            return null;
        }
        int dataId = 0;
        for (int i = 0; i < 4; i++) {
            dataId |= (buffer[VbusFrame.HEADER + i] & 0xFF) << (8 * i);
        }
        byte[] data = java.util.Arrays.copyOfRange(buffer, VbusFrame.HEADER + 4, VbusFrame.HEADER + length);
        return new VbusFrame(buffer[1] & 0xFF, buffer[2] & 0xFF, buffer[4] & 0xFF, dataId, data);
    }

    /** The header so far is not a frame: hunt again from the byte after its first one. */
    private void resync(long nanos) {
        int n = count;
        count = 0;
        for (int i = 1; i < n; i++) {
            push(buffer[i], nanos); // a header is at most 6 bytes: it never completes a frame here
        }
    }

    /** Whether part of a frame has been read. */
    public boolean inFrame() {
        return count > 0;
    }
}
