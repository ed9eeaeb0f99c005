package org.metertwin.peripherals.meter.memory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.MachineException;

/** The properties both memory types share: {@code file} (in memory when absent) and {@code vcc-min}. */
final class MemoryImages {
    private MemoryImages() {
    }

    static MemoryImage open(DeviceContext c, int size, String part) throws MachineException {
        String file = c.string("file", null);
        if (file == null) {
            return MemoryImage.inMemory(size, 0xFF);
        }
        try {
            return MemoryImage.open(Path.of(file), size, 0xFF, part);
        } catch (InvalidPathException e) {
            throw c.error("properties.file", "not a valid path: '" + file + "'");
        } catch (MemoryImage.BadImage e) {
            throw c.error("properties.file", e.getMessage());
        }
    }

    /** The minimum operating supply in volts: below it the chip stops and a write cycle is torn. */
    static double vccMin(DeviceContext c, double defaultVolts) throws MachineException {
        double v = c.decimal("vcc-min", defaultVolts);
        if (!(v > 0 && v < 10)) {
            throw c.error("properties.vcc-min", "expected a supply voltage in volts (0 to 10), got " + v);
        }
        return v;
    }
}
