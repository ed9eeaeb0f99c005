package org.metertwin.peripherals;

import org.metertwin.core.bus.MmioDevice;
import org.metertwin.core.registers.LogOnce;

/**
 * A block of the chip that MeterTwin does not model (DMA, ADC, USB, ...): reads return zero and writes are
 * ignored, each register offset logged once, so that firmware touching it keeps running and the user sees
 * exactly what it relied on. QEMU maps its "unimplemented-device" over the same blocks.
 */
public final class UnimplementedDevice implements MmioDevice {
    private final String name;
    private final LogOnce log;

    public UnimplementedDevice(String name) {
        this.name = name;
        this.log = new LogOnce(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int read(int offset, int size) {
        note(offset, "read (returns 0)");
        return 0;
    }

    @Override
    public int peek(int offset, int size) {
        return 0;
    }

    @Override
    public void write(int offset, int size, int value) {
        note(offset, String.format("write of 0x%x (ignored)", value));
    }

    private void note(int offset, String what) {
        String at = Integer.toHexString(offset & ~3);
        log.warn(at, "not modelled: " + what + " at offset 0x" + at);
    }
}
