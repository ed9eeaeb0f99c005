package org.metertwin.peripherals;

import java.util.HashSet;
import java.util.Set;
import org.metertwin.core.bus.MmioDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A block of the chip that MeterTwin does not model (DMA, ADC, USB, ...): reads return zero and writes are
 * ignored, each register offset logged once, so that firmware touching it keeps running and the user sees
 * exactly what it relied on. QEMU maps its "unimplemented-device" over the same blocks.
 */
public final class UnimplementedDevice implements MmioDevice {
    private static final Logger LOG = LoggerFactory.getLogger(UnimplementedDevice.class);

    private final String name;
    private final Set<Integer> logged = new HashSet<>();

    public UnimplementedDevice(String name) {
        this.name = name;
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
        if (logged.add(offset & ~3)) {
            LOG.warn("{} is not modelled: {} at offset 0x{}", name, what, Integer.toHexString(offset & ~3));
        }
    }
}
