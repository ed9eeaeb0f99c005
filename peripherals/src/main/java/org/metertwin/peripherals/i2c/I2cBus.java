package org.metertwin.peripherals.i2c;

/** An I2C controller that targets attach to (its SDA and SCL lines). */
public interface I2cBus {
    void attach(I2cTarget target);
}
