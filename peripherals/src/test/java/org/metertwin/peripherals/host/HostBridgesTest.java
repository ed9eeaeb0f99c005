package org.metertwin.peripherals.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.serial.HostBridge;

/** The spec strings of --uart NAME=SPEC on a board with two stand-in UARTs, and the file: bridge. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostBridgesTest {
    @TempDir
    Path dir;

    static Board board() throws MachineException {
        return new Board("uart-board.yaml", MachineDescriptions.load("src/test/resources/host/uart-board.yaml"),
                OutputStream.nullOutputStream());
    }

    @Test
    void aUartTheBoardDoesNotHaveIsNamedWithTheOnesItHas() {
        assertThatThrownBy(() -> HostBridges.open("tcp:4000", board(), "USART9", null, null))
                .isInstanceOf(MachineException.class)
                .hasMessage("--uart USART9=tcp:4000: no UART called USART9 on uart-test-board (UARTs: USART1, USART2)");
    }

    @Test
    void badSpecsGiveOneLineErrors() {
        expectError("tcp:abc", "--uart USART1=tcp:abc: expected a port number 1-65535, got 'abc'");
        expectError("tcp:65536", "--uart USART1=tcp:65536: expected a port number 1-65535, got '65536'");
        expectError("tcp:localhost:", "--uart USART1=tcp:localhost:: expected a port number 1-65535, got ''");
        expectError("tcp:", "--uart USART1=tcp:: expected tcp:PORT or tcp:HOST:PORT");
        expectError("tcp::4000", "--uart USART1=tcp::4000: expected a host name or address before the port");
        expectError("serial:", "--uart USART1=serial:: expected serial:DEVICE, such as serial:/dev/ttyUSB0");
        expectError("stdio:x", "--uart USART1=stdio:x: expected stdio alone, without ':'");
        expectError("file:", "--uart USART1=file:: expected file:PATH");
        expectError("udp:4000", "--uart USART1=udp:4000: expected tcp:PORT, tcp:HOST:PORT, serial:DEVICE, stdio"
                + " or file:PATH");
        Path missing = dir.resolve("no/such/dir/out.txt");
        expectError("file:" + missing, "--uart USART1=file:" + missing + ": cannot create " + missing
                + ": no such directory");
    }

    @Test
    void aPortInUseIsReported() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> HostBridges.open("tcp:" + port, board(), "USART1", null, null))
                    .isInstanceOf(MachineException.class)
                    .hasMessageStartingWith("--uart USART1=tcp:" + port + ": cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aNamedAddressIsListenedOn() throws Exception {
        try (HostBridge b = HostBridges.open("tcp:127.0.0.2:0", board(), "USART1", null, null)) {
            assertThat(((TcpBridge) b).address().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void fileReceivesWhatTheGuestTransmitsAndTruncatesWhatWasThere() throws Exception {
        Path out = dir.resolve("usart2.log");
        Files.writeString(out, "old contents that must go");
        Board board = board();
        TestUart uart = (TestUart) board.serialPort("USART2");
        try (HostBridge b = HostBridges.open("file:" + out, board, "USART2", null, null)) {
            assertThat(b.inputOpen()).as("a file gives no input").isFalse();
            assertThat(b.inputWaiting()).isFalse();
            assertThat(Files.size(out)).isZero();
            uart.transmit("meter 42\n");
            b.pump();
            uart.transmit("bye");
        }
        assertThat(Files.readString(out, StandardCharsets.ISO_8859_1)).isEqualTo("meter 42\nbye");
    }

    @Test
    void stdioReadsStdinAndWritesStdout() throws Exception {
        Board board = board();
        TestUart uart = (TestUart) board.serialPort("USART1");
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        try (HostBridge b = HostBridges.open("stdio", board, "USART1",
                new java.io.ByteArrayInputStream("typed".getBytes(StandardCharsets.ISO_8859_1)), stdout)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.inputOpen() && System.nanoTime() < deadline) {
                b.awaitInput(100);
            }
            b.pump();
            board.cpu().events().runDue(1_000_000_000L);
            assertThat(uart.receivedText()).isEqualTo("typed");
            uart.transmit("shown");
            b.pump();
            assertThat(stdout.toString(StandardCharsets.ISO_8859_1)).isEqualTo("shown");
        }
    }

    private static void expectError(String spec, String message) {
        assertThatThrownBy(() -> HostBridges.open(spec, board(), "USART1", null, null))
                .as(spec).isInstanceOf(MachineException.class).hasMessage(message);
    }
}
