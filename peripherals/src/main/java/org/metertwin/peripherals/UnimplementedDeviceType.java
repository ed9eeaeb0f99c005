package org.metertwin.peripherals;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;

/** {@code type: unimplemented}: see {@link UnimplementedDevice}. */
public final class UnimplementedDeviceType implements DeviceType {
    @Override
    public String type() {
        return "unimplemented";
    }

    @Override
    public String description() {
        return "a block that is not modelled: reads 0, ignores writes, logs each register once";
    }

    @Override
    public Object create(DeviceContext context) {
        return new UnimplementedDevice(context.name());
    }
}
