package org.metertwin.metering;

import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The speed figure: a simulated day (or the number of hours given) at 230 V, 20 A, pf 0.9 on the
 * metrology board, printing the wall time after each hour and the import register against the exact
 * integral. Not a test (it takes tens of seconds); see docs/metering-core.md ("Speed") for how to run it.
 */
public final class MetrologyDay {
    private MetrologyDay() {
    }

    public static void main(String[] args) throws Exception {
        int hours = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 20, Math.acos(0.9)), m.now());
        long start = System.nanoTime(); // wall time for the figure only
        long hour = 3_600_000_000_000L;
        for (int k = 1; k <= hours; k++) {
            m.runUntil(k * hour + 100_000_000L);
            System.out.printf("hour %d: wall %d ms, import %d mWh, LED %d, instructions %d%n", k,
                    (System.nanoTime() - start) / 1_000_000, m.link().get(MeteringData.ACTIVE_IMPORT).u64(0),
                    m.led().count(), m.board().cpu().instructions());
        }
        System.out.printf("exact import %.0f mWh%n", 230 * 20 * 0.9 * 1000.0 * hours);
    }
}
