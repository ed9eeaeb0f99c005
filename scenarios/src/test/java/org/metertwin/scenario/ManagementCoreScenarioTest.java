package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.ManagementFirmware;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.MetrologyMeter;

/**
 * Issue 17's services on the two-core meter: the management board runs the product image (bootloader, RTOS,
 * virtual-bus router, measurement management, energy app, communication management, {@link ProductBoardEnd})
 * at the far end of the metering core's link while a scenario of 3.5 minutes at constant load plays. The energy app's console lines
 * follow the scenario's exact integral within the metering core's resolution (its 250 ms metering period), and
 * the metering core's registers are exactly those of the same scenario with the Java stand-in at the far end
 * (nobody polling): the management core reads energy, never changes it. With the crash variant of the image
 * (the app stores into kernel memory once at 90 s) not one mWh changes, the platform reports the fault and
 * the restart, and the app prints again once its 5 s restart delay is over.
 */
class ManagementCoreScenarioTest {
    static final String YAML = String.join("\n",
            "meter: metrology",
            "start: 2026-01-01T00:00:00Z",
            "duration: 210s",
            "mains: { voltage: 230.0, frequency: 50.0 }",
            "load:",
            "  - { at: 0s, current: 10.0, powerFactor: 1.0 }",
            "expect:",
            "  - { register: activeImportWh, value: 134.1667, tolerancePercent: 0.5 }", "");
    static final Path CRASH_IMAGE = Path.of("../management-core/src/test/resources/firmware/rtos/rtos_crash90.bin");
    /** app: +A 123.456 Wh, copy of 61042 ms, resyncs 1, at 62001 ms */
    static final Pattern APP = Pattern.compile(
            "app: \\+A (\\d+)\\.(\\d{3}) Wh, copy of (\\d+) ms, resyncs (\\d+), at (\\d+) ms");
    static final long PERIOD_NANOS = MetrologyMeter.PERIOD_NANOS;

    private static ScenarioRunner.Result javaRun;

    record AppLine(long nanos, long milliWh, long copyMs, long resyncs, long atMs) {
        /** The simulation time of the copy's poll: the line's time less the uptime between poll and print. */
        long copyNanos() {
            return nanos - (atMs - copyMs) * 1_000_000L;
        }
    }

    static Scenario scenario() throws Exception {
        return ScenarioLoader.parse("constant-load.yaml", YAML.getBytes(StandardCharsets.UTF_8));
    }

    static ScenarioRunner.Result run(ManagementEnd end) throws Exception {
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            return ScenarioRunner.run(scenario(), new MetrologyMeterUnderTest(meter), Progress.none());
        }
    }

    static synchronized ScenarioRunner.Result withoutManagementCore() throws Exception {
        if (javaRun == null) {
            javaRun = run(ManagementEnd.JAVA);
        }
        return javaRun;
    }

    static List<AppLine> appLines(ProductBoardEnd end) {
        List<AppLine> out = new ArrayList<>();
        for (StampedConsole.Line l : end.console()) {
            Matcher m = APP.matcher(l.text());
            if (m.matches()) {
                out.add(new AppLine(l.nanos(), Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
            }
        }
        return out;
    }

    /** Each line's energy is the exact integral at its copy's time, within one metering period and 0.2 %. */
    static void followTheExactIntegral(List<AppLine> lines, ScenarioRunner.Result result, long durationNanos) {
        followTheExactIntegral(lines, result, durationNanos, 0, 0);
    }

    /** The same for a scenario whose supply is cut from {@code cutFrom} to {@code cutTo} (ns): no energy then. */
    static void followTheExactIntegral(List<AppLine> lines, ScenarioRunner.Result result, long durationNanos,
            long cutFrom, long cutTo) {
        double watts = result.outcome().trueEnergy().activeImportWh() * 3600e9 / (durationNanos - (cutTo - cutFrom));
        double worst = 0;
        for (AppLine l : lines) {
            long t = l.copyNanos();
            long flowing = t - Math.max(0, Math.min(t, cutTo) - cutFrom);
            double exactMilliWh = watts * flowing / 3600e6;
            worst = Math.max(worst, Math.abs(l.milliWh() - exactMilliWh));
            double slack = watts * PERIOD_NANOS / 3600e6 + 0.002 * exactMilliWh + 1;
            assertThat((double) l.milliWh()).as("+A printed at %d ms of copy %d ms (exact %.3f mWh)", l.atMs(),
                    l.copyMs(), exactMilliWh).isBetween(exactMilliWh - slack, exactMilliWh + slack);
        }
        System.out.printf("energy app: %d lines, at most %.1f mWh from the exact integral at the copy's time "
                + "(one metering period is %.1f mWh)%n", lines.size(), worst, watts * PERIOD_NANOS / 3600e6);
    }

    @Test
    void theEnergyAppFollowsTheMeteringCoreWhoseRegistersThePollingLeavesUntouched() throws Exception {
        ScenarioRunner.Result alone = withoutManagementCore();
        ProductBoardEnd end = new ProductBoardEnd();
        ScenarioRunner.Result product = run(end);
        String console = end.consoleText();
        System.out.print(console);
        assertThat(product.outcome().energy()).as("the metering core's registers").isEqualTo(alone.outcome().energy());
        assertThat(product.passed()).as(product.expectations().toString()).isTrue();
        List<AppLine> lines = appLines(end);
        // the app prints once measurement management has its first copy (about 1 s), then every 60 s
        assertThat(lines).as(console).hasSize(4);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i).atMs() - lines.get(i - 1).atMs()).isBetween(59_990L, 60_050L);
            assertThat(lines.get(i).atMs() - lines.get(i).copyMs()).as("the copy's age").isBetween(0L, 1_100L);
        }
        followTheExactIntegral(lines, product, scenario().durationNanos());
        assertThat(lines).as("no poll failed: the first copy is the only resynchronisation")
                .allMatch(l -> l.resyncs() == 1);
        assertThat(console).doesNotContain("platform: event");
    }

    @Test
    void anAppCrashChangesNoWattHourAndTheAppIsBackAfterItsRestartDelay() throws Exception {
        ScenarioRunner.Result alone = withoutManagementCore();
        ProductBoardEnd end = new ProductBoardEnd(ManagementFirmware.sign(Files.readAllBytes(CRASH_IMAGE)));
        ScenarioRunner.Result crashed = run(end);
        String console = end.consoleText();
        System.out.print(console);
        assertThat(crashed.outcome().energy()).as("the metering core's registers").isEqualTo(alone.outcome().energy());
        // the platform reports the kernel's event log: the fault (a MemManage data access violation at the
        // kernel's first RAM word) and the restart 5 s later
        Matcher fault = Pattern.compile("platform: event 0 at (\\d+) ms: process 6 energy-app fault, exception 4 "
                + "cfsr 0x00000082 address 0x20000000, restarts 0").matcher(console);
        assertThat(fault.find()).as(console).isTrue();
        long faultMs = Long.parseLong(fault.group(1));
        assertThat(faultMs).isBetween(90_000L, 90_010L);
        Matcher restart = Pattern.compile("platform: event 1 at (\\d+) ms: process 6 energy-app restarted, restarts 1").matcher(console);
        assertThat(restart.find()).as(console).isTrue();
        assertThat(Long.parseLong(restart.group(1)) - faultMs).as("the restart delay").isBetween(5_000L, 5_010L);
        List<AppLine> lines = appLines(end);
        List<AppLine> after = lines.stream().filter(l -> l.atMs() > faultMs).toList();
        assertThat(after).as(console).isNotEmpty();
        assertThat(after.get(0).atMs() - faultMs).as("first print after the fault").isBetween(5_000L, 6_500L);
        followTheExactIntegral(lines, crashed, scenario().durationNanos());
    }

    /**
     * The metering core restarts (a 10 s power cut at 60 s of a 150 s scenario): measurement management's polls
     * fail during the cut, then it resynchronises (the power-up report and the first successful poll): the
     * app's next line is the registers as the metering core restored them, not a sum, and the registers are
     * again exactly those of the run without the management core.
     */
    @Test
    void afterAMeteringCoreRestartTheCopyIsRefreshedNotSummedTwice() throws Exception {
        String yaml = String.join("\n", "meter: metrology", "start: 2026-01-01T00:00:00Z", "duration: 150s",
                "mains: { voltage: 230.0, frequency: 50.0 }", "load:",
                "  - { at: 0s, current: 10.0, powerFactor: 1.0 }", "supply:", "  - { at: 60s, powerCut: 10s }",
                "expect:", "  - { register: activeImportWh, tolerancePercent: 0.5 }", "");
        Scenario cut = ScenarioLoader.parse("power-cut-60s.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        ScenarioRunner.Result alone;
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, ManagementEnd.JAVA)) {
            alone = ScenarioRunner.run(cut, new MetrologyMeterUnderTest(meter), Progress.none());
        }
        ProductBoardEnd end = new ProductBoardEnd();
        ScenarioRunner.Result product;
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            product = ScenarioRunner.run(cut, new MetrologyMeterUnderTest(meter), Progress.none());
        }
        String console = end.consoleText();
        System.out.print(console);
        assertThat(product.outcome().energy()).as("the metering core's registers").isEqualTo(alone.outcome().energy());
        assertThat(product.outcome().events()).isEqualTo(alone.outcome().events());
        List<AppLine> lines = appLines(end);
        assertThat(lines).as(console).hasSize(3);
        assertThat(lines.get(0).resyncs()).as("the first copy").isEqualTo(1);
        assertThat(lines.get(2).resyncs()).as("after the metering core's restart").isEqualTo(2);
        followTheExactIntegral(lines, product, cut.durationNanos(), 60_000_000_000L, 70_000_000_000L);
    }
}
