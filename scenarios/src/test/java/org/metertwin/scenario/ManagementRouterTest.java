package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.metertwin.metering.MetrologyMeter;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.metering.vbus.VbusFrame;

/**
 * The product image's virtual-bus router (services/router.c, docs/virtual-bus.md "The router") as an external
 * master on the RS-485 maintenance port (address 0x1E, {@link ProductBoardEnd}) sees it: gets reach the
 * metering core; a set the access table does not allow, a destination that does not exist, an unknown DI of
 * the router get error replies; the router's own DIs answer.
 */
class ManagementRouterTest {
    static final int ROUTER = 0x10, MAINTENANCE = ProductBoardEnd.MAINTENANCE;
    static final int SUBSCRIBE = 0x0480_1000, COUNTERS = 0x0480_1001, CALIBRATION = 0x0480_0100;

    @Test
    void theRouterForwardsWhatTheAccessTableAllowsAndAnswersTheRestWithErrors() throws Exception {
        ProductBoardEnd end = new ProductBoardEnd();
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            meter.runUntil(3_000_000_000L);
            VbusClient c = meter.link();
            VbusFrame energy = c.get(MeteringData.ENERGY_BLOCK);
            assertThat(energy.isError()).isFalse();
            assertThat(energy.length()).isEqualTo(56);

            VbusFrame denied = c.exchange(VbusFrame.set(MAINTENANCE, MeteringData.METERING_CORE, CALIBRATION,
                    new byte[4]));
            assertThat(denied.isError()).as(denied.toString()).isTrue();
            assertThat(denied.errorCode()).as("not authorised").isEqualTo(0x04);

            VbusFrame nobody = c.exchange(VbusFrame.get(MAINTENANCE, 0x30, MeteringData.ENERGY_BLOCK));
            assertThat(nobody.isError()).isTrue();
            assertThat(nobody.source()).isEqualTo(0x30);
            assertThat(nobody.errorCode()).as("no such destination").isEqualTo(0x01);

            VbusFrame subscribed = c.exchange(VbusFrame.action(MAINTENANCE, ROUTER, SUBSCRIBE, new byte[] {1}));
            assertThat(subscribed.isError()).isFalse();
            assertThat(subscribed.length()).isZero();
            VbusFrame badLength = c.exchange(VbusFrame.action(MAINTENANCE, ROUTER, SUBSCRIBE, new byte[] {1, 2}));
            assertThat(badLength.errorCode()).isEqualTo(0x08);
            VbusFrame unknown = c.exchange(VbusFrame.get(MAINTENANCE, ROUTER, 0x0480_10FF));
            assertThat(unknown.errorCode()).isEqualTo(0x02);

            VbusFrame counters = c.exchange(VbusFrame.get(MAINTENANCE, ROUTER, COUNTERS));
            assertThat(counters.length()).isEqualTo(24);
            long routed = counters.u32(0), dropped = counters.u32(4), errors = counters.u32(8);
            assertThat(counters.u32(12)).as("characters the link received").isGreaterThan(100);
            // measurement management's polls (two gets and their replies a second) and this test's frames
            assertThat(routed).isGreaterThan(8);
            assertThat(errors).as("the error replies so far").isEqualTo(4);
            // the link USART's receive interrupt is a top half above the kernel's level (dev_uart.c): before it,
            // 3 characters were lost to overruns in these 3 s
            assertThat(counters.u32(20)).as("characters lost to overruns").isZero();
            assertThat(counters.u32(16)).as("characters with errors").isZero();
            System.out.printf("router after 3 s: %d frames routed, %d dropped, %d error replies; link: %d characters "
                    + "received, %d with errors, %d overruns%n", routed, dropped, errors, counters.u32(12),
                    counters.u32(16), counters.u32(20));
        }
    }
}
