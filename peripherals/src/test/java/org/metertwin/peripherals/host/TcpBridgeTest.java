package org.metertwin.peripherals.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metertwin.core.serial.SerialFormat;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpBridgeTest {
    final ManualClock clock = new ManualClock();
    final TestUart uart = new TestUart("USART1", clock.events);
    final long frame = SerialFormat.DEFAULT.frameNanos();
    TcpBridge bridge;

    @BeforeEach
    void open() throws Exception {
        bridge = (TcpBridge) HostBridges.open("tcp:0", uart, clock.events, "--uart USART1=tcp:0", null, null);
    }

    @AfterEach
    void close() {
        bridge.close();
    }

    @Test
    void listensOnLoopbackByDefault() {
        assertThat(bridge.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(bridge.address().getPort()).isPositive();
        assertThat(bridge.inputOpen()).as("clients may still come").isTrue();
    }

    @Test
    void clientBytesArriveOneFrameApartAndWaitWhileTheReceiverIsBusy() throws Exception {
        try (Socket client = connect()) {
            client.getOutputStream().write("abc".getBytes(StandardCharsets.ISO_8859_1));
            awaitQueued(3);
            assertThat(bridge.inputWaiting()).isTrue();
            clock.advanceTo(500_000); // host bytes reach the machine only through pump
            assertThat(uart.received).isEmpty();
            bridge.pump();
            long t0 = 500_000;
            clock.advanceTo(t0 + frame);
            assertThat(uart.receivedText()).isEqualTo("a");
            uart.canReceive = false; // data register full
            clock.advanceTo(t0 + 4 * frame + 10);
            assertThat(uart.receivedText()).isEqualTo("a");
            uart.canReceive = true;
            clock.advanceTo(t0 + 20 * frame);
            assertThat(uart.received).containsExactly(new TestUart.Received('a', t0 + frame),
                    new TestUart.Received('b', t0 + 5 * frame), new TestUart.Received('c', t0 + 6 * frame));
            assertThat(bridge.inputWaiting()).isFalse();
        }
    }

    @Test
    void guestBytesReachTheClientAndAreDroppedWhileNoneIsConnected() throws Exception {
        uart.transmit("nobody hears this");
        bridge.pump();
        try (Socket client = connect()) {
            awaitClient();
            uart.transmit("hello");
            bridge.pump();
            assertThat(read(client.getInputStream(), 5)).isEqualTo("hello");
            client.setSoTimeout(200);
            assertThat(client.getInputStream().available()).as("nothing from before the client came").isZero();
        }
    }

    @Test
    void aSecondClientIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (Socket first = connect()) {
            awaitClient();
            try (Socket second = connect()) {
                second.setSoTimeout(5_000);
                assertThat(second.getInputStream().read()).as("refused: closed at once").isEqualTo(-1);
            }
            uart.transmit("still");
            bridge.pump();
            assertThat(read(first.getInputStream(), 5)).isEqualTo("still");
            first.getOutputStream().write('!');
            awaitQueued(1);
            bridge.pump();
            clock.advanceTo(2 * frame);
            assertThat(uart.receivedText()).isEqualTo("!");
        }
        // once the first has gone, another may connect
        awaitNoClient();
        try (Socket third = connect()) {
            awaitClient();
            uart.transmit("again");
            bridge.pump();
            assertThat(read(third.getInputStream(), 5)).isEqualTo("again");
        }
    }

    @Test
    void aClientThatSendsMoreThanTheQueueHoldsLosesNothing() throws Exception {
        byte[] data = new byte[2 * HostInput.CAPACITY + UartBridge.LOCAL + 77];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        try (Socket client = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    out.write(data);
                    out.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            long t = 0;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (uart.received.size() < data.length && System.nanoTime() < deadline) {
                bridge.pump();
                if (clock.events.isEmpty()) {
                    bridge.awaitInput(50);
                }
                t += 1_000_000;
                clock.advanceTo(t);
            }
            writer.join(5_000);
            assertThat(uart.received).hasSize(data.length);
            for (int i = 0; i < data.length; i++) {
                assertThat(uart.received.get(i).data()).isEqualTo(data[i] & 0xFF);
            }
        }
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(bridge.address().getAddress(), bridge.address().getPort()), 5_000);
        s.setSoTimeout(5_000); // a read that never comes fails the test instead of hanging it
        return s;
    }

    private void awaitQueued(int n) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bridge.input.available() < n && System.nanoTime() < deadline) {
            bridge.awaitInput(10);
            Thread.sleep(1);
        }
        assertThat(bridge.input.available()).isEqualTo(n);
    }

    private void awaitClient() throws Exception {
        waitFor(() -> bridge.connected());
    }

    private void awaitNoClient() throws Exception {
        waitFor(() -> !bridge.connected());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private static String read(InputStream in, int n) throws Exception {
        byte[] buf = in.readNBytes(n);
        return new String(buf, StandardCharsets.ISO_8859_1);
    }
}
