package org.metertwin.peripherals.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.serial.SerialFormat;

/** serial:DEVICE against a pseudo-terminal pair made by socat: the test plays the far end of the line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SerialDeviceBridgeTest {
    private static final Pattern PTY = Pattern.compile("PTY is (\\S+)");

    final ManualClock clock = new ManualClock();
    final TestUart uart = new TestUart("USART2", clock.events);
    final long frame = SerialFormat.DEFAULT.frameNanos();

    @Test
    void bytesFlowBothWaysThroughAHostSerialDevice() throws Exception {
        assumeTrue(onPath("socat"), "socat is not installed");
        Process socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0").start();
        try {
            List<String> ptys = ptyNames(socat);
            String near = ptys.get(0);
            String far = ptys.get(1);
            String option = "--uart USART2=serial:" + near;
            try (SerialDeviceBridge bridge = (SerialDeviceBridge) HostBridges.open("serial:" + near, uart,
                    clock.events, option, null, null);
                 FileOutputStream farOut = new FileOutputStream(far);
                 FileInputStream farIn = new FileInputStream(far)) {
                assertThat(bridge.inputOpen()).isTrue();
                assertThat(bridge.appliedFormat()).isEqualTo(SerialFormat.DEFAULT);
                // the far end sends: paced into the UART one frame apart
                farOut.write("ping".getBytes(StandardCharsets.ISO_8859_1));
                farOut.flush();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (bridge.input.available() < 4 && System.nanoTime() < deadline) {
                    bridge.awaitInput(50);
                }
                bridge.pump();
                clock.advanceTo(10 * frame);
                assertThat(uart.receivedText()).isEqualTo("ping");
                assertThat(uart.received).extracting(TestUart.Received::nanos)
                        .containsExactly(frame, 2 * frame, 3 * frame, 4 * frame);

                // the guest sends, at a baud rate it changed meanwhile: the far end reads it
                uart.format = new SerialFormat(9600, 8, SerialFormat.Parity.NONE, 2);
                uart.transmit("pong");
                CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                    try {
                        // read() rather than readNBytes, which seeks on a FileInputStream (not on a tty)
                        StringBuilder sb = new StringBuilder();
                        while (sb.length() < 4) {
                            int c = farIn.read();
                            if (c < 0) {
                                break;
                            }
                            sb.append((char) c);
                        }
                        return sb.toString();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                bridge.pump();
                assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
                assertThat(bridge.appliedFormat()).as("the host device follows the UART").isEqualTo(uart.format);
            }
        } finally {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        }
    }

    @Test
    void aDeviceThatCannotBeOpenedIsAOneLineError() {
        String option = "--uart USART2=serial:/dev/ttyMeterTwinNone";
        try {
            HostBridges.open("serial:/dev/ttyMeterTwinNone", uart, clock.events, option, null, null).close();
            throw new AssertionError("opened a device that does not exist");
        } catch (MachineException e) {
            assertThat(e.getMessage()).startsWith(option + ": cannot open /dev/ttyMeterTwinNone: ")
                    .doesNotContain("\n");
        }
    }

    private static List<String> ptyNames(Process socat) throws Exception {
        // socat -d -d logs "... N PTY is /dev/pts/7" for each end before it starts copying
        BufferedReader err = new BufferedReader(new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> names = CompletableFuture.supplyAsync(() -> {
            List<String> found = new ArrayList<>();
            try {
                String line;
                while (found.size() < 2 && (line = err.readLine()) != null) {
                    Matcher m = PTY.matcher(line);
                    if (m.find()) {
                        found.add(m.group(1));
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return found;
        });
        List<String> found = names.get(10, TimeUnit.SECONDS);
        assertThat(found).as("socat's two PTY names").hasSize(2);
        return found;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
