package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * The STM32F4's power-on and power-down reset (RM0090 5.2.2): while V_DD is below the threshold the device is
 * held in reset, so the core executes nothing; when V_DD rises above it again, the reset is released after the
 * temporization t_RSTTEMPO and the machine starts with a power-on reset (RCC_CSR PORRSTF). The falling threshold
 * is lower than the rising one by the hysteresis.
 *
 * <p>Thresholds and the temporization are DS8626's typical values (table "Embedded reset and power control
 * block characteristics": V_POR/PDR 1.68 V falling, 1.72 V rising, t_RSTTEMPO 1.5 ms), recalled and not checked
 * against the datasheet text here; properties override them. The brown-out reset (BOR, option bytes) is off, its
 * factory setting.
 */
public final class Stm32Por {
    private final Board board;
    private final AnalogLine vdd;
    private final EventQueue events;
    private final double fallingVolts;
    private final double risingVolts;
    private final long tempoNanos;
    private final Event release;
    private boolean held;
    private long powerDowns;

    public Stm32Por(Board board, AnalogLine vdd, EventQueue events, double fallingVolts, double risingVolts,
            long tempoNanos) {
        this.board = board;
        this.vdd = vdd;
        this.events = events;
        this.fallingVolts = fallingVolts;
        this.risingVolts = risingVolts;
        this.tempoNanos = tempoNanos;
        this.release = events.event("POR release", this::releaseReset);
        vdd.listen(this::supplyChanged);
        if (vdd.value() < risingVolts) {
            hold();
        }
    }

    private void supplyChanged(double volts) {
        if (!held && volts < fallingVolts) {
            hold();
        } else if (held && volts >= risingVolts && !release.isScheduled()) {
            events.scheduleIn(release, tempoNanos);
        } else if (held && volts < risingVolts) {
            events.cancel(release);
        }
    }

    private void hold() {
        held = true;
        powerDowns++;
        events.cancel(release);
        if (board != null) {
            board.cpu().setPowered(false);
        }
    }

    private void releaseReset(long now) {
        held = false;
        if (board != null) {
            board.cpu().setPowered(true);
            board.requestReset(ResetCause.POWER_ON);
        }
    }

    /** Whether the device is held in reset by a low supply. */
    public boolean isHeld() {
        return held;
    }

    /** How many times the supply fell below the power-down level. */
    public long powerDowns() {
        return powerDowns;
    }

    /**
     * {@code stm32f4-por}: pin {@code vdd} (the analog supply net, 3.3 V); properties {@code pdr-volts}
     * (falling threshold, 1.68), {@code por-volts} (rising threshold, 1.72), {@code tempo} (seconds, 0.0015).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-por";
        }

        public String description() {
            return "STM32F4 power-on/power-down reset (RM0090 5.2.2): holds the core in reset while VDD is low";
        }

        public Object create(DeviceContext c) throws MachineException {
            double pdr = c.decimal("pdr-volts", 1.68);
            double por = c.decimal("por-volts", 1.72);
            double tempo = c.decimal("tempo", 0.0015);
            if (!(pdr > 0 && por >= pdr)) {
                throw c.error("properties.por-volts", "must be >= pdr-volts > 0, got por " + por + ", pdr " + pdr);
            }
            if (!(tempo >= 0 && tempo < 1)) {
                throw c.error("properties.tempo", "must be within 0..1 s, got " + tempo);
            }
            return new Stm32Por(c.board(), c.analog("vdd", 3.3), c.events(), pdr, por, Math.round(tempo * 1e9));
        }
    }
}
