package org.metertwin.metering.vbus;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.Simulation;

/**
 * Asks questions over the virtual bus from a {@link VbusPort} (a Java peer at the far end of a serial link),
 * advancing the simulation until the answer comes. It owns no time of its own: waiting for an answer is
 * running the {@link Simulation} (every board's own loop, or gdb's when gdb holds a core). Report frames that
 * arrive in between are kept in {@link #reports()}. Where the port is linked (the metering board's link UART
 * itself, or a management board's host UART) is the {@code ManagementEnd}'s business, not the client's.
 */
public final class VbusClient {
    /** How long to wait for an answer after the request's last byte: the 10 ms the document allows, and slack. */
    public static final long ANSWER_NANOS = 50_000_000L;
    private static final long STEP_NANOS = 1_000_000L;

    private final Simulation simulation;
    private final VbusPort port;
    private final int ownAddress;
    private final int peerAddress;
    private final List<VbusFrame> reports = new ArrayList<>();

    /** The client speaking through {@code port}, whose peer is linked in {@code simulation}. */
    public VbusClient(Simulation simulation, VbusPort port, int ownAddress, int peerAddress) {
        this.simulation = simulation;
        this.port = port;
        this.ownAddress = ownAddress;
        this.peerAddress = peerAddress;
    }

    public VbusPort port() {
        return port;
    }

    /** Sends a request and runs the simulation until the answer comes; an error reply is returned, not thrown. */
    public VbusFrame exchange(VbusFrame request) throws VbusException {
        port.send(request);
        long deadline = Long.MAX_VALUE;
        while (true) {
            long now = simulation.now();
            if (!port.sending() && deadline == Long.MAX_VALUE) {
                deadline = now + ANSWER_NANOS;
            }
            if (now >= deadline) {
                throw new VbusException("no answer to " + describe(request) + " within "
                        + ANSWER_NANOS / 1_000_000 + " ms");
            }
            if (simulation.runUntil(Math.min(deadline, now + STEP_NANOS)) != null) {
                throw new VbusException("the machine stopped (" + simulation.lastStop()
                        + ") while waiting for the answer to " + describe(request));
            }
            for (VbusFrame f; (f = port.poll()) != null; ) {
                if (f.function() == VbusFrame.REPORT && !f.isReply()) {
                    reports.add(f);
                } else if (f.answers(request)) {
                    return f;
                }
            }
        }
    }

    /** A get that must succeed: the value's frame. */
    public VbusFrame get(int dataId) throws VbusException {
        VbusFrame request = VbusFrame.get(ownAddress, peerAddress, dataId);
        VbusFrame reply = exchange(request);
        if (reply.isError()) {
            throw new VbusException(describe(request) + " answered with error 0x"
                    + Integer.toHexString(reply.errorCode()) + " (" + VbusErrors.describe(reply.errorCode()) + ")");
        }
        return reply;
    }

    public List<VbusFrame> reports() {
        return List.copyOf(reports);
    }

    private static String describe(VbusFrame request) {
        String what = switch (request.function()) {
            case VbusFrame.GET -> "get";
            case VbusFrame.SET -> "set";
            case VbusFrame.ACTION -> "action";
            default -> "function " + request.function();
        };
        return what + " " + VbusFrame.dataIdText(request.dataId());
    }
}
