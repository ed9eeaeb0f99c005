package org.metertwin.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.MmioDevice;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.signal.InterruptLine;

/**
 * The core and the event queue together: a device raises IRQ0 every millisecond from an event; firmware
 * sleeps in WFI, and its handler acknowledges through a register. Sleeping costs no instructions, the
 * acknowledgements come a fixed latency after each event, and a clock change keeps time continuous.
 */
class EventDrivenCoreTest {
    /*
     * Assembled with arm-none-eabi-as: vectors (SP 0x20001000, reset, IRQ0); reset enables IRQ0, then
     * "wfi; cmp r4,#5; blt" until five interrupts, stores r4 to 0x40000004 and parks in WFI. The IRQ0 handler
     * increments r4 and stores it to 0x40000000.
     */
    private static final String IMAGE = "001000204500000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000005b000000074801210160002430bf052cfcdb0548"
            + "046030bffde701344ff080400460704700e100e004000040";

    /** Raises its line every period; a write to offset 0 acknowledges (lowers it), offset 4 records "done". */
    static final class Ticker implements MmioDevice {
        final List<Long> acks = new ArrayList<>();
        long done = -1;
        final EventQueue q;
        final InterruptLine line;
        final Event tick;
        final long period;

        Ticker(EventQueue q, InterruptLine line, long period) {
            this.q = q;
            this.line = line;
            this.period = period;
            this.tick = q.event("tick", this::onTick);
            q.schedule(tick, period);
        }

        private void onTick(long when) {
            line.set(true);
            q.schedule(tick, when + period);
        }

        public String name() {
            return "ticker";
        }

        public int read(int offset, int size) {
            return 0;
        }

        public void write(int offset, int size, int value) {
            if (offset == 0) {
                acks.add(q.now());
                line.set(false);
            } else {
                done = q.now();
            }
        }
    }

    private CortexM4 core(long hz) {
        SystemBus bus = new SystemBus();
        bus.addMemory("code", 0, 0x1000, true);
        bus.addMemory("ram", 0x20000000, 0x1000, true);
        byte[] image = HexFormat.of().parseHex(IMAGE);
        bus.load(0, image, 0, image.length);
        CortexM4 cpu = new CortexM4(bus, hz, 16, 4);
        bus.addDevice(0xE000E000, 0x1000, cpu.systemControlSpace());
        return cpu;
    }

    @Test
    void sleepingCoreWakesExactlyAtEachEventAndCostsNoInstructionsWhileAsleep() {
        CortexM4 cpu = core(8_000_000);
        Ticker t = new Ticker(cpu.events(), cpu.irqLine(0), 1_000_000);
        cpu.bus().addDevice(0x40000000, 0x100, t);
        cpu.reset();
        StopReason r = cpu.run(cpu.cycleAt(10_000_000L)); // 10 ms budget
        assertThat(t.acks).as("ticks at 1..9 ms").hasSize(9);
        for (int i = 0; i < 5; i++) {
            long latency = t.acks.get(i) - (i + 1) * 1_000_000L;
            // exception entry (12 cycles) and three instructions at 8 MHz: a few microseconds at most
            assertThat(latency).as("ack %d", i).isBetween(0L, 3_000L);
        }
        assertThat(t.acks.get(1) - t.acks.get(0)).isEqualTo(1_000_000L); // same latency every time: no drift
        assertThat(t.done).isBetween(t.acks.get(4), t.acks.get(5));
        assertThat(cpu.instructions()).as("instructions for 10 ms of mostly sleep").isLessThan(150);
        assertThat(r).isEqualTo(StopReason.BUDGET);
        assertThat(cpu.virtualNanos()).isEqualTo(10_000_000L);
    }

    @Test
    void clockChangeKeepsVirtualTimeContinuousAndEventsOnTime() {
        CortexM4 cpu = core(8_000_000);
        Ticker t = new Ticker(cpu.events(), cpu.irqLine(0), 1_000_000);
        cpu.bus().addDevice(0x40000000, 0x100, t);
        cpu.reset();
        cpu.run(cpu.cycleAt(2_500_000) - cpu.cycles());
        long before = cpu.virtualNanos();
        cpu.setClockHz(168_000_000);
        assertThat(cpu.virtualNanos()).isEqualTo(before);
        cpu.run(cpu.cycleAt(10_000_000) - cpu.cycles());
        assertThat(t.acks).hasSize(9);
        long fast = t.acks.get(4) - 5_000_000L;
        long slow = t.acks.get(0) - 1_000_000L;
        assertThat(fast).as("latency at 168 MHz is 21 times shorter").isLessThan(slow / 10 + 1);
        assertThat(cpu.virtualNanos()).isBetween(10_000_000L, 10_000_010L);
    }
}
