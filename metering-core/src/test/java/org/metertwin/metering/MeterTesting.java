package org.metertwin.metering;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusFrame;

/** Small helpers the metering tests share: reading the event log over the link. */
final class MeterTesting {
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;

    private MeterTesting() {
    }

    /** One event record of docs/virtual-bus.md. */
    record Event(int code, int kind, int boot, long millis) {
    }

    /** The records held, newest first. */
    static List<Event> events(MetrologyMeter m) throws Exception {
        VbusFrame header = m.link().get(MeteringData.EVENT_HEADER);
        int held = header.u16(4);
        List<Event> list = new ArrayList<>();
        for (int nn = 1; nn <= held; nn++) {
            VbusFrame r = m.link().get(MeteringData.EVENT_RECORD + nn);
            list.add(new Event(r.u8(0), r.u8(1), r.u16(2), r.u32(4)));
        }
        return list;
    }

    static List<Integer> codes(List<Event> events) {
        return events.stream().map(Event::code).toList();
    }
}
