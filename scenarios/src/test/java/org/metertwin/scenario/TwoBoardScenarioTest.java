package org.metertwin.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Simulation;
import org.metertwin.metering.ManagementEnd;
import org.metertwin.metering.MetrologyMeter;

/**
 * Issue 14's acceptance: a scenario played on two boards under one simulation, the metering board and a
 * management board (the virtual-bus router, {@link RouterBoardEnd}) linked by a {@code SerialLink}, gives
 * the same report with gdb holding the metering core mid-run as without gdb, and the same as with the Java
 * stand-in at the far end of the link: the runner cannot tell the ends apart.
 */
class TwoBoardScenarioTest {
    static final String SCENARIO = "power-cut.yaml"; // one hour, a power cut: the metering board resets mid-run

    @Test
    void gdbHoldingTheMeteringCoreMidRunChangesNoReport() throws Exception {
        String java = report(ManagementEnd.JAVA, false);
        RouterBoardEnd router = new RouterBoardEnd();
        String twoBoards = report(router, false);
        String held = report(new RouterBoardEnd(), true);
        assertThat(router.board().cpu().instructions()).as("the router's firmware ran").isGreaterThan(1000);
        assertThat(twoBoards).contains("\"powerDown\"").isEqualTo(java);
        assertThat(held).isEqualTo(twoBoards);
    }

    /** The scenario's JSON report (no wall time) with {@code end} at the far end of the link. */
    private static String report(ManagementEnd end, boolean gdbMidRun) throws Exception {
        Scenario scenario = ScenarioLoader.bundled(SCENARIO);
        try (MetrologyMeter meter = MetrologyMeter.create(null, null, end)) {
            Simulation simulation = meter.simulation();
            assertThat(simulation.machines()).hasSize(end == ManagementEnd.JAVA ? 1 : 2);
            String[] stopReply = new String[1];
            if (gdbMidRun) {
                int port = meter.serveGdb("127.0.0.1", 0, false).getPort();
                simulation.at(scenario.durationNanos() / 2, () -> holdFor300ms(port, stopReply));
            }
            ScenarioRunner.Result result = ScenarioRunner.run(scenario, new MetrologyMeterUnderTest(meter),
                    Progress.none());
            if (gdbMidRun) {
                assertThat(stopReply[0]).as("the client got the halted core's stop reply").matches("[ST]05.*");
            }
            return Report.of(scenario, result, 0).toJson();
        }
    }

    /**
     * A gdb client connects (which halts the core), asks why it stopped, waits 300 ms of wall time, then
     * continues: meanwhile the whole simulation, both boards, stands still.
     */
    private static void holdFor300ms(int port, String[] stopReply) {
        CountDownLatch connected = new CountDownLatch(1);
        Thread client = new Thread(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                connected.countDown();
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                out.write("$?#3f".getBytes(StandardCharsets.US_ASCII));
                stopReply[0] = packet(socket.getInputStream());
                Thread.sleep(300);
                out.write("+$c#63".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
            } catch (Exception e) {
                stopReply[0] = "client failed: " + e;
                connected.countDown();
            }
        }, "gdb-client");
        client.setDaemon(true);
        client.start();
        try {
            connected.await();
            Thread.sleep(50); // let the server see the connection before the core runs on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next RSP packet's payload (acks skipped); ManagementBoardScenarioTest reads with it too. */
    static String packet(InputStream in) throws java.io.IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new java.io.EOFException();
            }
        }
        StringBuilder sb = new StringBuilder();
        while ((c = in.read()) != '#') {
            sb.append((char) c);
        }
        in.read();
        in.read();
        return sb.toString();
    }
}
