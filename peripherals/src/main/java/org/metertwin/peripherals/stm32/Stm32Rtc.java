package org.metertwin.peripherals.stm32;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.function.BooleanSupplier;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.ResetListener;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F4 real-time clock (RM0090 26): BCD calendar, alarms A and B, wakeup timer, write protection, backup
 * registers. The calendar is never ticked: it is anchored at an RTC clock tick and brought to the present on
 * access through PREDIV_A and PREDIV_S; alarms check once per calendar second while enabled, and the wakeup
 * timer schedules one event per period. Alarm flags with their interrupt enables drive the EXTI line 17 net,
 * the wakeup flag the line 22 net.
 *
 * <p>The RTC sits in the backup domain: it keeps its state over system resets and loses it only at power-on
 * (or {@link #backupDomainReset()}); every write needs PWR_CR.DBP (RM0090 5.1.2), else it is ignored and
 * logged once. Smooth calibration, time stamps, tamper, the shift register, the sub-second alarm compare and
 * the calibration output are stored only. Shadow registers are bypassed: TR/DR/SSR read the calendar of now,
 * and RSF is set again two RTC clock periods after software clears it.
 */
public final class Stm32Rtc extends RegisterDevice implements ResetListener {
    private static final long NS = 1_000_000_000L;
    private static final long EPOCH_2000 = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final int TR = 0x00, DR = 0x04, CR = 0x08, ISR = 0x0C, PRER = 0x10, WUTR = 0x14,
            ALRMAR = 0x1C, ALRMBR = 0x20, WPR = 0x24, TAFCR = 0x40, BKP0R = 0x50;

    private final EventQueue events;
    private final Stm32Clocks clocks;
    private final BooleanSupplier backupWritable;
    private final Pin alarmOut, wakeupOut;
    private final Event secondEvent, wakeupEvent;
    private final Register cr, isr, prer, wutr, alrmar, alrmbr;
    // CR (RM0090 26.6.3)
    private final Field wucksel;
    private final Flag fmt, alrae, alrbe, wute, alraie, alrbie, wutie, add1h, sub1h;
    // ISR (RM0090 26.6.4)
    private final Flag alrawf, alrbwf, wutwf, inits, rsf, initf, init, alraf, alrbf, wutf;
    /** ISR[13:8], the event flags, which RTC_WPR does not protect. */
    private final int isrFlags;
    // PRER (RM0090 26.6.5)
    private final Field predivS, predivA;

    private long hz;
    private long epochNanos, epochTicks;
    // calendar at RTC clock tick anchorTick
    private long anchorTick;
    /** Seconds since 2000-01-01 00:00:00. */
    private long seconds;
    private int weekday = 1;
    /** Weekday changes with the day, independently of the date (the RTC does not derive it). */
    private long weekdayDay;
    private long prescalerA;
    /** PREDIV_S minus SS: sub-second ck_apre ticks elapsed. */
    private long prescalerS;
    private long wakeupNextTick;
    private long rsfReadyAt;
    private int keyStep;

    private BackupSupply backupSupply;

    public Stm32Rtc(String name, EventQueue events, Stm32Clocks clocks, BooleanSupplier backupWritable, Pin alarmOut,
            Pin wakeupOut) {
        super(name, 0x400);
        this.events = events;
        this.clocks = clocks;
        this.backupWritable = backupWritable;
        this.alarmOut = alarmOut;
        this.wakeupOut = wakeupOut;
        this.secondEvent = events.event(name + " second", when -> {
            advance();
            checkAlarms();
            scheduleSecond();
        });
        this.wakeupEvent = events.event(name + " wakeup", when -> wakeup());
        define(TR, "TR", 0).field(0, 4, "SU", Access.RW).field(4, 3, "ST", Access.RW).field(8, 4, "MNU", Access.RW)
                .field(12, 3, "MNT", Access.RW).field(16, 4, "HU", Access.RW).field(20, 2, "HT", Access.RW)
                .bit(22, "PM", Access.RW).readAs(this::timeBcd).onWrite((w, p) -> setTime(w));
        define(DR, "DR", 0x00002101).field(0, 4, "DU", Access.RW).field(4, 2, "DT", Access.RW)
                .field(8, 4, "MU", Access.RW).bit(12, "MT", Access.RW).field(13, 3, "WDU", Access.RW)
                .field(16, 4, "YU", Access.RW).field(20, 4, "YT", Access.RW).readAs(this::dateBcd)
                .onWrite((w, p) -> setDate(w));
        cr = define(CR, "CR");
        wucksel = cr.valueField(0, 3, "WUCKSEL");
        cr.bit(3, "TSEDGE", Access.RW).bit(4, "REFCKON", Access.RW).bit(5, "BYPSHAD", Access.RW);
        fmt = cr.flag(6, "FMT");
        cr.bit(7, "DCE", Access.RW);
        alrae = cr.flag(8, "ALRAE");
        alrbe = cr.flag(9, "ALRBE");
        wute = cr.flag(10, "WUTE");
        cr.bit(11, "TSE", Access.RW);
        alraie = cr.flag(12, "ALRAIE");
        alrbie = cr.flag(13, "ALRBIE");
        wutie = cr.flag(14, "WUTIE");
        cr.bit(15, "TSIE", Access.RW);
        add1h = cr.flag(16, "ADD1H", Access.W);
        sub1h = cr.flag(17, "SUB1H", Access.W);
        cr.bit(18, "BKP", Access.RW).bit(19, "COSEL", Access.RW).bit(20, "POL", Access.RW)
                .field(21, 2, "OSEL", Access.RW).bit(23, "COE", Access.RW);
        cr.onWrite((w, p) -> {
            if (add1h.in(w)) {
                seconds += 3600; // ADD1H: summer time (RM0090 26.6.3)
            }
            if (sub1h.in(w) && seconds % 86400 >= 3600) {
                seconds -= 3600;
            }
            if (wute.in(w) && !wute.in(p)) {
                wakeupNextTick = rtcTick(events.now()) + wakeupPeriod();
            }
            scheduleWakeup();
            scheduleSecond();
            outputs();
        });
        isr = define(ISR, "ISR");
        alrawf = isr.flag(0, "ALRAWF", Access.R, true);
        alrbwf = isr.flag(1, "ALRBWF", Access.R, true);
        wutwf = isr.flag(2, "WUTWF", Access.R, true);
        isr.bit(3, "SHPF", Access.R);
        inits = isr.flag(4, "INITS", Access.R);
        rsf = isr.flag(5, "RSF", Access.RC_W0);
        initf = isr.flag(6, "INITF", Access.R);
        init = isr.flag(7, "INIT");
        alraf = isr.flag(8, "ALRAF", Access.RC_W0);
        alrbf = isr.flag(9, "ALRBF", Access.RC_W0);
        wutf = isr.flag(10, "WUTF", Access.RC_W0);
        Flag tsf = isr.flag(11, "TSF", Access.RC_W0);
        Flag tsovf = isr.flag(12, "TSOVF", Access.RC_W0);
        Flag tamp1f = isr.flag(13, "TAMP1F", Access.RC_W0);
        isrFlags = alraf.mask() | alrbf.mask() | wutf.mask() | tsf.mask() | tsovf.mask() | tamp1f.mask();
        isr.bit(14, "TAMP2F", Access.RC_W0).bit(16, "RECALPF", Access.R).readAs(this::status);
        isr.onWrite((w, p) -> {
            if (!rsf.in(w)) {
                rsfReadyAt = nanosOfTick(rtcTick(events.now()) + 2); // shadows resynchronise in 2 RTCCLK periods
            }
            if (init.in(p) && !init.in(w)) {
                rsfReadyAt = nanosOfTick(rtcTick(events.now()) + 2);
            }
            scheduleSecond();
            outputs();
        });
        prer = define(PRER, "PRER", 0x007F00FF); // PREDIV_A 127, PREDIV_S 255: 1 Hz from the LSE
        predivS = prer.valueField(0, 15, "PREDIV_S");
        predivA = prer.valueField(16, 7, "PREDIV_A");
        wutr = define(WUTR, "WUTR", 0x0000FFFF).field(0, 16, "WUT", Access.RW);
        define(0x18, "CALIBR", 0).field(0, 5, "DC", Access.RW).bit(7, "DCS", Access.RW);
        alrmar = alarmRegister(ALRMAR, "ALRMAR");
        alrmbr = alarmRegister(ALRMBR, "ALRMBR");
        define(WPR, "WPR", 0).field(0, 8, "KEY", Access.W);
        define(0x28, "SSR", 0).field(0, 16, "SS", Access.R).readAs(() -> (int) (prediv(false) - prescalerS));
        define(0x2C, "SHIFTR", 0).field(0, 15, "SUBFS", Access.W).bit(31, "ADD1S", Access.W);
        define(0x30, "TSTR", 0).field(0, 23, "TSTR", Access.R);
        define(0x34, "TSDR", 0).field(0, 16, "TSDR", Access.R);
        define(0x38, "TSSSR", 0).field(0, 16, "SS", Access.R);
        define(0x3C, "CALR", 0).field(0, 9, "CALM", Access.RW).bit(13, "CALW16", Access.RW)
                .bit(14, "CALW8", Access.RW).bit(15, "CALP", Access.RW);
        define(TAFCR, "TAFCR", 0).field(0, 19, "TAFCR", Access.RW);
        define(0x44, "ALRMASSR", 0).field(0, 15, "SS", Access.RW).field(24, 4, "MASKSS", Access.RW);
        define(0x48, "ALRMBSSR", 0).field(0, 15, "SS", Access.RW).field(24, 4, "MASKSS", Access.RW);
        for (int i = 0; i < 20; i++) {
            define(BKP0R + 4 * i, "BKP" + i + "R", 0).field(0, 32, "BKP", Access.RW);
        }
        clocks.addListener(this::clockChanged);
        backupDomainReset();
    }

    private Register alarmRegister(int offset, String name) {
        return define(offset, name, 0).field(0, 4, "SU", Access.RW).field(4, 3, "ST", Access.RW)
                .bit(7, "MSK1", Access.RW).field(8, 4, "MNU", Access.RW).field(12, 3, "MNT", Access.RW)
                .bit(15, "MSK2", Access.RW).field(16, 4, "HU", Access.RW).field(20, 2, "HT", Access.RW)
                .bit(22, "PM", Access.RW).bit(23, "MSK3", Access.RW).field(24, 4, "DU", Access.RW)
                .field(28, 2, "DT", Access.RW).bit(30, "WDSEL", Access.RW).bit(31, "MSK4", Access.RW);
    }

    // --- bus access: write protections, and the calendar brought to the present

    @Override
    public int read(int offset, int size) {
        advance();
        return super.read(offset, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        if (!backupWritable.getAsBoolean()) {
            logOnce("writes ignored: the backup domain is write-protected (PWR_CR.DBP=0)");
            return;
        }
        advance();
        int reg = offset & ~3;
        if (reg == WPR) {
            int key = value << (offset & 3) * 8 & 0xFF;
            // unlock with 0xCA then 0x53; any other key locks again (RM0090 26.3.5)
            keyStep = keyStep == 0 && key == 0xCA ? 1 : keyStep == 1 && key == 0x53 ? 2 : 0;
            return;
        }
        boolean unprotected = reg == TAFCR || reg >= BKP0R;
        if (keyStep != 2 && !unprotected) {
            if (reg != ISR) {
                logOnce("write to " + register(reg).name() + " ignored: registers are write-protected (RTC_WPR)");
                return;
            }
            // ISR[13:8] (the flags) are not write-protected: keep every other bit as it is
            int shift = (offset & 3) * 8;
            int keep = (isr.get() | status()) & ~isrFlags | rsf.mask(); // RSF: writing 1 leaves it
            value = ((value << shift & isrFlags) | keep & ~isrFlags) >>> shift;
        }
        if ((reg == TR || reg == DR || reg == PRER) && !init.isSet()) {
            logOnce("write to " + register(reg).name() + " ignored outside initialization mode (ISR.INITF=0)");
            return;
        }
        if (reg == WUTR && wute.isSet() || reg == ALRMAR && alrae.isSet() || reg == ALRMBR && alrbe.isSet()) {
            logOnce("write to " + register(reg).name() + " ignored while it is enabled (WUTWF/ALRxWF=0)");
            return;
        }
        super.write(offset, size, value);
    }

    // --- the calendar

    private long prediv(boolean asynchronous) {
        return asynchronous ? predivA.get() : predivS.get();
    }

    private long rtcTick(long nanos) {
        long d = nanos - epochNanos;
        return epochTicks + d / NS * hz + d % NS * hz / NS;
    }

    private long nanosOfTick(long tick) {
        long t = tick - epochTicks;
        if (hz == 0) {
            return Long.MAX_VALUE;
        }
        return epochNanos + t / hz * NS + (t % hz * NS + hz - 1) / hz;
    }

    /** The calendar counts unless in initialization mode or without a clock. */
    private boolean counting() {
        return !init.isSet() && hz > 0 && clocks.isEnabled("RTC");
    }

    private void advance() {
        long now = rtcTick(events.now());
        if (counting() && now > anchorTick) {
            long a = prediv(true) + 1, s = prediv(false) + 1;
            long total = prescalerA + (now - anchorTick);
            long apre = total / a;
            prescalerA = total % a;
            long sub = prescalerS + apre;
            seconds += sub / s;
            prescalerS = sub % s;
        }
        anchorTick = now;
    }

    private long day() {
        return Math.floorDiv(seconds, 86400);
    }

    private int currentWeekday() {
        return (int) Math.floorMod(weekday - 1 + day() - weekdayDay, 7) + 1;
    }

    private static int bcd(long v) {
        return (int) (v / 10 << 4 | v % 10);
    }

    private static int fromBcd(int v) {
        return (v >>> 4) * 10 + (v & 0xF);
    }

    private int timeBcd() {
        long sod = Math.floorMod(seconds, 86400);
        long h = sod / 3600;
        int pm = 0;
        if (fmt.isSet()) { // FMT: AM/PM hour format
            pm = h >= 12 ? 1 : 0;
            h = h % 12 == 0 ? 12 : h % 12;
        }
        return pm << 22 | bcd(h) << 16 | bcd(sod / 60 % 60) << 8 | bcd(sod % 60);
    }

    private int dateBcd() {
        LocalDate d = LocalDate.ofEpochDay(EPOCH_2000 + day());
        return bcd(d.getYear() - 2000) << 16 | currentWeekday() << 13 | bcd(d.getMonthValue()) << 8
                | bcd(d.getDayOfMonth());
    }

    private void setTime(int tr) {
        long h = fromBcd(tr >>> 16 & 0x3F);
        if (fmt.isSet()) {
            h = h % 12 + ((tr & 1 << 22) != 0 ? 12 : 0);
        }
        long sod = h * 3600 + fromBcd(tr >>> 8 & 0x7F) * 60 + fromBcd(tr & 0x7F);
        seconds = day() * 86400 + sod;
        prescalerA = 0;
        prescalerS = 0;
    }

    private void setDate(int dr) {
        try {
            LocalDate d = LocalDate.of(2000 + fromBcd(dr >>> 16 & 0xFF), fromBcd(dr >>> 8 & 0x1F),
                    fromBcd(dr & 0x3F));
            long sod = Math.floorMod(seconds, 86400);
            seconds = (d.toEpochDay() - EPOCH_2000) * 86400 + sod;
            weekday = Math.max(1, dr >>> 13 & 7);
            weekdayDay = day();
        } catch (DateTimeException e) {
            logOnce("DR: invalid date 0x" + Integer.toHexString(dr) + " ignored");
        }
    }

    private int status() {
        int v = isr.get() & ~(alrawf.mask() | alrbwf.mask() | wutwf.mask() | inits.mask() | rsf.mask() | initf.mask()
                | 1 << 3); // SHPF: no shift operation pending
        v |= alrae.isSet() ? 0 : alrawf.mask(); // ALRAWF: alarm A may be written while disabled
        v |= alrbe.isSet() ? 0 : alrbwf.mask();
        v |= wute.isSet() ? 0 : wutwf.mask();
        v |= day() >= 366 ? inits.mask() : 0; // INITS: the year is no longer 0 (2000 has 366 days)
        v |= events.now() >= rsfReadyAt && !init.in(v) ? rsf.mask() : 0;
        v |= init.in(v) ? initf.mask() : 0; // INITF at once: the calendar stops as soon as INIT is set
        return v;
    }

    // --- alarms and wakeup

    private void scheduleSecond() {
        if (!alrae.isSet() && !alrbe.isSet() || !counting()) {
            events.cancel(secondEvent);
            return;
        }
        long a = prediv(true) + 1, s = prediv(false) + 1;
        long ticks = (a - prescalerA) + (s - 1 - prescalerS) * a;
        events.schedule(secondEvent, nanosOfTick(anchorTick + ticks));
    }

    private void checkAlarms() {
        if (alrae.isSet() && matches(alrmar.get())) {
            alraf.set();
        }
        if (alrbe.isSet() && matches(alrmbr.get())) {
            alrbf.set();
        }
        outputs();
    }

    /** Whether the calendar now matches an alarm register's unmasked fields (RM0090 26.3.6). */
    private boolean matches(int alarm) {
        int tr = timeBcd();
        return ((alarm & 1 << 7) != 0 || (alarm & 0x7F) == (tr & 0x7F))
                && ((alarm & 1 << 15) != 0 || (alarm >>> 8 & 0x7F) == (tr >>> 8 & 0x7F))
                && ((alarm & 1 << 23) != 0 || (alarm >>> 16 & 0x7F) == (tr >>> 16 & 0x7F))
                && ((alarm & 1 << 31) != 0 || ((alarm & 1 << 30) != 0 ? (alarm >>> 24 & 0xF) == currentWeekday()
                        : (alarm >>> 24 & 0x3F) == (dateBcd() & 0x3F)));
    }

    /** RTC clock ticks per wakeup period (WUCKSEL, RM0090 26.3.4). */
    private long wakeupPeriod() {
        int sel = wucksel.get();
        long wut = (wutr.get() & 0xFFFF) + 1;
        if (sel < 4) {
            return (16L >> sel) * wut;
        }
        long second = (prediv(true) + 1) * (prediv(false) + 1);
        return second * (sel < 6 ? wut : wut + 0x10000);
    }

    private void wakeup() {
        wutf.set();
        outputs();
        wakeupNextTick += wakeupPeriod();
        scheduleWakeup();
    }

    private void scheduleWakeup() {
        if (!wute.isSet() || hz == 0) {
            events.cancel(wakeupEvent);
            return;
        }
        events.schedule(wakeupEvent, nanosOfTick(wakeupNextTick));
    }

    private void outputs() {
        alarmOut.drive(alraf.isSet() && alraie.isSet() || alrbf.isSet() && alrbie.isSet());
        wakeupOut.drive(wutf.isSet() && wutie.isSet());
    }

    private void clockChanged() {
        advance();
        long now = events.now();
        epochTicks = rtcTick(now);
        long shift = epochTicks - anchorTick;
        epochNanos = now;
        anchorTick = epochTicks;
        wakeupNextTick += shift;
        hz = clocks.frequency(Stm32Clocks.Domain.RTC);
        scheduleSecond();
        scheduleWakeup();
    }

    /** The current calendar (for tests and the scenario layer): seconds since 2000-01-01 00:00:00. */
    public long calendarSeconds() {
        advance();
        return seconds;
    }

    /**
     * Sets the calendar as a meter leaves the factory: its clock set and its battery connected, before the
     * run begins (a scenario's {@code start}). The date, time and weekday change; the prescalers, the
     * sub-second count and every register the firmware programs stay as they are. Years 2000 to 2099, as
     * the RTC's two BCD digits.
     */
    public void setCalendar(java.time.LocalDateTime at) {
        if (at.getYear() < 2000 || at.getYear() > 2099) {
            throw new IllegalArgumentException("the RTC counts years 2000 to 2099, not " + at.getYear());
        }
        advance();
        seconds = (at.toLocalDate().toEpochDay() - EPOCH_2000) * 86400 + at.toLocalTime().toSecondOfDay();
        weekday = at.getDayOfWeek().getValue(); // Monday 1 (RM0090 RTC_DR WDU)
        weekdayDay = day();
        events.cancel(secondEvent);
        scheduleSecond();
    }

    /** The supplies of the backup domain; without them every power-on reset clears the RTC. */
    void setBackupSupply(BackupSupply supply) {
        this.backupSupply = supply;
    }

    /** System resets leave the backup domain alone; power-on clears it unless V_BAT kept it alive. */
    @Override
    public void reset(ResetCause cause) {
        if (cause == ResetCause.POWER_ON && (backupSupply == null || backupSupply.takeLoss())) {
            backupDomainReset();
        }
    }

    /** The RCC's BDRST, or power-on without a battery: everything back to reset values. */
    public void backupDomainReset() {
        super.reset();
        events.cancel(secondEvent);
        events.cancel(wakeupEvent);
        hz = clocks.frequency(Stm32Clocks.Domain.RTC);
        epochNanos = events.now();
        epochTicks = 0;
        anchorTick = 0;
        seconds = (LocalDate.of(2000, 1, 1).toEpochDay() - EPOCH_2000) * 86400;
        weekday = 1; // DR reset value 0x00002101: Monday 1 January 2000
        weekdayDay = 0;
        prescalerA = 0;
        prescalerS = 0;
        rsfReadyAt = 0;
        keyStep = 0;
        outputs();
    }

    @Override
    public void reset() {
        reset(ResetCause.POWER_ON);
    }

    /** {@code stm32f4-rtc}: property {@code pwr} names the PWR; pins {@code alarm} (EXTI 17), {@code wakeup} (22). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-rtc";
        }

        public String description() {
            return "STM32F4 RTC (RM0090 26): calendar, alarms, wakeup timer, backup registers";
        }

        public Object create(DeviceContext c) throws MachineException {
            Stm32Pwr pwr = c.device(c.string("pwr", "PWR"), Stm32Pwr.class, "properties.pwr");
            Stm32Rtc rtc = new Stm32Rtc(c.name(), c.events(), Stm32Clocks.of(c), pwr::backupWritesEnabled,
                    c.pin("alarm"), c.pin("wakeup"));
            rtc.setBackupSupply(new BackupSupply(c.analog("vdd", 3.3), c.analog("vbat", 3.0)));
            return rtc;
        }
    }
}
