package org.metertwin.metering;

import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

public class Probe {
    public static void main(String[] a) throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 20, Math.acos(0.9)), m.now());
        long t0 = System.nanoTime();
        long h = 3600_000_000_000L;
        int hours = Integer.parseInt(a[0]);
        for (int k = 1; k <= hours; k++) {
            m.runUntil(k * h + 100_000_000L);
            System.out.printf("h=%d wall=%d ms imp=%d led=%d instr=%d%n", k, (System.nanoTime() - t0) / 1000000,
                    m.link().get(MeteringData.ACTIVE_IMPORT).u64(0), m.led().count(), m.board().cpu().instructions());
        }
        System.out.printf("exact import %.0f mWh%n", 230 * 20 * 0.9 * 1000.0 * hours);
    }
}
