package org.metertwin.core.gdb;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;

/**
 * A gdb remote serial protocol server for one core. Netty's event loop only splits the byte stream into
 * packets and queues them; everything that touches the core happens on the thread that runs it, in
 * {@link #run}, so what the core does never depends on when packets arrive (Ctrl-C is seen between slices
 * of {@link #SLICE} cycles).
 *
 * <p>One client at a time, as QEMU 7.2's stub: a connection that comes while another is served waits, unread,
 * until that one goes. A client that goes without {@code D} or {@code k} (a port probe, a gdb that crashed or
 * used {@code disconnect}) leaves the core as it was: halted stays halted, running runs on, breakpoints stay
 * set (the next client's {@code ?} clears them). {@code D} clears them and resumes the core.
 */
public final class GdbServer implements AutoCloseable {
    /** Cycles run between looks at the queue while the core runs (how late Ctrl-C may land). */
    static final long SLICE = 100_000;
    /** How long a single step may wait for a sleeping core to wake, in cycles. */
    static final long STEP_WAKE_LIMIT = 1_000_000_000L;

    /** What the client did, in arrival order; taken by the core thread. */
    private interface Event {
    }

    private record Connected(Channel channel) implements Event {
    }

    private record Disconnected(Channel channel) implements Event {
    }

    private record Received(Channel channel, RspFrame frame) implements Event {
    }

    private final BlockingQueue<Event> events;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final GdbSession session;
    /** The client the core thread talks to; only the core thread changes it. */
    private Channel client;
    private boolean halted;

    private GdbServer(BlockingQueue<Event> events, EventLoopGroup group, Channel serverChannel, GdbSession session,
                      boolean halted) {
        this.events = events;
        this.group = group;
        this.serverChannel = serverChannel;
        this.session = session;
        this.halted = halted;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port) for gdb. With {@code waitForDebugger} the core stays
     * halted at reset until a client continues it.
     */
    public static GdbServer start(String host, int port, CortexM4 cpu, Runnable systemReset,
                                  boolean waitForDebugger) throws java.io.IOException {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("gdb-server", true));
        GdbSession session = new GdbSession(cpu, systemReset);
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        Turnstile turnstile = new Turnstile(queue);
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new RspDecoder(), new Handler(turnstile, queue));
                        }
                    }).bind(host, port).sync().channel();
            return new GdbServer(queue, group, ch, session, waitForDebugger);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new java.io.IOException("gdb server: cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    // ---------------------------------------------------------------- the core thread

    /**
     * Runs the core to virtual time {@code nanos} as the debugger allows, in its slices: a
     * {@link org.metertwin.core.machine.Simulation.Runner} for a board gdb holds. Stops early on a lockup or
     * a kill; a halt only makes it wait.
     */
    public StopReason runUntil(long nanos) {
        CortexM4 cpu = session.cpu();
        long target = cpu.cycleAt(nanos);
        while (cpu.cycles() < target) {
            StopReason r = run(target - cpu.cycles(), false);
            if (r == StopReason.LOCKUP || r == StopReason.STOP_REQUESTED) {
                return r;
            }
        }
        return StopReason.BUDGET;
    }

    /**
     * Runs the core for at most {@code maxCycles} as the debugger allows: blocks while the core is halted
     * (virtual time stands still), answering the client's packets. Returns what {@link CortexM4#run} would;
     * a halt for the debugger comes back as {@link StopReason#BUDGET}, a kill as
     * {@link StopReason#STOP_REQUESTED} with {@link #killed()} true.
     */
    public StopReason run(long maxCycles) {
        return run(maxCycles, true);
    }

    /**
     * {@code waitWhenAsleep}: a core asleep with nothing to wake it waits a little wall time for the client
     * (a Ctrl-C) before the run goes on, as a stand-alone run must; a board of a simulation does not, since
     * asleep it has only reached the simulation's next instant, and the other boards (which may wake it)
     * must run: waiting there cost 20 ms of wall time per quantum of an idle core.
     */
    private StopReason run(long maxCycles, boolean waitWhenAsleep) {
        while (true) {
            if (session.killed()) {
                return StopReason.STOP_REQUESTED;
            }
            Event e = halted ? take() : events.poll();
            if (e != null) {
                handle(e);
                if (session.killed()) {
                    return StopReason.STOP_REQUESTED;
                }
                if (session.takeRunEnded()) {
                    return session.cpu().isLockedUp() ? StopReason.LOCKUP : StopReason.STOP_REQUESTED;
                }
                continue;
            }
            CortexM4 cpu = session.cpu();
            if (session.takeStepRequest()) {
                StopReason r = cpu.debugStep(STEP_WAKE_LIMIT);
                if (r == StopReason.STOP_REQUESTED || r == StopReason.LOCKUP) {
                    return r;
                }
                halt(session.stopReply(false));
                return r == StopReason.DEBUG_HALT ? StopReason.BUDGET : r;
            }
            if (session.takeStepBeforeContinuing()) { // from a breakpoint or a watchpoint halt: that instruction first
                StopReason r = cpu.debugStep(1);
                if (r == StopReason.DEBUG_HALT) {
                    halt(session.stopReply(false));
                    return StopReason.BUDGET;
                }
                if (r != StopReason.BUDGET) {
                    return r;
                }
            }
            StopReason r = cpu.run(Math.min(maxCycles, SLICE));
            switch (r) {
                case DEBUG_HALT -> {
                    halt(session.stopReply(false));
                    return StopReason.BUDGET;
                }
                case SLEEPING -> { // under a debugger the core waits for Ctrl-C rather than ending the run
                    Event next = waitWhenAsleep ? poll(20) : events.poll();
                    if (next != null) {
                        handle(next);
                    }
                    return session.killed() ? StopReason.STOP_REQUESTED : StopReason.BUDGET;
                }
                default -> {
                    return r;
                }
            }
        }
    }

    /** The client killed the target ({@code k}): the run ends. */
    public boolean killed() {
        return session.killed();
    }

    /** The run ended (guest exit, lockup, limit): tells the client with {@code W} and closes. */
    public void finished(int exitStatus) {
        if (client != null && !session.killed()) {
            send("W" + String.format("%02x", exitStatus & 0xFF));
        }
        close();
    }

    private void handle(Event e) {
        if (e instanceof Connected c) { // the turnstile lets one in at a time
            client = c.channel();
            halted = true; // as QEMU and OpenOCD do: a client connecting halts the core; '?' says why
            session.attached();
        } else if (e instanceof Disconnected d) {
            if (d.channel() == client) {
                // gone without D or k: as in QEMU the core stays as it was (halted or running), and so do the
                // breakpoints; the next client's '?' clears them
                client = null;
            }
        } else if (e instanceof Received r && r.channel() == client) {
            if (r.frame() instanceof RspFrame.Interrupt) {
                if (!halted) {
                    halt(session.stopReply(true));
                }
            } else if (r.frame() instanceof RspFrame.Packet p) {
                halted = true; // gdb only sends packets to a halted target
                String reply = session.execute(p.payload());
                if (reply != null) {
                    send(reply);
                }
                if (session.resumed()) {
                    halted = false;
                }
            }
        }
    }

    private void halt(String stopReply) {
        halted = true;
        send(stopReply);
    }

    private void send(String payload) {
        Channel c = client;
        if (c != null && c.isActive()) {
            byte[] frame = Rsp.frame(payload);
            c.attr(Handler.LAST_REPLY).set(frame);
            c.writeAndFlush(Unpooled.wrappedBuffer(frame));
        }
    }

    private Event take() {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.kill();
            return null;
        }
    }

    private Event poll(long millis) {
        try {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.kill();
            return null;
        }
    }

    @Override
    public void close() {
        serverChannel.close();
        if (client != null) {
            client.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        session.detachedForGood();
    }

    // ---------------------------------------------------------------- Netty's side

    /**
     * Lets one client in at a time, as QEMU's stub does: a connection that arrives while another is served is
     * not read (its bytes wait in the socket) until the one before it has gone, then it is served as if it had
     * just connected. A probe that connects and closes therefore never turns away the gdb that comes next.
     * Only the event loop's one thread calls it.
     */
    private static final class Turnstile {
        private final BlockingQueue<Event> events;
        private final java.util.ArrayDeque<Channel> waiting = new java.util.ArrayDeque<>();
        private Channel current;

        Turnstile(BlockingQueue<Event> events) {
            this.events = events;
        }

        void arrived(Channel c) {
            if (current == null) {
                admit(c);
            } else {
                c.config().setAutoRead(false);
                waiting.add(c);
            }
        }

        void left(Channel c) {
            if (c != current) {
                waiting.remove(c); // gave up waiting
                return;
            }
            current = null;
            events.add(new Disconnected(c));
            for (Channel next; (next = waiting.poll()) != null; ) {
                if (next.isActive()) {
                    admit(next);
                    return;
                }
            }
        }

        private void admit(Channel c) {
            current = c;
            events.add(new Connected(c));
            c.config().setAutoRead(true); // reads what it sent while it waited
        }
    }

    /** Acks packets, answers '-' to bad ones and queues the rest for the core thread. */
    private static final class Handler extends SimpleChannelInboundHandler<RspFrame> {
        static final io.netty.util.AttributeKey<byte[]> LAST_REPLY = io.netty.util.AttributeKey.valueOf("lastReply");
        private final Turnstile turnstile;
        private final BlockingQueue<Event> events;

        Handler(Turnstile turnstile, BlockingQueue<Event> events) {
            this.turnstile = turnstile;
            this.events = events;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            turnstile.arrived(ctx.channel()); // before Netty's first read: a waiting client is not read
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            turnstile.left(ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RspFrame frame) {
            if (frame instanceof RspFrame.Rejected) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'-'}));
            } else if (frame instanceof RspFrame.Nack) {
                byte[] last = ctx.channel().attr(LAST_REPLY).get();
                if (last != null) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(last));
                }
            } else {
                if (frame instanceof RspFrame.Packet) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'+'}));
                }
                events.add(new Received(ctx.channel(), frame));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken connection: the core thread hears of it through channelInactive
        }
    }
}
