package org.metertwin.metering.vbus;

import java.util.ArrayDeque;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * A virtual-bus endpoint written in Java, wired to a UART of an emulated machine as the far end of its
 * serial line: what it sends reaches the UART's receiver one character per character time (115200 8N1, as
 * docs/virtual-bus.md fixes), and what the UART transmits is parsed into frames. Everything happens on the
 * machine's own event queue, so a run is deterministic. The scenario runner uses it as the management core's
 * side of the link; tests use it to talk to metering firmware.
 */
public final class VbusPort {
    public static final SerialFormat LINE = SerialFormat.DEFAULT;

    private final SerialPort uart;
    private final EventQueue events;
    private final Event nextCharacter;
    private final ArrayDeque<Byte> outgoing = new ArrayDeque<>();
    private final ArrayDeque<VbusFrame> received = new ArrayDeque<>();
    private final VbusFrameReader reader = new VbusFrameReader();
    private long lastSentNanos = Long.MIN_VALUE;

    public VbusPort(SerialPort uart, EventQueue events) {
        this.uart = uart;
        this.events = events;
        this.nextCharacter = events.event("vbus " + uart.name(), this::deliver);
        uart.connectTransmitter((data, format) -> {
            VbusFrame f = reader.accept(data & 0xFF, events.now());
            if (f != null) {
                received.add(f);
            }
        });
    }

    public VbusFrameReader reader() {
        return reader;
    }

    /** Starts sending a frame after whatever is still on its way; its bytes arrive at the line rate. */
    public void send(VbusFrame frame) {
        sendRaw(frame.encode());
    }

    /** Sends bytes as they are (for tests of damaged frames). */
    public void sendRaw(byte[] bytes) {
        for (byte b : bytes) {
            outgoing.add(b);
        }
        if (!nextCharacter.isScheduled()) {
            long start = Math.max(events.now(), lastSentNanos);
            events.schedule(nextCharacter, start + LINE.frameNanos());
        }
    }

    private void deliver(long when) {
        lastSentNanos = when;
        uart.receiver().receive(outgoing.poll() & 0xFF, LINE);
        if (!outgoing.isEmpty()) {
            events.schedule(nextCharacter, when + LINE.frameNanos());
        }
    }

    /** Whether bytes are still on their way to the UART. */
    public boolean sending() {
        return !outgoing.isEmpty();
    }

    /** The oldest frame received and not yet taken, or null. */
    public VbusFrame poll() {
        return received.poll();
    }

    public boolean hasReceived() {
        return !received.isEmpty();
    }
}
