package org.metertwin.peripherals.meter.memory;

import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.spi.SpiTarget;

/** A test's SPI controller in mode 0: frames of 8-bit words between a falling and a rising chip select. */
final class SpiFrames {
    final Pin cs;
    final SpiTarget target;

    SpiFrames(Pin cs, SpiTarget target) {
        this.cs = cs;
        this.target = target;
        cs.drive(true); // deselected, as firmware leaves it after reset
    }

    /** One frame: chip select low, every byte exchanged, chip select high; returns the MISO bytes. */
    int[] frame(int... mosi) {
        cs.drive(false);
        int[] miso = new int[mosi.length];
        for (int i = 0; i < mosi.length; i++) {
            miso[i] = target.exchange(mosi[i], 8, false, false, false);
        }
        cs.drive(true);
        return miso;
    }

    /** The last MISO byte of a frame. */
    int last(int... mosi) {
        int[] r = frame(mosi);
        return r[r.length - 1];
    }

    /** A frame of {@code header} followed by {@code n} zero bytes; returns the bytes after the header. */
    int[] read(int n, int... header) {
        int[] mosi = new int[header.length + n];
        System.arraycopy(header, 0, mosi, 0, header.length);
        int[] r = frame(mosi);
        int[] out = new int[n];
        System.arraycopy(r, header.length, out, 0, n);
        return out;
    }

    /** {@code header} followed by {@code data}, in one frame. */
    void write(int[] header, int... data) {
        int[] mosi = new int[header.length + data.length];
        System.arraycopy(header, 0, mosi, 0, header.length);
        System.arraycopy(data, 0, mosi, header.length, data.length);
        frame(mosi);
    }

    static int[] bytes(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] & 0xFF;
        }
        return r;
    }
}
