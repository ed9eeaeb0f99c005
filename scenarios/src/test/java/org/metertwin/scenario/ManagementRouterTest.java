package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.management.ManagementFirmware;
import org.metertwin.metering.MetrologyMeter;
import org.metertwin.metering.vbus.MeteringData;
import org.metertwin.metering.vbus.VbusClient;
import org.metertwin.metering.vbus.VbusFrame;
import org.metertwin.metering.vbus.VbusPort;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * The product image's virtual-bus router (services/router.c, docs/virtual-bus.md "The router on the management
 * core") as an external master on the RS-485 port sees it. Communication management (services/comm.c) owns
 * that port and forwards its frames through the router as client 0x1E ({@link ProductBoardEnd}); the router
 * checks each frame's SRC and DI against the manifest of the process that wrote it (comm's: gets of
 * everything readable, the subscription). A get sent to the router as "any" for a DI measurement management
 * registered is answered by it (0x11) from its copy; its registration ends with its death and comes back
 * with its restart.
 */
class ManagementRouterTest {
    static final int ROUTER = 0x10, MEASUREMENT = 0x11, MAINTENANCE = ProductBoardEnd.MAINTENANCE;
    static final int SUBSCRIBE = 0x0480_1000, COUNTERS = 0x0480_1001, REGISTER = 0x0480_1002,
            COPY = 0x0480_1100, CALIBRATION = 0x0480_0100;
    static final Path MEASUREMENT_CRASH = Path.of(
            "../management-core/src/test/resources/firmware/rtos/rtos_measurement_crash10.bin");
    static final long MS = 1_000_000L;

    /**
     * Sends a request and returns the first reply (or error reply) for this master with the request's function
     * and DI, whoever it comes from (a request to the router as "any" is answered by the process serving it).
     */
    static VbusFrame ask(MetrologyMeter meter, VbusFrame request) throws Exception {
        VbusPort port = meter.link().port();
        port.send(request);
        long deadline = Long.MAX_VALUE;
        while (true) {
            long now = meter.now();
            if (!port.sending() && deadline == Long.MAX_VALUE) {
                deadline = now + VbusClient.ANSWER_NANOS;
            }
            if (now >= deadline) {
                return null;
            }
            meter.runUntil(Math.min(deadline, now + MS));
            for (VbusFrame f; (f = port.poll()) != null; ) {
                if (f.isReply() && f.destination() == MAINTENANCE && f.function() == request.function()
                        && f.dataId() == request.dataId()) {
                    return f;
                }
            }
        }
    }

    static void load(MetrologyMeter meter, double amps) {
        meter.mains().set(MainsState.sinusoidal(50, 230, amps, 0), meter.now());
    }

    @Test
    void theRouterForwardsWhatTheManifestAllowsAndAnswersTheRestWithErrors() throws Exception {
        ProductBoardEnd end = new ProductBoardEnd();
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            meter.runUntil(3_000_000_000L);
            VbusClient c = meter.link();
            VbusFrame energy = c.get(MeteringData.ENERGY_BLOCK);
            assertThat(energy.isError()).isFalse();
            assertThat(energy.source()).isEqualTo(MeteringData.METERING_CORE);
            assertThat(energy.length()).isEqualTo(56);

            // comm's manifest grants no set: the calibration is refused
            VbusFrame denied = c.exchange(VbusFrame.set(MAINTENANCE, MeteringData.METERING_CORE, CALIBRATION,
                    new byte[4]));
            assertThat(denied.isError()).as(denied.toString()).isTrue();
            assertThat(denied.errorCode()).as("not authorised").isEqualTo(0x04);
            // nor the registration of DIs to serve
            VbusFrame register = c.exchange(VbusFrame.action(MAINTENANCE, ROUTER, REGISTER, new byte[8]));
            assertThat(register.errorCode()).as("no action:04801002 in its manifest").isEqualTo(0x04);

            VbusFrame nobody = c.exchange(VbusFrame.get(MAINTENANCE, 0x30, MeteringData.ENERGY_BLOCK));
            assertThat(nobody.isError()).isTrue();
            assertThat(nobody.source()).isEqualTo(0x30);
            assertThat(nobody.errorCode()).as("no such destination").isEqualTo(0x01);
            // measurement management exists but does not serve the status word
            VbusFrame notServed = c.exchange(VbusFrame.get(MAINTENANCE, MEASUREMENT, MeteringData.STATUS));
            assertThat(notServed.errorCode()).as("not registered by 0x11").isEqualTo(0x02);

            VbusFrame subscribed = c.exchange(VbusFrame.action(MAINTENANCE, ROUTER, SUBSCRIBE, new byte[] {1}));
            assertThat(subscribed.isError()).isFalse();
            assertThat(subscribed.length()).isZero();
            VbusFrame badLength = c.exchange(VbusFrame.action(MAINTENANCE, ROUTER, SUBSCRIBE, new byte[] {1, 2}));
            assertThat(badLength.errorCode()).isEqualTo(0x08);
            VbusFrame unknown = c.exchange(VbusFrame.get(MAINTENANCE, ROUTER, 0x0480_10FF));
            assertThat(unknown.errorCode()).as("registered by nobody").isEqualTo(0x02);

            VbusFrame counters = c.exchange(VbusFrame.get(MAINTENANCE, ROUTER, COUNTERS));
            assertThat(counters.length()).isEqualTo(24);
            long routed = counters.u32(0), dropped = counters.u32(4), errors = counters.u32(8);
            assertThat(counters.u32(12)).as("characters the link received").isGreaterThan(100);
            // measurement management's polls (two gets and their replies a second) and this test's frames
            assertThat(routed).isGreaterThan(8);
            assertThat(errors).as("the error replies so far").isEqualTo(6);
            // the link USART's receive interrupt is a top half above the kernel's level (dev_uart.c): before it (and
            // before communication management re-checked only the pollers of a device), 3 characters were lost to overruns in these 3 s
            assertThat(counters.u32(20)).as("characters lost to overruns").isZero();
            assertThat(counters.u32(16)).as("characters with errors").isZero();
            System.out.printf("router after 3 s: %d frames routed, %d dropped, %d error replies; link: %d characters "
                    + "received, %d with errors, %d overruns%n", routed, dropped, errors, counters.u32(12),
                    counters.u32(16), counters.u32(20));
        }
    }

    @Test
    void aForgedSourceIsRefusedAndToldToTheTrueWriter() throws Exception {
        ProductBoardEnd end = new ProductBoardEnd();
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            meter.runUntil(3_000_000_000L);
            // the master on the RS-485 port claims to be measurement management, then the energy app
            for (int forged : new int[] {MEASUREMENT, 0x20}) {
                VbusFrame refused = ask(meter, VbusFrame.get(forged, MeteringData.METERING_CORE,
                        MeteringData.ENERGY_BLOCK));
                assertThat(refused).as("an answer to the forged get").isNotNull();
                assertThat(refused.isError()).as(refused.toString()).isTrue();
                assertThat(refused.errorCode()).isEqualTo(0x04);
                assertThat(refused.destination()).as("to the writer's own address").isEqualTo(MAINTENANCE);
            }
            VbusFrame counters = meter.link().exchange(VbusFrame.get(MAINTENANCE, ROUTER, COUNTERS));
            assertThat(counters.u32(8)).as("error replies").isEqualTo(2);
        }
    }

    @Test
    void measurementManagementAnswersItsRegisteredDisFromItsCopy() throws Exception {
        ProductBoardEnd end = new ProductBoardEnd();
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            load(meter, 10);
            meter.runUntil(5_000_000_000L);
            // while energy flows the copy (at most a second old) is behind the register, never ahead
            VbusFrame cached = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, MeteringData.ENERGY_BLOCK));
            VbusFrame direct = meter.link().get(MeteringData.ENERGY_BLOCK);
            assertThat(cached.isError()).as(cached.toString()).isFalse();
            assertThat(cached.source()).as("served by measurement management").isEqualTo(MEASUREMENT);
            assertThat(cached.length()).isEqualTo(56);
            long behind = direct.u64(0) - cached.u64(0);
            assertThat(behind).as("+A of the register less the copy's, mWh").isBetween(0L, 2300L * 1250 / 3600);

            // no load from 6 s: the register stands still, and the copy of a later poll equals it exactly
            meter.runUntil(6_000_000_000L);
            load(meter, 0);
            meter.runUntil(9_000_000_000L);
            VbusFrame state = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, COPY));
            assertThat(state.source()).isEqualTo(MEASUREMENT);
            assertThat(state.length()).isEqualTo(20);
            assertThat(state.u32(0)).as("valid").isEqualTo(1);
            assertThat(state.u32(12)).as("failed polls").isZero();
            cached = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, MeteringData.ENERGY_BLOCK));
            direct = meter.link().get(MeteringData.ENERGY_BLOCK);
            assertThat(direct.u64(0)).as("+A after 6 s at 2300 W, mWh").isBetween(3_500L, 4_000L);
            for (int i = 0; i < 7; i++) {
                assertThat(cached.u64(8 * i)).as("energy %d of the copy (of %d ms)", i, state.u32(4))
                        .isEqualTo(direct.u64(8 * i));
            }
            // addressed to it directly, the same; the instantaneous block too (as the metering core's layout)
            VbusFrame byAddress = ask(meter, VbusFrame.get(MAINTENANCE, MEASUREMENT, MeteringData.ENERGY_BLOCK));
            assertThat(byAddress.data()).isEqualTo(cached.data());
            VbusFrame instant = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, MeteringData.INSTANT_BLOCK));
            assertThat(instant.source()).isEqualTo(MEASUREMENT);
            assertThat(instant.length()).isEqualTo(28);
            assertThat(instant.u32(0)).as("voltage, mV").isBetween(229_000L, 231_000L);
            System.out.printf("copy of %d ms: +A %d mWh, as the register%n", state.u32(4), cached.u64(0));
        }
    }

    @Test
    void aRegistrationEndsWithItsServerAndComesBackWithItsRestart() throws Exception {
        ProductBoardEnd end = new ProductBoardEnd(ManagementFirmware.sign(Files.readAllBytes(MEASUREMENT_CRASH)));
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            load(meter, 10);
            meter.runUntil(5_000_000_000L);
            // every 100 ms, a get of the copy's state through the router as "any"
            List<String> seen = new ArrayList<>();
            long resyncsBefore = -1, resyncsAfter = -1;
            for (long t = 5_000; t < 16_000; t += 100) {
                meter.runUntil(t * MS);
                VbusFrame f = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, COPY));
                String what = f == null ? "none" : f.isError() ? "error " + f.errorCode() : "served";
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(what)) {
                    seen.add(what);
                }
                if (f != null && !f.isError() && f.u32(0) == 1) {
                    if (seen.size() == 1) {
                        resyncsBefore = f.u32(16);
                    } else if (seen.size() == 3) {
                        resyncsAfter = f.u32(16);
                    }
                }
            }
            String console = end.consoleText();
            assertThat(console).containsPattern(
                    "platform: event 0 at \\d+ ms: process 4 measurement fault, exception 4 cfsr 0x00000082");
            assertThat(console).containsPattern("platform: event 1 at \\d+ ms: process 4 measurement restarted");
            // served, then (dead, its registration dropped) nobody serves the DI, then served by its new run
            assertThat(seen).as(console).containsExactly("served", "error 2", "served");
            // /shm/measurement outlives the process: the restarted run's first copy is a resynchronisation
            assertThat(resyncsBefore).isEqualTo(1);
            assertThat(resyncsAfter).as("resyncs after the restart").isEqualTo(2);
            VbusFrame cached = ask(meter, VbusFrame.get(MAINTENANCE, ROUTER, MeteringData.ENERGY_BLOCK));
            assertThat(cached.source()).isEqualTo(MEASUREMENT);
            assertThat(cached.u64(0)).isGreaterThan(0L);
        }
    }
}
