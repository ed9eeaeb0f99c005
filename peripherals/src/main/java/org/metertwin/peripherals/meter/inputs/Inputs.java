package org.metertwin.peripherals.meter.inputs;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.MachineException;

/** Property readers shared by the input device types. */
final class Inputs {
    private Inputs() {
    }

    /** A level property: {@code high} or {@code low}. */
    static boolean level(DeviceContext c, String property, boolean defaultHigh) throws MachineException {
        String v = c.string(property, defaultHigh ? "high" : "low");
        return switch (v) {
            case "high" -> true;
            case "low" -> false;
            default -> throw c.error("properties." + property, "expected high or low, got '" + v + "'");
        };
    }

    /** {@code bounce-ms}, in ns. */
    static long bounce(DeviceContext c) throws MachineException {
        double ms = c.decimal("bounce-ms", 0);
        if (!(ms >= 0) || ms > 1000) {
            throw c.error("properties.bounce-ms", "must be within 0..1000 ms, got " + ms);
        }
        return Math.round(ms * 1e6);
    }
}
