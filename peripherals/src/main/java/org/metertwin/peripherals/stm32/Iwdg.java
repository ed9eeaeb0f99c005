package org.metertwin.peripherals.stm32;

import java.util.function.Consumer;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F4 independent watchdog (RM0090 section 19). A 12-bit down-counter clocked by the LSI through the
 * prescaler PR (/4 to /256): started by 0xCCCC in KR from 0xFFF, reloaded from RLR by 0xAAAA; PR and RLR
 * are writable only after 0x5555. Time-out is (RLR + 1) prescaled LSI periods (RM0090 table 107:
 * 0.125 ms for RLR 0 and 512 ms for RLR 0xFFF at /4 and 32 kHz); it resets the machine. Once started,
 * only a reset stops it (the hardware-watchdog option byte is not modelled).
 */
public final class Iwdg extends RegisterDevice {
    static final int KEY_ENABLE = 0xCCCC, KEY_RELOAD = 0xAAAA, KEY_ACCESS = 0x5555;
    /** RM0090 19.4.4: an update reaches the VDD domain within 5 LSI periods. */
    static final int UPDATE_LSI_CYCLES = 5;

    /** Resets the machine (the board's requestReset). */
    private final Consumer<ResetCause> board;
    private final EventQueue events;
    private final Stm32Clocks clocks;
    private final Register pr, rlr;
    private final Field prescaler;
    /** SR (RM0090 19.4.4): an update of PR or RL is on its way to the VDD domain. */
    private final Flag pvu, rvu;
    private final Event expiry, prUpdated, rlrUpdated;
    private boolean running;
    private boolean writable;

    public Iwdg(String name, int size, Consumer<ResetCause> board, EventQueue events, Stm32Clocks clocks) {
        super(name, size);
        this.board = board;
        this.events = events;
        this.clocks = clocks;
        define(0x00, "KR", 0).field(0, 16, "KEY", Access.W).onWrite((w, p) -> key(w & 0xFFFF));
        pr = define(0x04, "PR");
        prescaler = pr.valueField(0, 3, "PR");
        rlr = define(0x08, "RLR").field(0, 12, "RL", Access.RW, 0xFFF);
        Register sr = define(0x0C, "SR");
        pvu = sr.flag(0, "PVU", Access.R);
        rvu = sr.flag(1, "RVU", Access.R);
        pr.onWrite((w, p) -> protectedWrite(pr, p, pvu));
        rlr.onWrite((w, p) -> protectedWrite(rlr, p, rvu));
        expiry = events.event(name + " time-out", t -> board.accept(ResetCause.INDEPENDENT_WATCHDOG));
        prUpdated = events.event(name + " PR updated", t -> pvu.clear());
        rlrUpdated = events.event(name + " RLR updated", t -> rvu.clear());
    }

    private void key(int key) {
        switch (key) {
            case KEY_ENABLE -> {
                writable = false;
                if (!running) {
                    running = true;
                    reload(0xFFF); // RM0090 19.3.2: the counter starts from its reset value 0xFFF
                }
            }
            case KEY_RELOAD -> {
                writable = false;
                if (running) {
                    reload(rlr.get());
                }
            }
            case KEY_ACCESS -> writable = true;
            default -> writable = false;
        }
    }

    private void protectedWrite(Register r, int previous, Flag busy) {
        if (!writable) {
            r.set(previous);
            return;
        }
        busy.set();
        events.scheduleIn(busy == pvu ? prUpdated : rlrUpdated, lsiNanos(UPDATE_LSI_CYCLES));
    }

    private long lsiNanos(long cycles) {
        return cycles * 1_000_000_000L / clocks.frequency(Stm32Clocks.Domain.LSI);
    }

    /** The counter is loaded with {@code count}; it resets the machine count + 1 prescaled periods later. */
    private void reload(int count) {
        long divider = 4L << Math.min(prescaler.get(), 6);
        events.scheduleIn(expiry, lsiNanos((count + 1L) * divider));
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public void reset() {
        super.reset();
        running = false;
        writable = false;
        events.cancel(expiry);
        events.cancel(prUpdated);
        events.cancel(rlrUpdated);
    }


    /** {@code stm32f4-iwdg}. */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-iwdg";
        }

        public String description() {
            return "STM32F4 independent watchdog (RM0090 19), clocked by the LSI";
        }

        public Object create(DeviceContext c) {
            return new Iwdg(c.name(), c.size(), c.board()::requestReset, c.events(), Stm32Clocks.of(c));
        }
    }
}
