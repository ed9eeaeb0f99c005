package org.metertwin.core.machine;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.serial.SerialPort;

/**
 * Several machines advancing together in quanta of virtual time (default 100 µs). In each quantum every
 * machine runs on its own up to the quantum's end; then characters sent over {@link SerialLink}s are handed
 * to their receivers. Nothing a machine does within a quantum depends on another machine's progress in
 * that quantum, so the result is the same whatever order, or thread, the machines run in.
 *
 * <p>When every machine sleeps and no character is in flight, the simulation jumps straight to the
 * earliest next event of any machine: idle time costs no quanta.
 */
public final class Simulation {
    public static final long DEFAULT_QUANTUM_NANOS = 100_000;

    private final List<Board> machines = new ArrayList<>();
    private final List<SerialLink> links = new ArrayList<>();
    private final long quantum;
    private long now;
    private int[] order;
    private LinkTrace trace;

    /** Hears every character delivered over a link: link name, virtual arrival time, value. */
    @FunctionalInterface
    public interface LinkTrace {
        void arrived(String link, long when, int data);
    }

    public Simulation(long quantumNanos) {
        if (quantumNanos <= 0) {
            throw new IllegalArgumentException("quantum must be positive");
        }
        this.quantum = quantumNanos;
    }

    public void add(Board machine) {
        for (Board m : machines) {
            if (m.name().equals(machine.name())) {
                throw new IllegalArgumentException("two machines called " + machine.name());
            }
        }
        machines.add(machine);
        order = null;
    }

    public List<Board> machines() {
        return List.copyOf(machines);
    }

    public Board machine(String name) {
        for (Board m : machines) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** A two-way serial line between two UARTs. */
    public void link(Board a, String portA, Board b, String portB) throws MachineException {
        SerialPort pa = port(a, portA);
        SerialPort pb = port(b, portB);
        SerialLink ab = new SerialLink(a.name() + "/" + portA + "->" + b.name() + "/" + portB,
                a.cpu().events(), pb, b.cpu().events());
        SerialLink ba = new SerialLink(b.name() + "/" + portB + "->" + a.name() + "/" + portA,
                b.cpu().events(), pa, a.cpu().events());
        pa.connectTransmitter(ab);
        pb.connectTransmitter(ba);
        links.add(ab);
        links.add(ba);
        if (trace != null) {
            ab.observe(trace::arrived);
            ba.observe(trace::arrived);
        }
    }

    /** Connects the links the machines' descriptions declare ({@code links: [{port, to: MACHINE/PORT}]}). */
    public void linkFromDescriptions() throws MachineException {
        for (Board a : machines) {
            for (MachineDescription.Link l : a.description().links()) {
                Board b = machine(l.toMachine());
                if (b == null) {
                    throw new MachineException(a.name() + ": links: no machine called '" + l.toMachine()
                            + "' in this simulation");
                }
                if (machines.indexOf(b) > machines.indexOf(a) || !declaresBack(b, l, a)) {
                    link(a, l.port(), b, l.toPort());
                }
            }
        }
    }

    private static boolean declaresBack(Board b, MachineDescription.Link l, Board a) {
        for (MachineDescription.Link back : b.description().links()) {
            if (back.toMachine().equals(a.name()) && back.port().equals(l.toPort()) && back.toPort().equals(l.port())) {
                return true;
            }
        }
        return false;
    }

    private static SerialPort port(Board m, String name) throws MachineException {
        SerialPort p = m.serialPort(name);
        if (p == null) {
            throw new MachineException(m.name() + ": links: no UART called '" + name + "' (UARTs: "
                    + String.join(", ", m.serialPortNames()) + ")");
        }
        return p;
    }

    public void setLinkTrace(LinkTrace t) {
        this.trace = t;
        for (SerialLink l : links) {
            l.observe(t::arrived);
        }
    }

    /** The order machines run in within a quantum, as indices into {@link #machines()} (for tests). */
    public void setOrder(int... permutation) {
        this.order = permutation.clone();
    }

    /** The virtual time every machine has reached. */
    public long now() {
        return now;
    }

    public long quantumNanos() {
        return quantum;
    }

    /**
     * Advances every machine to {@code nanos}. Returns the first machine that stopped for a reason other
     * than reaching the time (lockup, a stop request), or null.
     */
    public Board runUntil(long nanos) {
        while (now < nanos) {
            long end = Math.min(nanos, now + quantum);
            if (allIdle()) {
                long next = Long.MAX_VALUE;
                for (Board m : machines) {
                    next = Math.min(next, m.cpu().nextEventNanos());
                }
                end = Math.min(nanos, Math.max(end, next));
            }
            for (int i = 0; i < machines.size(); i++) {
                Board m = machines.get(order == null ? i : order[i]);
                StopReason r = m.runUntil(end);
                if (r == StopReason.LOCKUP || r == StopReason.STOP_REQUESTED || r == StopReason.DEBUG_HALT) {
                    return m;
                }
            }
            for (SerialLink l : links) {
                l.handOver();
            }
            now = end;
        }
        return null;
    }

    private boolean allIdle() {
        for (Board m : machines) {
            if (!m.cpu().isSleeping()) {
                return false;
            }
        }
        for (SerialLink l : links) {
            if (!l.idle()) {
                return false;
            }
        }
        return true;
    }
}
