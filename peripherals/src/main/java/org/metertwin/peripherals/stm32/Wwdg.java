package org.metertwin.peripherals.stm32;

import java.util.function.Consumer;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F4 window watchdog (RM0090 section 20). The 7-bit counter T counts down every
 * 4096 * 2^WDGTB PCLK1 periods. Once WDGA is set, the machine resets when T6 clears (0x40 to 0x3F), when
 * software writes T6 = 0, or when software reloads while T is above the window W. With EWI set, EWIF rises
 * when T reaches 0x40 (early wakeup interrupt). The counter is kept as (value, time loaded) and read from
 * virtual time; a change of PCLK1 or WDGTB restarts the count from the current value.
 */
public final class Wwdg extends RegisterDevice {

    /** Resets the machine (the board's requestReset). */
    private final Consumer<ResetCause> board;
    private final EventQueue events;
    private final InterruptLine irq;
    private final Stm32Clocks clocks;
    private final Register cr;
    // CR (RM0090 20.6.1), CFR (20.6.2), SR (20.6.3)
    private final Flag wdga, ewi, ewif;
    private final Field window, wdgtb;
    private final Event early, expiry;
    /** The counter's value at {@link #loadedAt}. */
    private int loaded = 0x7F;
    private long loadedAt;

    public Wwdg(String name, int size, Consumer<ResetCause> board, EventQueue events, InterruptLine irq, Stm32Clocks clocks) {
        super(name, size);
        this.board = board;
        this.events = events;
        this.irq = irq;
        this.clocks = clocks;
        cr = define(0x00, "CR").field(0, 7, "T", Access.RW, 0x7F);
        wdga = cr.flag(7, "WDGA", Access.RS);
        cr.readAs(this::crValue).onWrite(this::crWritten);
        Register cfr = define(0x04, "CFR", 0x7F); // W resets to 0x7F
        window = cfr.valueField(0, 7, "W");
        wdgtb = cfr.valueField(7, 2, "WDGTB");
        ewi = cfr.flag(9, "EWI", Access.RS);
        cfr.onWrite((w, p) -> {
            rebase();
            schedule();
            updateIrq();
        });
        Register sr = define(0x08, "SR");
        ewif = sr.flag(0, "EWIF", Access.RC_W0);
        sr.onWrite((w, p) -> updateIrq());
        early = events.event(name + " early wakeup", t -> {
            ewif.set();
            updateIrq();
        });
        expiry = events.event(name + " time-out", t -> board.accept(ResetCause.WINDOW_WATCHDOG));
        takeClock();
        clocks.addListener(() -> {
            rebase();
            schedule();
        });
    }

    /** PCLK1 periods per decrement, 4096 * 2^WDGTB, and PCLK1, as of the last (re)load of the counter. */
    private long divider = 4096;
    private long pclk1 = 1;

    /** Nanoseconds for {@code ticks} counter decrements at the current divider and PCLK1. */
    private long nanos(long ticks) {
        return ticks * divider * 1_000_000_000L / pclk1;
    }

    private void takeClock() {
        divider = 4096L << wdgtb.get();
        pclk1 = Math.max(1, clocks.frequency(Stm32Clocks.Domain.APB1));
    }

    private long elapsedTicks() {
        long period = nanos(1);
        return period == 0 ? 0 : (events.now() - loadedAt) / period;
    }

    int counter() {
        return (int) ((loaded - elapsedTicks()) & 0x7F);
    }

    /** Restarts the count from its present value at the new period (after a change of PCLK1 or WDGTB). */
    private void rebase() {
        long ticks = elapsedTicks();
        loaded = (int) ((loaded - ticks) & 0x7F);
        loadedAt += nanos(ticks); // keeps the part of a period already run
        takeClock();
    }

    private void crWritten(int written, int previous) {
        int before = (int) ((loaded - elapsedTicks()) & 0x7F);
        boolean wasActive = wdga.in(previous);
        loaded = written & 0x7F;
        loadedAt = events.now();
        takeClock();
        cr.set((cr.get() & wdga.mask()) | loaded);
        if (wdga.isSet()) {
            // RM0090 20.3: writing T6 = 0 resets at once; a reload above the window W resets too
            if ((loaded & 0x40) == 0 || (wasActive && before > window.get())) {
                board.accept(ResetCause.WINDOW_WATCHDOG);
                return;
            }
        }
        schedule();
    }

    private void schedule() {
        events.cancel(early);
        events.cancel(expiry);
        if (loaded < 0x40) {
            return;
        }
        if (ewi.isSet() && loaded >= 0x40) {
            events.schedule(early, loadedAt + nanos(loaded - 0x40));
        }
        if (wdga.isSet()) {
            events.schedule(expiry, loadedAt + nanos(loaded - 0x3F));
        }
    }

    private void updateIrq() {
        irq.set(ewif.isSet() && ewi.isSet());
    }

    @Override
    public void reset() {
        super.reset();
        loaded = 0x7F;
        loadedAt = events.now();
        takeClock();
        events.cancel(early);
        events.cancel(expiry);
        updateIrq();
    }

    private int crValue() {
        return (cr.get() & wdga.mask()) | counter();
    }

    /** {@code stm32f4-wwdg}, interrupt: early wakeup. */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-wwdg";
        }

        public String description() {
            return "STM32F4 window watchdog (RM0090 20), clocked by PCLK1";
        }

        public Object create(DeviceContext c) throws MachineException {
            return new Wwdg(c.name(), c.size(), c.board()::requestReset, c.events(), c.irq(0, "early wakeup"), Stm32Clocks.of(c));
        }
    }
}
