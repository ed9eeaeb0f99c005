package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Stm32TimerTest {
    static final int CR1 = 0x00, DIER = 0x0C, SR = 0x10, EGR = 0x14, CCMR1 = 0x18, CNT = 0x24, PSC = 0x28,
            ARR = 0x2C, CCR1 = 0x34;
    final VirtualTime time = new VirtualTime();
    final List<Long> rises = new ArrayList<>();
    boolean level;
    final Stm32Timer tim = new Stm32Timer("TIM2", false, 32, time.events, time.clocks(), l -> {
        if (l && !level) {
            rises.add(time.now);
        }
        level = l;
    });

    /** The handler's job: clear the flags as soon as the line rises. */
    void runAcknowledging(long until) {
        while (true) {
            long next = time.events.nextTime();
            if (next > until) {
                break;
            }
            time.runTo(next);
            if (level) {
                tim.write(SR, 4, 0);
            }
        }
        time.runTo(until);
    }

    @Test
    void updatePeriodIsPscPlus1TimesArrPlus1KernelTicks() {
        tim.reset();
        tim.write(PSC, 4, 15); // 16 MHz / 16 = 1 MHz
        tim.write(ARR, 4, 999); // 1000 counts: 1 ms
        tim.write(EGR, 4, 1); // load PSC now
        tim.write(SR, 4, 0);
        tim.write(DIER, 4, 1);
        tim.write(CR1, 4, 1);
        runAcknowledging(5_000_000);
        assertThat(rises).containsExactly(1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L);
    }

    @Test
    void counterReadsFollowVirtualTimeWithFractionalTicks() {
        tim.reset();
        tim.write(ARR, 4, 0xFFFFFFFF);
        tim.write(CR1, 4, 1);
        time.runTo(1_000); // 16 MHz: 62.5 ns per count
        assertThat(tim.read(CNT, 4)).isEqualTo(16);
        time.runTo(1_031);
        assertThat(tim.read(CNT, 4)).isEqualTo(16);
        time.runTo(1_063);
        assertThat(tim.read(CNT, 4)).isEqualTo(17);
        tim.write(CR1, 4, 0); // stopped: the counter holds
        time.runTo(10_000);
        assertThat(tim.read(CNT, 4)).isEqualTo(17);
        tim.write(CNT, 4, 100);
        assertThat(tim.read(CNT, 4)).isEqualTo(100);
    }

    @Test
    void prescalerTakesEffectOnlyAtTheUpdateEvent() {
        tim.reset();
        tim.write(ARR, 4, 15); // 16 counts at 16 MHz: 1 us
        tim.write(DIER, 4, 1);
        tim.write(CR1, 4, 1);
        tim.write(PSC, 4, 1); // halves the rate, from the next update on
        runAcknowledging(3_000);
        assertThat(rises).containsExactly(1_000L, 3_000L);
    }

    @Test
    void autoReloadPreloadWaitsForTheUpdateToo() {
        tim.reset();
        tim.write(ARR, 4, 15);
        tim.write(DIER, 4, 1);
        tim.write(CR1, 4, 0x81); // ARPE
        tim.write(ARR, 4, 31);
        runAcknowledging(4_000);
        assertThat(rises).containsExactly(1_000L, 3_000L);
    }

    @Test
    void compareMatchSetsCc1ifAtTheCcrValue() {
        tim.reset();
        tim.write(PSC, 4, 15);
        tim.write(ARR, 4, 999);
        tim.write(EGR, 4, 1);
        tim.write(SR, 4, 0);
        tim.write(CCR1, 4, 250);
        tim.write(DIER, 4, 2); // CC1IE
        tim.write(CR1, 4, 1);
        runAcknowledging(2_100_000);
        assertThat(rises).containsExactly(250_000L, 1_250_000L);
        // UIF was set without its interrupt enabled... and cleared by the handler's write of 0 with CC1IF
        time.runTo(3_000_000);
        assertThat(tim.read(SR, 4) & 1).isEqualTo(1);
    }

    @Test
    void onePulseModeStopsAtTheUpdate() {
        tim.reset();
        tim.write(ARR, 4, 159); // 10 us
        tim.write(CR1, 4, 0x09); // OPM, CEN
        time.runTo(50_000);
        assertThat(tim.read(CR1, 4) & 1).isZero();
        assertThat(tim.read(SR, 4) & 1).isEqualTo(1);
        assertThat(tim.read(CNT, 4)).isZero();
        assertThat(time.events.isEmpty()).isTrue();
    }

    @Test
    void downCountingUnderflowsAfterArrPlusOneCounts() {
        tim.reset();
        tim.write(ARR, 4, 15);
        tim.write(CR1, 4, 0x10);
        tim.write(EGR, 4, 1); // the down-counter starts from ARR
        tim.write(SR, 4, 0);
        tim.write(DIER, 4, 1);
        tim.write(CR1, 4, 0x11);
        time.runTo(500);
        assertThat(tim.read(CNT, 4)).isEqualTo(7);
        runAcknowledging(2_000);
        assertThat(rises).containsExactly(1_000L, 2_000L);
    }

    @Test
    void sixteenBitTimerWrapsItsCounter() {
        Stm32Timer tim3 = new Stm32Timer("TIM3", false, 16, time.events, time.clocks(), l -> { });
        tim3.reset();
        tim3.write(ARR, 4, 0xFFFF);
        tim3.write(CNT, 4, 0x1FFF0);
        assertThat(tim3.read(CNT, 4)).isEqualTo(0xFFF0);
        tim3.write(CR1, 4, 1);
        time.runTo(time.now + 32 * 1000 / 16); // 32 counts
        assertThat(tim3.read(CNT, 4)).isEqualTo(0x10);
        assertThat(tim3.read(SR, 4) & 1).isEqualTo(1);
    }

    @Test
    void basicTimerCountsUpAndInterrupts() {
        Stm32Timer tim6 = new Stm32Timer("TIM6", true, 16, time.events, time.clocks(), l -> {
            if (l && !level) {
                rises.add(time.now);
            }
            level = l;
        });
        tim6.reset();
        tim6.write(PSC, 4, 1599); // 10 kHz
        tim6.write(ARR, 4, 9); // 1 ms
        tim6.write(EGR, 4, 1);
        tim6.write(SR, 4, 0);
        tim6.write(DIER, 4, 1);
        tim6.write(CR1, 4, 1);
        time.runTo(1_500_000);
        assertThat(rises).containsExactly(1_000_000L);
        assertThat(tim6.read(CNT, 4)).isEqualTo(5);
    }
}
