package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.signal.SignalNets;

class Stm32RtcTest {
    static final int TR = 0x00, DR = 0x04, CR = 0x08, ISR = 0x0C, ALRMAR = 0x1C, WPR = 0x24, SSR = 0x28,
            BKP0R = 0x50;
    static final long S = 1_000_000_000L;
    final VirtualTime time = new VirtualTime();
    final SignalNets nets = new SignalNets();
    final Stm32Pwr pwr = new Stm32Pwr("PWR", nets.analog("VDD", 3.3), nets.pin("EXTI.line16"));
    final Stm32Rtc rtc = new Stm32Rtc("RTC", time.events, time.clocks(), pwr::backupWritesEnabled,
            nets.pin("EXTI.line17"), nets.pin("EXTI.line22"));

    void unlockAndSet(int tr, int dr) {
        pwr.write(0x00, 4, 1 << 8); // DBP
        rtc.write(WPR, 4, 0xCA);
        rtc.write(WPR, 4, 0x53);
        rtc.write(ISR, 4, 0x80); // INIT
        assertThat(rtc.read(ISR, 4) & 0x40).isEqualTo(0x40); // INITF
        rtc.write(TR, 4, tr);
        rtc.write(DR, 4, dr);
        rtc.write(ISR, 4, 0xFFFFFF7F); // leave INIT, keep the flags
    }

    @Test
    void resetCalendarAndWriteProtections() {
        assertThat(rtc.read(DR, 4)).isEqualTo(0x00002101);
        assertThat(rtc.read(0x10, 4)).isEqualTo(0x007F00FF);
        rtc.write(BKP0R, 4, 0x1234); // no DBP: ignored
        assertThat(rtc.read(BKP0R, 4)).isZero();
        assertThat(rtc.loggedOnce()).anyMatch(m -> m.contains("DBP"));
        pwr.write(0x00, 4, 1 << 8);
        rtc.write(BKP0R, 4, 0x1234); // backup registers are not behind RTC_WPR
        assertThat(rtc.read(BKP0R, 4)).isEqualTo(0x1234);
        rtc.write(CR, 4, 1 << 6); // locked by RTC_WPR
        assertThat(rtc.read(CR, 4)).isZero();
        rtc.write(WPR, 4, 0xCA);
        rtc.write(WPR, 4, 0x53);
        rtc.write(CR, 4, 1 << 6);
        assertThat(rtc.read(CR, 4)).isEqualTo(1 << 6);
        rtc.write(TR, 4, 0x012345); // outside init mode: ignored
        assertThat(rtc.read(TR, 4)).isEqualTo(0x120000); // midnight is 12 AM in the AM/PM format (FMT=1)
    }

    @Test
    void calendarAdvancesThroughThePrescalersAcrossMidnightAndMonths() {
        // 2024-02-28 (Wednesday) 23:59:50
        unlockAndSet(0x235950, 0x24 << 16 | 3 << 13 | 0x02 << 8 | 0x28);
        time.runTo(time.now + 15 * S);
        assertThat(rtc.read(TR, 4)).isEqualTo(0x000005);
        assertThat(rtc.read(DR, 4)).isEqualTo(0x24 << 16 | 4 << 13 | 0x02 << 8 | 0x29); // leap day, Thursday
        time.runTo(time.now + 86_400 * S + S / 2);
        assertThat(rtc.read(TR, 4)).isEqualTo(0x000005);
        assertThat(rtc.read(DR, 4)).isEqualTo(0x24 << 16 | 5 << 13 | 0x03 << 8 | 0x01);
        assertThat(rtc.read(SSR, 4)).isEqualTo(255 - 128); // half a second: SS counted down from PREDIV_S
        assertThat(rtc.read(ISR, 4) & 0x30).isEqualTo(0x30); // INITS, RSF
    }

    @Test
    void alarmAFiresAtTheMatchingSecondAndDrivesExtiLine17() {
        unlockAndSet(0x120000, 0x00002101 | 0x25 << 16);
        long start = time.now;
        rtc.write(ALRMAR, 4, 1 << 31 | 1 << 23 | 0x0005); // date, hours masked; 00:05 of any hour
        rtc.write(CR, 4, 1 << 8 | 1 << 12); // ALRAE, ALRAIE
        time.runTo(start + 5 * S - 1);
        assertThat(rtc.read(ISR, 4) & 0x100).isZero();
        assertThat(nets.pin("EXTI.line17").level()).isFalse();
        time.runTo(start + 5 * S);
        assertThat(rtc.read(ISR, 4) & 0x100).isEqualTo(0x100);
        assertThat(nets.pin("EXTI.line17").level()).isTrue();
        rtc.write(ISR, 4, ~(0x100 | 0x80)); // clear ALRAF (rc_w0), leaving INIT at 0
        assertThat(nets.pin("EXTI.line17").level()).isFalse();
        time.runTo(start + 3605 * S); // next match one hour later
        assertThat(rtc.read(TR, 4)).isEqualTo(0x130005);
        assertThat(nets.pin("EXTI.line17").level()).isTrue();
    }

    @Test
    void wakeupTimerCountsRtcClockPeriods() {
        unlockAndSet(0, 0x00002101);
        long start = time.now;
        rtc.write(0x14, 4, 2047); // WUTR: 2048 x RTC/16 = 1 s
        rtc.write(CR, 4, 1 << 10 | 1 << 14); // WUTE, WUTIE, WUCKSEL=0 (RTC/16)
        time.runTo(start + S - 1);
        assertThat(nets.pin("EXTI.line22").level()).isFalse();
        time.runTo(start + S);
        assertThat(nets.pin("EXTI.line22").level()).isTrue();
    }

    @Test
    void keepsTheCalendarOverSystemResetsButNotPowerOn() {
        unlockAndSet(0x101010, 0x00002101);
        rtc.write(BKP0R + 4, 4, 0xCAFE);
        rtc.reset(ResetCause.SOFTWARE);
        assertThat(rtc.read(TR, 4)).isEqualTo(0x101010);
        assertThat(rtc.read(BKP0R + 4, 4)).isEqualTo(0xCAFE);
        rtc.reset(ResetCause.POWER_ON);
        assertThat(rtc.read(TR, 4)).isZero();
        assertThat(rtc.read(BKP0R + 4, 4)).isZero();
    }

    @Test
    void aCalendarSetAtTheFactoryCountsOnFromThere() {
        unlockAndSet(0x000000, 0x00 << 16 | 1 << 13 | 0x01 << 8 | 0x01); // FMT 0 written, prescalers at reset
        rtc.setCalendar(java.time.LocalDateTime.of(2026, 4, 30, 23, 59, 58)); // a Thursday
        assertThat(rtc.read(TR, 4)).isEqualTo(0x235958);
        assertThat(rtc.read(DR, 4)).isEqualTo(0x26 << 16 | 4 << 13 | 0x04 << 8 | 0x30);
        time.runTo(time.now + 3 * S);
        assertThat(rtc.read(TR, 4)).isEqualTo(0x000001);
        assertThat(rtc.read(DR, 4)).isEqualTo(0x26 << 16 | 5 << 13 | 0x05 << 8 | 0x01); // Friday 1 May
        assertThat(rtc.calendarSeconds()).isEqualTo(
                java.time.LocalDateTime.of(2026, 5, 1, 0, 0, 1).toEpochSecond(java.time.ZoneOffset.UTC)
                        - java.time.LocalDateTime.of(2000, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> rtc.setCalendar(java.time.LocalDateTime.of(2100, 1, 1, 0, 0)))
                .hasMessageContaining("2000 to 2099");
    }
}
