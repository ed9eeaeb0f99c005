package org.metertwin.metering.vbus;

import java.util.ArrayDeque;
import org.metertwin.core.machine.LinkPeer;
import org.metertwin.core.serial.SerialFormat;

/**
 * A virtual-bus endpoint written in Java: a {@link LinkPeer} at the far end of a serial link from a board's
 * UART, speaking frames. What it sends leaves one character per character time (115200 8N1, as
 * docs/virtual-bus.md fixes) on the peer's timeline; what arrives over the link is parsed into frames at the
 * arrival times. The simulation advances the peer with the boards, so a run is deterministic.
 */
public final class VbusPort {
    public static final SerialFormat LINE = SerialFormat.DEFAULT;

    private final LinkPeer peer;
    private final ArrayDeque<VbusFrame> received = new ArrayDeque<>();
    private final VbusFrameReader reader = new VbusFrameReader();

    /** The endpoint on {@code peer}; link the peer to a board's UART ({@code Simulation.link}) to use it. */
    public VbusPort(LinkPeer peer) {
        this.peer = peer;
        peer.onReceive((data, format) -> {
            VbusFrame f = reader.accept(data & 0xFF, peer.now());
            if (f != null) {
                received.add(f);
            }
        });
    }

    /** A new peer at 115200 8N1 called {@code name}, with its endpoint. */
    public static VbusPort create(String name) {
        return new VbusPort(new LinkPeer(name, LINE));
    }

    public LinkPeer peer() {
        return peer;
    }

    public VbusFrameReader reader() {
        return reader;
    }

    /** Starts sending a frame after whatever is still on its way; its bytes leave at the line rate. */
    public void send(VbusFrame frame) {
        sendRaw(frame.encode());
    }

    /** Sends bytes as they are (for tests of damaged frames). */
    public void sendRaw(byte[] bytes) {
        for (byte b : bytes) {
            peer.transmit(b & 0xFF);
        }
    }

    /** Whether bytes are still on their way out. */
    public boolean sending() {
        return peer.transmitting();
    }

    /** The oldest frame received and not yet taken, or null. */
    public VbusFrame poll() {
        return received.poll();
    }

    public boolean hasReceived() {
        return !received.isEmpty();
    }
}
