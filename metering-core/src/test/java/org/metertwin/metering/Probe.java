package org.metertwin.metering;

import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.peripherals.meter.mains.MainsState;

public class Probe {
    public static void main(String[] a) throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 60, 0), m.now());
        long t0 = System.nanoTime();
        long s = 1_000_000_000L;
        for (int k = 1; k <= Integer.parseInt(a[0]); k++) {
            m.runUntil(k * 60 * s);
            System.out.printf("t=%d s wall=%d ms imp=%d led=%d instr=%d%n", k * 60, (System.nanoTime() - t0) / 1000000,
                    m.link().get(MeteringData.ACTIVE_IMPORT).u64(0), m.led().count(), m.board().cpu().instructions());
        }
        var b = m.link().get(MeteringData.INSTANT_BLOCK);
        System.out.printf("V=%d I=%d In=%d P=%d Q=%d S=%d pf=%d f=%d%n", b.u32(0), b.u32(4), b.u32(8), b.s32(12), b.s32(16), b.u32(20), (short) b.u16(24), b.u16(26));
    }
}
