package org.metertwin.core.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * A slowly varying analog quantity shared between devices, such as the supply voltage that a PVD compares
 * against its threshold or the battery voltage of an RTC domain. Waveforms sampled at audio rates are a
 * {@code Signal} of the scenario instead.
 */
public final class AnalogLine {
    private final String name;
    private double value;
    private final List<DoubleConsumer> listeners = new ArrayList<>(2);

    public AnalogLine(String name, double initial) {
        this.name = name;
        this.value = initial;
    }

    public String name() {
        return name;
    }

    public double value() {
        return value;
    }

    public void set(double newValue) {
        if (newValue == value) {
            return;
        }
        value = newValue;
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).accept(newValue);
        }
    }

    public void listen(DoubleConsumer l) {
        listeners.add(l);
    }
}
