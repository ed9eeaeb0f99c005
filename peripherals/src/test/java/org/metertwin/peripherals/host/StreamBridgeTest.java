package org.metertwin.peripherals.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metertwin.core.serial.SerialFormat;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StreamBridgeTest {
    final ManualClock clock = new ManualClock();
    final TestUart uart = new TestUart("USART1", clock.events);
    final long frame = SerialFormat.DEFAULT.frameNanos();

    @Test
    void preloadedInputArrivesOneFrameApartFromTheFirstPump() {
        try (StreamBridge b = StreamBridge.preloaded(uart, clock.events, bytes("abc"), null)) {
            assertThat(b.inputOpen()).as("all input is known").isFalse();
            assertThat(b.inputWaiting()).isTrue();
            clock.advanceTo(1_000_000);
            assertThat(uart.received).as("nothing before the first pump").isEmpty();
            b.pump();
            clock.advanceTo(1_000_000 + 10 * frame);
            assertThat(uart.received).containsExactly(new TestUart.Received('a', 1_000_000 + frame),
                    new TestUart.Received('b', 1_000_000 + 2 * frame), new TestUart.Received('c', 1_000_000 + 3 * frame));
            assertThat(b.inputWaiting()).isFalse();
            assertThat(clock.events.isEmpty()).as("no event left once all is delivered").isTrue();
        }
    }

    @Test
    void aCharacterIsHeldWhileTheReceiverCannotTakeIt() {
        uart.canReceive = false;
        try (StreamBridge b = StreamBridge.preloaded(uart, clock.events, bytes("xy"), null)) {
            b.pump();
            clock.advanceTo(5 * frame + frame / 2);
            assertThat(uart.received).isEmpty();
            assertThat(b.inputWaiting()).isTrue();
            uart.canReceive = true; // the firmware enabled its receiver or read the data register
            clock.advanceTo(20 * frame);
            // offered again every frame: the next offer after the receiver is free takes it
            assertThat(uart.received).containsExactly(new TestUart.Received('x', 6 * frame),
                    new TestUart.Received('y', 7 * frame));
        }
    }

    @Test
    void paceFollowsTheUartsFormat() {
        uart.format = new SerialFormat(9600, 8, SerialFormat.Parity.EVEN, 4); // 12 bits a character
        long slow = uart.format.frameNanos();
        assertThat(slow).isEqualTo(1_250_000);
        try (StreamBridge b = StreamBridge.preloaded(uart, clock.events, bytes("12"), null)) {
            b.pump();
            clock.advanceTo(10 * slow);
            assertThat(uart.received).extracting(TestUart.Received::nanos).containsExactly(slow, 2 * slow);
        }
    }

    @Test
    void guestOutputIsWrittenThroughAndFlushedAtPump() {
        int[] flushes = {0};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        StreamBridge b = StreamBridge.live(uart, clock.events, null, out);
        assertThat(b.inputOpen()).as("no input stream").isFalse();
        uart.transmit("hi\n");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hi\n");
        b.pump();
        b.pump();
        assertThat(flushes[0]).as("flushed once: nothing new at the second pump").isEqualTo(1);
        b.close();
        uart.transmit("lost");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("closed: the transmitter is disconnected")
                .isEqualTo("hi\n");
    }

    @Test
    void liveInputComesThroughAReaderThreadAndEndsAtEndOfStream() throws Exception {
        try (StreamBridge b = StreamBridge.live(uart, clock.events, new ByteArrayInputStream(bytes("ok")), null)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.inputOpen() && System.nanoTime() < deadline) {
                b.awaitInput(100);
            }
            assertThat(b.inputOpen()).as("end of stream seen").isFalse();
            assertThat(b.inputWaiting()).isTrue();
            b.pump();
            clock.advanceTo(10 * frame);
            assertThat(uart.receivedText()).isEqualTo("ok");
        }
    }

    @Test
    void awaitInputWaitsForInputOrTimesOut() throws Exception {
        PipedOutputStream host = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(host);
        try (StreamBridge b = StreamBridge.live(uart, clock.events, in, null)) {
            long t0 = System.nanoTime();
            b.awaitInput(100);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(90_000_000L);
            assertThat(b.inputOpen()).isTrue();
            assertThat(b.inputWaiting()).isFalse();
            host.write('z');
            host.flush();
            t0 = System.nanoTime();
            while (!b.inputWaiting()) {
                b.awaitInput(5_000);
            }
            assertThat(System.nanoTime() - t0).isLessThan(4_000_000_000L);
            host.close();
        }
    }

    @Test
    void noByteIsLostWhenTheHostSendsFarMoreThanTheQueuesHold() throws Exception {
        byte[] data = new byte[3 * HostInput.CAPACITY + 123];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 7);
        }
        try (StreamBridge b = StreamBridge.live(uart, clock.events, new ByteArrayInputStream(data), null)) {
            // a run loop: slices of 100 us, pumping between them, waiting for host input when idle
            long t = 0;
            while (b.inputOpen() || b.inputWaiting()) {
                b.pump();
                if (clock.events.isEmpty() && b.inputOpen()) {
                    b.awaitInput(100);
                }
                t += 100_000;
                clock.advanceTo(t);
            }
            assertThat(uart.received).hasSize(data.length);
            for (int i = 0; i < data.length; i++) {
                assertThat(uart.received.get(i).data()).isEqualTo(data[i] & 0xFF);
            }
            for (int i = 1; i < data.length; i++) {
                assertThat(uart.received.get(i).nanos() - uart.received.get(i - 1).nanos())
                        .as("never closer than a frame").isGreaterThanOrEqualTo(frame);
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
