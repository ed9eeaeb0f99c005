package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.Simulation;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.MetrologyMeter;

/**
 * Issue 16: the machine {@code management} as the far end of the metering core's link
 * ({@link ManagementBoardEnd}, running the virtual-bus router firmware) gives the same report as the Java
 * stand-in; with both cores under gdb on two ports, holding the management core mid-run stops the metering
 * core and virtual time too, and changes no report.
 */
class ManagementBoardScenarioTest {
    static final String SCENARIO = "power-cut.yaml";

    @Test
    void theManagementBoardGivesTheSameReportAsTheJavaStandIn() throws Exception {
        String java = report(ManagementEnd.JAVA);
        try (ManagementBoardEnd end = new ManagementBoardEnd(ElfFile.read(RouterBoardEnd.ELF))) {
            String board = report(end);
            assertThat(end.board().description().name()).isEqualTo("management");
            assertThat(end.board().cpu().instructions()).as("the router's firmware ran").isGreaterThan(1000);
            assertThat(board).contains("\"powerDown\"").isEqualTo(java);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void bothCoresUnderGdbHoldingTheManagementCoreStopsTheMeteringCoreAndChangesNoReport() throws Exception {
        String plain = report(ManagementEnd.JAVA);
        Scenario scenario = ScenarioLoader.bundled(SCENARIO);
        try (ManagementBoardEnd end = new ManagementBoardEnd(ElfFile.read(RouterBoardEnd.ELF));
                MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            Simulation simulation = meter.simulation();
            int meteringPort = meter.serveGdb("127.0.0.1", 0, false).getPort();
            int managementPort = end.serveGdb("127.0.0.1", 0, false).getPort();
            assertThat(managementPort).isNotEqualTo(meteringPort);
            Board metering = simulation.machines().stream().filter(b -> b != end.board()).findFirst().orElseThrow();
            Hold hold = new Hold(managementPort, metering, simulation);
            simulation.at(scenario.durationNanos() / 2, hold::start);
            ScenarioRunner.Result result = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter),
                    Progress.none());
            hold.join(10_000);
            assertThat(hold.stopReply).as("the management core's stop reply").matches("[ST]05.*");
            assertThat(hold.meteringCycles[1]).as("metering cycles while held").isEqualTo(hold.meteringCycles[0]);
            assertThat(hold.virtualNanos[1]).as("virtual time while held").isEqualTo(hold.virtualNanos[0]);
            assertThat(hold.virtualNanos[0]).isGreaterThanOrEqualTo(scenario.durationNanos() / 2);
            assertThat(Report.of(scenario, result, 0).toJson()).isEqualTo(plain);
        }
    }

    /** The scenario's JSON report (no wall time) with {@code end} at the far end of the link. */
    private static String report(ManagementEnd end) throws Exception {
        Scenario scenario = ScenarioLoader.bundled(SCENARIO);
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            ScenarioRunner.Result result = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter),
                    Progress.none());
            return Report.of(scenario, result, 0).toJson();
        }
    }

    /**
     * A raw RSP client that connects (the server halts the core), asks why it stopped and, once the stop reply
     * says the core is held, reads the metering core's cycles and the virtual time twice, 300 ms of wall time
     * apart, then continues. Started from a simulation action, it runs on its own thread.
     */
    private static final class Hold extends Thread {
        final int port;
        final Board metering;
        final Simulation simulation;
        final long[] meteringCycles = new long[2], virtualNanos = new long[2];
        volatile String stopReply;

        Hold(int port, Board metering, Simulation simulation) {
            super("gdb-client (management)");
            setDaemon(true);
            this.port = port;
            this.metering = metering;
            this.simulation = simulation;
        }

        @Override
        public void run() {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                out.write("$?#3f".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stopReply = TwoBoardScenarioTest.packet(socket.getInputStream());
                for (int i = 0; i < 2; i++) {
                    meteringCycles[i] = metering.cpu().cycles();
                    virtualNanos[i] = simulation.now();
                    if (i == 0) {
                        Thread.sleep(300); // the window in which nothing may move, not a synchronisation
                    }
                }
                out.write("+$c#63".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // the server's ack says it has the continue: closing before it could drop the packet
                while (socket.getInputStream().read() != '+') {
                    continue;
                }
            } catch (Exception e) {
                stopReply = "client failed: " + e;
            }
        }
    }
}
