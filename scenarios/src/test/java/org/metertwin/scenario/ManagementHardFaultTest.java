package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.ManagementFirmware;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.MetrologyMeter;

/**
 * A HardFault in the management core's kernel (the variant rtos_hardfault20.bin: at 20 s of uptime the kernel
 * makes a system call from its timer interrupt, which escalates to HardFault) is not contained: the fault
 * handler reports it and stops feeding the watchdog, the IWDG (4 s) resets the board, the bootloader starts the
 * image again and it boots a second time. The metering core's registers are those of the run without the
 * management core.
 */
class ManagementHardFaultTest {
    static final Path IMAGE = Path.of("../management-core/src/test/resources/firmware/rtos/rtos_hardfault20.bin");

    @Test
    void aKernelHardFaultResetsThroughTheWatchdogAndTheBoardBootsAgain() throws Exception {
        String yaml = String.join("\n", "meter: metrology", "start: 2026-01-01T00:00:00Z", "duration: 40s",
                "mains: { voltage: 230.0, frequency: 50.0 }", "load:",
                "  - { at: 0s, current: 10.0, powerFactor: 1.0 }", "expect:",
                "  - { register: activeImportWh, tolerancePercent: 0.5 }", "");
        Scenario scenario = ScenarioLoader.parse("hardfault.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        ScenarioRunner.Result alone;
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, ManagementEnd.JAVA)) {
            alone = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter), Progress.none());
        }
        ProductBoardEnd end = new ProductBoardEnd(ManagementFirmware.sign(Files.readAllBytes(IMAGE)));
        ScenarioRunner.Result product;
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            product = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter), Progress.none());
        }
        String console = end.consoleText();
        System.out.print(console);
        assertThat(product.outcome().energy()).as("the metering core's registers").isEqualTo(alone.outcome().energy());
        List<StampedConsole.Line> lines = end.console();
        StampedConsole.Line fault = lines.stream().filter(l -> l.text().startsWith("fault: exception 3 ")).findFirst()
                .orElseThrow(() -> new AssertionError("no HardFault report:\n" + console));
        assertThat(fault.nanos()).as("the HardFault at 20 s of uptime (the image starts at about 0.6 s)")
                .isBetween(20_000_000_000L, 21_700_000_000L);
        StampedConsole.Line second = lines.stream().filter(l -> l.text().startsWith("platform: boot 2;")).findFirst()
                .orElseThrow(() -> new AssertionError("no second boot:\n" + console));
        // the watchdog's 4 s from its last feed (at most 1 s before the fault), then the bootloader's check
        assertThat(second.nanos() - fault.nanos()).as("from the fault to the second boot")
                .isBetween(3_000_000_000L, 5_500_000_000L);
        assertThat(console).contains("platform: boot 1;").contains("rtos: stopped, status 98: waiting for the watchdog");
        assertThat(console.indexOf("platform: boot 1;")).isLessThan(console.indexOf("fault: exception 3 "));
        assertThat(lines.stream().filter(l -> l.text().startsWith("fault: ")).count()).as("one fault only").isOne();
        System.out.printf("HardFault at %.3f s, second boot at %.3f s%n", fault.nanos() / 1e9, second.nanos() / 1e9);
    }
}
