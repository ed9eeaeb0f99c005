package org.metertwin.peripherals.host;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UART served on a TCP port as a raw byte stream (nc, socat, a terminal program in raw mode; telnet
 * would send its option negotiation as data). One client at a time: while one is connected, another is
 * refused (its connection closed at once, with a log line), so a stray connection cannot take the console
 * from a session in use. Bytes the guest transmits while no client is connected are dropped, as they are
 * on a UART whose TX line is not wired; so are bytes the client is too slow to read once more than
 * Netty's write buffer (64 KiB) waits for it, since the emulation must not wait for a client. Bytes from
 * the client are never dropped: reading pauses while the bridge's input queue is full.
 *
 * <p>One Netty event loop thread (a daemon) accepts and reads; the emulation thread collects transmitted
 * bytes and hands them to Netty at each {@link #pump}, or sooner when many accumulate.
 */
public final class TcpBridge extends UartBridge {
    private static final Logger LOG = LoggerFactory.getLogger(TcpBridge.class);
    /** Transmitted bytes gathered before writing without waiting for the next pump. */
    private static final int OUT_CHUNK = 4096;

    private final EventLoopGroup group;
    private final Channel server;
    private final InetSocketAddress address;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** The connected client, or null; set on the event loop, read on the emulation thread. */
    private volatile Channel client;
    private boolean warnedUnwritable;

    /**
     * Listens on {@code bind} (port 0: any free port, see {@link #address()}).
     *
     * @throws Exception when the address cannot be bound (in use, not local)
     */
    public TcpBridge(SerialPort port, EventQueue events, InetSocketAddress bind) throws Exception {
        super(port, events);
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("metertwin-" + port.name() + "-tcp", true));
        try {
            ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accept(ch);
                        }
                    })
                    .bind(bind).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw bound.cause() instanceof Exception e ? e : new Exception(bound.cause());
            }
            server = bound.channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        address = (InetSocketAddress) server.localAddress();
        input.onSpace(() -> {
            Channel c = client;
            if (c != null && !c.config().isAutoRead()) {
                c.config().setAutoRead(true);
            }
        });
        connectTransmitter();
        LOG.info("{}: waiting for a TCP client on {}:{}", port.name(), address.getHostString(), address.getPort());
    }

    /** The address it listens on (the bound port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** True while a client is connected. */
    public boolean connected() {
        Channel c = client;
        return c != null && c.isActive();
    }

    /** Runs on the event loop: the only thread that sets {@link #client}. */
    private void accept(SocketChannel ch) {
        Channel current = client;
        if (current != null && current.isActive()) {
            LOG.warn("{}: refused TCP client {}: {} is already connected (one client at a time)", port.name(),
                    ch.remoteAddress(), current.remoteAddress());
            ch.close();
            return;
        }
        client = ch;
        LOG.info("{}: TCP client {} connected", port.name(), ch.remoteAddress());
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    input.offer(bytes, 0, bytes.length);
                } finally {
                    buf.release();
                }
                if (input.full()) {
                    ctx.channel().config().setAutoRead(false); // resumed by the space listener
                    if (!input.full()) {
                        ctx.channel().config().setAutoRead(true); // the emulation took some meanwhile
                    }
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (client == ctx.channel()) {
                    client = null;
                }
                LOG.info("{}: TCP client {} disconnected", port.name(), ctx.channel().remoteAddress());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.warn("{}: TCP client {}: {}", port.name(), ctx.channel().remoteAddress(), cause.getMessage());
                ctx.close();
            }
        });
    }

    @Override
    protected void transmit(int data) {
        Channel c = client;
        if (c == null) {
            return; // no client: nothing on the other end of the line
        }
        pending.write(data);
        if (pending.size() >= OUT_CHUNK) {
            flushOutput();
        }
    }

    @Override
    protected void flushOutput() {
        if (pending.size() == 0) {
            return;
        }
        Channel c = client;
        if (c != null && c.isActive()) {
            if (c.isWritable()) {
                warnedUnwritable = false;
                c.writeAndFlush(Unpooled.wrappedBuffer(pending.toByteArray()));
            } else if (!warnedUnwritable) {
                warnedUnwritable = true;
                LOG.warn("{}: TCP client {} is not reading; dropping output until it does", port.name(),
                        c.remoteAddress());
            }
        }
        pending.reset();
    }

    /** The server stays open for new clients until closed. */
    @Override
    public boolean inputOpen() {
        return server.isOpen() && super.inputOpen();
    }

    @Override
    protected void closeHost() {
        Channel c = client;
        if (c != null) {
            c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
