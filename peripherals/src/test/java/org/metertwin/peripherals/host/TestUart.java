package org.metertwin.peripherals.host;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.serial.SerialSink;
import org.metertwin.core.time.EventQueue;

/**
 * A stand-in UART for bridge tests: records what it receives and when (virtual time), refuses input while
 * {@link #canReceive} is false, and transmits what the test tells it to. Also a device type,
 * {@code test-uart}, for boards built in tests (src/test/resources/host/uart-board.yaml).
 */
public final class TestUart implements SerialPort {
    public record Received(int data, long nanos) {
    }

    private final String name;
    private final EventQueue events;
    private SerialSink transmitter = SerialSink.NONE;
    public SerialFormat format = SerialFormat.DEFAULT;
    public boolean canReceive = true;
    public final List<Received> received = new ArrayList<>();

    public TestUart(String name, EventQueue events) {
        this.name = name;
        this.events = events;
    }

    /** The guest transmits {@code data}: its stop bit ends now. */
    public void transmit(int data) {
        transmitter.receive(data, format);
    }

    public void transmit(String text) {
        for (char c : text.toCharArray()) {
            transmit(c);
        }
    }

    public String receivedText() {
        StringBuilder sb = new StringBuilder();
        received.forEach(r -> sb.append((char) r.data()));
        return sb.toString();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void connectTransmitter(SerialSink sink) {
        transmitter = sink;
    }

    @Override
    public SerialSink receiver() {
        return (data, f) -> {
            if (!canReceive) {
                throw new AssertionError("a character was delivered while the receiver could not take it");
            }
            received.add(new Received(data, events.now()));
        };
    }

    @Override
    public SerialFormat format() {
        return format;
    }

    @Override
    public boolean canReceive() {
        return canReceive;
    }

    /** {@code test-uart}: a {@link TestUart} on the board's event queue. */
    public static final class Type implements DeviceType {
        @Override
        public String type() {
            return "test-uart";
        }

        @Override
        public String description() {
            return "a UART stand-in for host bridge tests";
        }

        @Override
        public Object create(DeviceContext context) {
            return new TestUart(context.name(), context.events());
        }
    }
}
