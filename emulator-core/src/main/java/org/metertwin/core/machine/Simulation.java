package org.metertwin.core.machine;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;

/**
 * The one owner of virtual time in a run: every board, every Java peer (a stand-in for a core, a protocol
 * client) and the run's timeline of actions (a scenario's mains and load changes, its progress line) advance
 * only through {@link #runUntil}. A run of one board is a simulation of one.
 *
 * <p>With serial links between boards, time advances in quanta (default 100 µs): in each quantum every
 * board runs on its own up to the quantum's end; then characters sent over {@link SerialLink}s are handed to
 * their receivers. Nothing a board does within a quantum depends on another board's progress in that
 * quantum, so the result is the same whatever order, or thread, the boards run in. When every board sleeps
 * and no character is in flight, the simulation jumps straight to the earliest next event of any board.
 * Without links nothing needs quanta: boards run straight to the next action or the end.
 *
 * <p>A board runs through its {@link Runner}, by default its own loop; a debugger that holds the core
 * ({@link #hold}) is such a runner: while it blocks, the whole simulation, and so virtual time, stands still.
 */
public final class Simulation {
    public static final long DEFAULT_QUANTUM_NANOS = 100_000;

    private final List<Board> machines = new ArrayList<>();
    private final java.util.Map<Board, Runner> runners = new java.util.IdentityHashMap<>();
    private final List<Peer> peers = new ArrayList<>();
    private final List<SerialLink> links = new ArrayList<>();
    private final List<LinkPeer> linkPeers = new ArrayList<>();
    private final java.util.PriorityQueue<Action> timeline = new java.util.PriorityQueue<>();
    private final long quantum;
    private long now;
    private long actionsScheduled;
    private StopReason lastStop = StopReason.BUDGET;
    private int[] order;
    private LinkTrace trace;

    /** Hears every character delivered over a link: link name, virtual arrival time, value. */
    @FunctionalInterface
    public interface LinkTrace {
        void arrived(String link, long when, int data);
    }

    /** Runs one board to a virtual time: the board's own loop, or a debugger's that may hold it. */
    @FunctionalInterface
    public interface Runner {
        StopReason runUntil(long nanos);
    }

    /** A participant that is not a board (a Java stand-in on a link, a test's recorder): told each step's end. */
    @FunctionalInterface
    public interface Peer {
        void advanceTo(long nanos);
    }

    /** Something to do at a virtual instant, in the order scheduled among actions of the same instant. */
    private record Action(long at, long sequence, Runnable what) implements Comparable<Action> {
        @Override
        public int compareTo(Action o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(sequence, o.sequence);
        }
    }

    public Simulation(long quantumNanos) {
        this(quantumNanos, 0);
    }

    /** A simulation whose time starts at {@code startNanos} (that of boards built and run before it). */
    public Simulation(long quantumNanos, long startNanos) {
        if (quantumNanos <= 0) {
            throw new IllegalArgumentException("quantum must be positive");
        }
        this.quantum = quantumNanos;
        this.now = startNanos;
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

    /** Adds a participant that is not a board. */
    public void addPeer(Peer peer) {
        peers.add(peer);
    }

    /** From now on {@code machine} runs through {@code runner} (a debugger holding its core). */
    public void hold(Board machine, Runner runner) {
        runners.put(machine, runner);
    }

    /** {@code machine} runs through its own loop again. */
    public void release(Board machine) {
        runners.remove(machine);
    }

    /**
     * Does {@code action} when virtual time reaches {@code nanos} (at once, on the next {@link #runUntil},
     * when that time has passed): before any board runs past it, after those of the same instant scheduled
     * before it.
     */
    public void at(long nanos, Runnable action) {
        timeline.add(new Action(nanos, actionsScheduled++, action));
    }

    /** Why the board that stopped the last {@link #runUntil} stopped (BUDGET when none did). */
    public StopReason lastStop() {
        return lastStop;
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
        wire(port(a, portA), a.name() + "/" + portA, a.cpu().events(),
                port(b, portB), b.name() + "/" + portB, b.cpu().events());
    }

    /**
     * A two-way serial line between {@code board}'s UART {@code port} and a Java participant: the peer's time
     * starts at the simulation's present, and from then on the simulation advances it with the boards. The
     * line is the same {@link SerialLink} as between two boards' UARTs, so a board cannot tell a peer from
     * another board.
     */
    public void link(Board board, String port, LinkPeer peer) throws MachineException {
        SerialPort pb = port(board, port);
        peer.join(now);
        wire(pb, board.name() + "/" + port, board.cpu().events(), peer.port(), peer.name(), peer.events());
        linkPeers.add(peer);
    }

    /** The two directions of one serial line: each end's transmitter feeds a link into the other end. */
    private void wire(SerialPort pa, String nameA, EventQueue eventsA, SerialPort pb, String nameB,
            EventQueue eventsB) {
        SerialLink ab = new SerialLink(nameA + "->" + nameB, eventsA, pb, eventsB);
        SerialLink ba = new SerialLink(nameB + "->" + nameA, eventsB, pa, eventsA);
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

    /** The virtual time every board, peer and the timeline have reached. */
    public long now() {
        return now;
    }

    public long quantumNanos() {
        return quantum;
    }

    /**
     * Advances every board, peer and the timeline to {@code nanos}. Returns the first board that stopped for
     * a reason other than reaching the time (lockup, a stop request, a debugger's halt; see
     * {@link #lastStop}), or null.
     */
    public Board runUntil(long nanos) {
        lastStop = StopReason.BUDGET;
        while (true) {
            while (!timeline.isEmpty() && timeline.peek().at() <= now) {
                timeline.poll().what().run();
            }
            if (now >= nanos) {
                return null;
            }
            long end = timeline.isEmpty() ? nanos : Math.min(nanos, timeline.peek().at());
            if (!links.isEmpty()) {
                long stepEnd = Math.min(end, now + quantum);
                if (allIdle()) {
                    long next = Long.MAX_VALUE;
                    for (Board m : machines) {
                        next = Math.min(next, m.cpu().nextEventNanos());
                    }
                    for (LinkPeer p : linkPeers) {
                        next = Math.min(next, p.nextEventNanos());
                    }
                    stepEnd = Math.min(end, Math.max(stepEnd, next));
                }
                end = stepEnd;
            }
            // Java peers first: what they transmit up to the step's end is known now, so it reaches the boards at
            // its stamped time; then the boards; what the boards sent is delivered to the peers at the end
            for (LinkPeer p : linkPeers) {
                p.advanceTo(end);
            }
            handOver();
            for (int i = 0; i < machines.size(); i++) {
                Board m = machines.get(order == null ? i : order[i]);
                Runner runner = runners.get(m);
                StopReason r = runner == null ? m.runUntil(end) : runner.runUntil(end);
                if (r == StopReason.LOCKUP || r == StopReason.STOP_REQUESTED || r == StopReason.DEBUG_HALT) {
                    lastStop = r;
                    return m;
                }
            }
            for (Peer p : peers) {
                p.advanceTo(end);
            }
            handOver();
            for (LinkPeer p : linkPeers) {
                p.advanceTo(end);
            }
            now = end;
        }
    }

    private void handOver() {
        for (SerialLink l : links) {
            l.handOver();
        }
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
