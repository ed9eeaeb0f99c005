package org.metertwin.peripherals.meter.memory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.MachineException;

/** The {@code file} property both memory types share: in memory when absent, else persisted in that file. */
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
}
