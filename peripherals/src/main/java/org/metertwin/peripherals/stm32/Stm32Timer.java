package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F4 general-purpose timers TIM2-TIM5 (RM0090 18) and basic timers TIM6/TIM7 (RM0090 20): the time-base
 * unit (prescaler, counter, auto-reload with preload), update events, and output-compare flags of the four
 * channels. Input capture, PWM outputs on pins, slave mode (SMCR) and DMA are not modelled (stored only).
 *
 * <p>The counter is never ticked: its state (counter, prescaler phase, direction) is anchored at a kernel
 * clock tick, every access first brings it up to the present, and one event is scheduled at the next update or
 * compare match, so an idle timer costs nothing and a running one one event per period.
 */
public final class Stm32Timer extends RegisterDevice {
    private static final long NS = 1_000_000_000L;

    private final EventQueue events;
    private final Stm32Clocks clocks;
    private final InterruptLine irq;
    private final boolean basic;
    private final long max;
    private final Event next;

    private final Register cr1, dier, sr, ccmr1, ccmr2, psc, arr;
    private final Register[] ccr = new Register[4];
    // CR1 (RM0090 18.4.1); DIR and CMS only on the general-purpose timers (null on TIM6/7)
    private final Flag cen, udis, urs, opm, arpe, dir;
    private final Field cms;
    private final Flag uif;

    // kernel clock: tick count at epochNanos, and its frequency
    private long hz;
    private long epochNanos;
    private long epochTicks;
    // counter state at kernel tick anchorTick
    private long anchorTick;
    private long cnt;
    private long pscCnt;
    private boolean down;
    // shadow (active) registers, loaded from the preloads at update events
    private long activePsc;
    private long activeArr;
    private final long[] activeCcr = new long[4];
    private boolean running;
    private boolean irqLevel;

    public Stm32Timer(String name, boolean basic, int widthBits, EventQueue events, Stm32Clocks clocks,
            InterruptLine irq) {
        super(name, 0x400);
        this.basic = basic;
        this.max = widthBits == 32 ? 0xFFFFFFFFL : 0xFFFFL;
        this.events = events;
        this.clocks = clocks;
        this.irq = irq;
        this.next = events.event(name + " counter", when -> {
            advance();
            reschedule();
        });
        cr1 = define(0x00, "CR1");
        cen = cr1.flag(0, "CEN");
        udis = cr1.flag(1, "UDIS");
        urs = cr1.flag(2, "URS");
        opm = cr1.flag(3, "OPM");
        arpe = cr1.flag(7, "ARPE");
        if (!basic) {
            dir = cr1.flag(4, "DIR");
            cms = cr1.valueField(5, 2, "CMS");
            cr1.field(8, 2, "CKD", Access.RW);
        } else {
            dir = null;
            cms = null;
        }
        cr1.onWrite((w, p) -> {
            if (!basic && cms.in(w) != 0 && cms.in(p) != 0) {
                dir.set(dir.in(p)); // DIR is read-only in center-aligned mode
            }
            timingChanged();
        });
        Register cr2 = define(0x04, "CR2", 0).field(4, 3, "MMS", Access.RW);
        if (!basic) {
            cr2.bit(3, "CCDS", Access.RW).bit(7, "TI1S", Access.RW);
            define(0x08, "SMCR", 0).field(0, 3, "SMS", Access.RW).field(4, 3, "TS", Access.RW)
                    .bit(7, "MSM", Access.RW).field(8, 4, "ETF", Access.RW).field(12, 2, "ETPS", Access.RW)
                    .bit(14, "ECE", Access.RW).bit(15, "ETP", Access.RW);
        }
        dier = define(0x0C, "DIER", 0).bit(0, "UIE", Access.RW).bit(8, "UDE", Access.RW);
        sr = define(0x10, "SR");
        uif = sr.flag(0, "UIF", Access.RC_W0);
        Register egr = define(0x14, "EGR", 0).bit(0, "UG", Access.W);
        if (!basic) {
            for (int i = 1; i <= 4; i++) {
                dier.bit(i, "CC" + i + "IE", Access.RW).bit(8 + i, "CC" + i + "DE", Access.RW);
                sr.bit(i, "CC" + i + "IF", Access.RC_W0).bit(8 + i, "CC" + i + "OF", Access.RC_W0);
                egr.bit(i, "CC" + i + "G", Access.W);
            }
            dier.bit(6, "TIE", Access.RW).bit(14, "TDE", Access.RW);
            sr.bit(6, "TIF", Access.RC_W0);
            egr.bit(6, "TG", Access.W);
        }
        dier.onWrite((w, p) -> updateIrq());
        sr.onWrite((w, p) -> updateIrq());
        egr.onWrite((w, p) -> {
            if ((w & 1) != 0) {
                generateUpdate();
            }
            sr.setBits(w & 0x1E); // CCxG sets CCxIF (RM0090 18.4.6)
            updateIrq();
        });
        if (!basic) {
            ccmr1 = channelModes(define(0x18, "CCMR1", 0), 1);
            ccmr2 = channelModes(define(0x1C, "CCMR2", 0), 3);
            Register ccer = define(0x20, "CCER", 0);
            for (int i = 0; i < 4; i++) {
                ccer.bit(4 * i, "CC" + (i + 1) + "E", Access.RW).bit(4 * i + 1, "CC" + (i + 1) + "P", Access.RW)
                        .bit(4 * i + 3, "CC" + (i + 1) + "NP", Access.RW);
            }
        } else {
            ccmr1 = ccmr2 = null;
        }
        define(0x24, "CNT", 0).field(0, widthBits, "CNT", Access.RW).readAs(() -> (int) cnt).onWrite((w, p) -> {
            cnt = w & max;
            reschedule();
        });
        psc = define(0x28, "PSC", 0).field(0, 16, "PSC", Access.RW); // takes effect at the next update event
        arr = define(0x2C, "ARR", 0).field(0, widthBits, "ARR", Access.RW).onWrite((w, p) -> {
            if (!arpe.isSet()) {
                activeArr = w & max; // no preload (ARPE=0): at once
                timingChanged();
            }
        });
        if (!basic) {
            for (int i = 0; i < 4; i++) {
                int ch = i;
                ccr[i] = define(0x34 + 4 * i, "CCR" + (i + 1), 0).field(0, widthBits, "CCR", Access.RW)
                        .onWrite((w, p) -> {
                            if (!preloaded(ch)) {
                                activeCcr[ch] = w & max;
                                reschedule();
                            }
                        });
            }
            define(0x48, "DCR", 0).field(0, 5, "DBA", Access.RW).field(8, 5, "DBL", Access.RW);
            define(0x4C, "DMAR", 0).field(0, 16, "DMAB", Access.RW);
            if (widthBits == 32 || name.equals("TIM5")) {
                define(0x50, "OR", 0).field(6, 2, "ITR1_RMP", Access.RW).field(10, 2, "TI4_RMP", Access.RW);
            }
        }
        hz = clocks.frequency(Stm32Clocks.Domain.APB1_TIMER);
        clocks.addListener(this::clockChanged);
    }

    private Register channelModes(Register r, int firstChannel) {
        for (int j = 0; j < 2; j++) {
            String c = String.valueOf(firstChannel + j);
            int b = 8 * j;
            r.field(b, 2, "CC" + c + "S", Access.RW).bit(b + 2, "OC" + c + "FE", Access.RW)
                    .bit(b + 3, "OC" + c + "PE", Access.RW).field(b + 4, 3, "OC" + c + "M", Access.RW)
                    .bit(b + 7, "OC" + c + "CE", Access.RW);
        }
        return r.onWrite((w, p) -> reschedule());
    }

    // --- register accesses first bring the counter to the present

    @Override
    public int read(int offset, int size) {
        advance();
        return super.read(offset, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        advance();
        super.write(offset, size, value);
    }

    // --- the time base

    private long kernelTick(long nanos) {
        long d = nanos - epochNanos;
        return epochTicks + d / NS * hz + d % NS * hz / NS;
    }

    /** The first instant at which the kernel clock has made {@code tick} ticks. */
    private long nanosOfTick(long tick) {
        long t = tick - epochTicks;
        return epochNanos + t / hz * NS + (t % hz * NS + hz - 1) / hz;
    }

    private boolean centerAligned() {
        return !basic && cms.get() != 0;
    }

    private boolean countsDown() {
        return centerAligned() ? down : !basic && dir.isSet();
    }

    private boolean outputCompare(int ch) {
        Register r = ch < 2 ? ccmr1 : ccmr2;
        return (r.get() >>> (8 * (ch & 1)) & 3) == 0;
    }

    private boolean preloaded(int ch) {
        Register r = ch < 2 ? ccmr1 : ccmr2;
        return (r.get() >>> (8 * (ch & 1) + 3) & 1) != 0;
    }

    /** Counter steps until the next step that wraps, turns, or lands on a compare value; 0 = never. */
    private long stepsToNext() {
        if (activeArr == 0) {
            return 0; // the counter is blocked while the auto-reload value is 0 (RM0090 18.3.2)
        }
        long best;
        boolean center = centerAligned();
        boolean dn = countsDown();
        if (center) {
            best = dn ? cnt : Math.max(1, activeArr - cnt);
        } else if (dn) {
            best = cnt + 1;
        } else {
            long top = cnt <= activeArr ? activeArr : max;
            best = top - cnt + 1;
        }
        long wrap = best;
        for (int ch = 0; ch < (basic ? 0 : 4); ch++) {
            if (!outputCompare(ch)) {
                continue;
            }
            long c = activeCcr[ch];
            long s;
            if (center) {
                s = dn ? (c < cnt ? cnt - c : 0) : (c > cnt && c <= activeArr ? c - cnt : 0);
            } else if (dn) {
                s = c < cnt ? cnt - c : c <= activeArr ? cnt + 1 + activeArr - c : 0;
            } else {
                s = c > cnt && c <= activeArr ? c - cnt : c <= activeArr ? wrap + c : 0;
            }
            if (s > 0 && s < best) {
                best = s;
            }
        }
        return best;
    }

    /** Kernel ticks from the anchor to the {@code steps}-th counter step. */
    private long ticksFor(long steps) {
        long per = activePsc + 1;
        return per - pscCnt + (steps - 1) * per;
    }

    /** Brings the counter from its anchor to the present, handling every update and match on the way. */
    private void advance() {
        long now = kernelTick(events.now());
        while (running) {
            long steps = stepsToNext();
            long per = activePsc + 1;
            if (steps == 0 || anchorTick + ticksFor(steps) > now) {
                long total = pscCnt + (now - anchorTick);
                long moved = steps == 0 ? 0 : total / per;
                pscCnt = steps == 0 ? pscCnt : total % per;
                cnt = countsDown() ? cnt - moved : cnt + moved;
                break;
            }
            anchorTick += ticksFor(steps);
            pscCnt = 0;
            cnt = countsDown() ? cnt - (steps - 1) : cnt + (steps - 1);
            step();
        }
        anchorTick = now;
    }

    /** One counter step that may wrap, turn, or match. */
    private void step() {
        boolean uev;
        if (centerAligned()) {
            cnt = down ? cnt - 1 : cnt + 1;
            uev = down ? cnt == 0 : cnt >= activeArr;
            if (uev) {
                down = !down;
                dir.set(down);
            }
        } else if (countsDown()) {
            uev = cnt == 0;
            cnt = uev ? activeArr : cnt - 1;
        } else {
            long top = cnt <= activeArr ? activeArr : max;
            uev = cnt == top;
            cnt = uev ? 0 : cnt + 1;
        }
        for (int ch = 0; ch < (basic ? 0 : 4); ch++) {
            if (outputCompare(ch) && cnt == activeCcr[ch]) {
                sr.setBits(2 << ch); // CCxIF on a compare match (RM0090 18.3.8)
            }
        }
        if (uev && !udis.isSet()) {
            updateEvent(true);
            if (!centerAligned() && countsDown()) {
                cnt = activeArr; // the down-counter restarts from the new auto-reload value
            }
        }
        updateIrq();
    }

    /** An update event (UEV): preloads reach the shadow registers, UIF, one-pulse stop (RM0090 18.3.2, 18.3.8). */
    private void updateEvent(boolean counterWrap) {
        activePsc = psc.get() & 0xFFFF;
        activeArr = arr.get() & max;
        for (int ch = 0; ch < (basic ? 0 : 4); ch++) {
            if (preloaded(ch)) {
                activeCcr[ch] = ccr[ch].get() & max;
            }
        }
        if (counterWrap || !urs.isSet()) {
            uif.set();
        }
        if (counterWrap && opm.isSet()) {
            cen.clear(); // one-pulse mode: CEN cleared at the update event
            running = false;
        }
    }

    /** UG: counter and prescaler restart, and an update event unless UDIS (RM0090 18.4.6). */
    private void generateUpdate() {
        pscCnt = 0;
        down = false;
        cnt = countsDown() ? arr.get() & max : 0;
        if (!udis.isSet()) {
            updateEvent(false);
            if (countsDown()) {
                cnt = activeArr;
            }
        }
        if (centerAligned()) {
            dir.clear();
        }
        timingChanged();
    }

    private void timingChanged() {
        if (!arpe.isSet()) {
            activeArr = arr.get() & max;
        }
        running = cen.isSet() && hz > 0 && clocks.isEnabled(name());
        reschedule();
    }

    private void reschedule() {
        updateIrq();
        long steps = running ? stepsToNext() : 0;
        if (steps == 0) {
            events.cancel(next);
            return;
        }
        events.schedule(next, Math.max(events.now(), nanosOfTick(anchorTick + ticksFor(steps))));
    }

    private void clockChanged() {
        advance();
        long now = events.now();
        epochTicks = kernelTick(now);
        epochNanos = now;
        anchorTick = epochTicks;
        hz = clocks.frequency(Stm32Clocks.Domain.APB1_TIMER);
        timingChanged();
    }

    private void updateIrq() {
        boolean level = (sr.get() & dier.get() & 0x5F) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    /** The counter now (as CNT reads). */
    public long counter() {
        advance();
        return cnt;
    }

    @Override
    public void reset() {
        super.reset();
        events.cancel(next);
        cnt = 0;
        pscCnt = 0;
        down = false;
        activePsc = 0;
        activeArr = 0;
        java.util.Arrays.fill(activeCcr, 0);
        running = false;
        long now = events.now();
        epochNanos = now;
        epochTicks = 0;
        anchorTick = 0;
        hz = clocks.frequency(Stm32Clocks.Domain.APB1_TIMER);
        updateIrq();
    }

    /** {@code stm32f4-gptimer}: TIM2-TIM5; property {@code width} 16 or 32 (TIM2 and TIM5 are 32-bit). */
    public static final class GeneralPurpose implements DeviceType {
        public String type() {
            return "stm32f4-gptimer";
        }

        public String description() {
            return "STM32F4 general-purpose timer TIM2-5 (RM0090 18): time base and output-compare flags";
        }

        public Object create(DeviceContext c) throws MachineException {
            long width = c.number("width", 16);
            if (width != 16 && width != 32) {
                throw c.error("properties.width", "expected 16 or 32, got " + width);
            }
            return new Stm32Timer(c.name(), false, (int) width, c.events(), Stm32Clocks.of(c), c.irq(0, "global"));
        }
    }

    /** {@code stm32f4-basictimer}: TIM6/TIM7. */
    public static final class Basic implements DeviceType {
        public String type() {
            return "stm32f4-basictimer";
        }

        public String description() {
            return "STM32F4 basic timer TIM6/7 (RM0090 20)";
        }

        public Object create(DeviceContext c) throws MachineException {
            return new Stm32Timer(c.name(), true, 16, c.events(), Stm32Clocks.of(c), c.irq(0, "global"));
        }
    }
}
