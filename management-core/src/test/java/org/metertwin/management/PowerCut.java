package org.metertwin.management;

import org.metertwin.core.machine.Board;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * A power cut on the management board for the tests' sweeps: the mains off at a virtual instant and back
 * {@link #OUTAGE_NANOS} later, and the first instant the supply fell below the NOR's minimum voltage.
 */
public final class PowerCut {
    /** Long enough for the supply's hold-up and decay (300 ms, management.yaml) and the reset to take hold. */
    public static final long OUTAGE_NANOS = 1_000_000_000L;
    /** The NOR's minimum supply voltage (W25Q64JV 2.7 V, w25q-flash's vcc-min): below it the chip stops. */
    public static final double NOR_VCC_MIN = 2.7;

    private long norOffAt = -1;

    /** Watches the board's VDD (for {@link #norOffAt()}) and, unless {@code cutAt} is -1, cuts the mains then. */
    public PowerCut(Board b, long cutAt) {
        b.nets().analog("VDD", 3.3).listen(v -> {
            if (v < NOR_VCC_MIN && norOffAt < 0) {
                norOffAt = b.cpu().events().now();
            }
        });
        if (cutAt >= 0) {
            Mains mains = (Mains) b.deviceObject("mains");
            MainsState on = mains.state();
            EventQueue events = b.cpu().events();
            events.schedule(events.event("test mains off", t -> mains.set(MainsState.OFF, t)), cutAt);
            events.schedule(events.event("test mains on", t -> mains.set(on, t)), cutAt + OUTAGE_NANOS);
        }
    }

    /** The first virtual instant VDD fell below {@link #NOR_VCC_MIN}; -1 if it never did. */
    public long norOffAt() {
        return norOffAt;
    }
}
