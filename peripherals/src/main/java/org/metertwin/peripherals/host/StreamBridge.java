package org.metertwin.peripherals.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UART connected to a pair of streams: the process's stdin/stdout ({@code stdio}), an output file
 * ({@code file:PATH}, no input), or in tests a file of input and a console buffer.
 *
 * <p>Input is read either by a daemon reader thread as it comes ({@link #live}: a terminal, a pipe; the
 * thread blocks in {@code read}, so a terminal's stdin is never closed by the bridge) or, for input known in
 * advance, all at once when the bridge opens ({@link #preloaded}), so that it reaches the guest at the same
 * virtual times on every run. Output is written through to the stream as the guest transmits, keeping its
 * order with whatever else writes to the same stream (semihosting on a shared console), and flushed at
 * every {@link #pump} and at {@link #close}.
 */
public final class StreamBridge extends UartBridge {
    private static final Logger LOG = LoggerFactory.getLogger(StreamBridge.class);

    private final InputStream in;
    private final OutputStream out;
    private final boolean ownsStreams;
    private final Thread reader;
    private boolean dirty;
    private boolean outputFailed;

    private StreamBridge(SerialPort port, EventQueue events, InputStream in, byte[] preloaded, OutputStream out,
                         boolean ownsStreams) {
        super(port, events);
        this.in = in;
        this.out = out == null ? OutputStream.nullOutputStream() : out;
        this.ownsStreams = ownsStreams;
        if (in != null) {
            reader = new Thread(this::read, "metertwin " + port.name() + " input");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
            if (preloaded != null) {
                input.offer(preloaded, 0, preloaded.length);
            }
            input.end();
        }
        connectTransmitter();
    }

    /**
     * Reads {@code in} on a reader thread as input comes; neither stream is closed by {@link #close} (the
     * process's stdin and stdout). A null {@code in} means no input.
     */
    public static StreamBridge live(SerialPort port, EventQueue events, InputStream in, OutputStream out) {
        return new StreamBridge(port, events, in, null, out, false);
    }

    /** Input known in advance, queued now; {@code out} (null: discarded) is not closed by {@link #close}. */
    public static StreamBridge preloaded(SerialPort port, EventQueue events, byte[] input, OutputStream out) {
        return new StreamBridge(port, events, null, input, out, false);
    }

    /** Output only, to a stream the bridge owns and closes (an output file). */
    public static StreamBridge output(SerialPort port, EventQueue events, OutputStream out) {
        return new StreamBridge(port, events, null, null, out, true);
    }

    private void read() {
        byte[] buf = new byte[1024];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0 || !input.put(buf, 0, n)) {
                    break;
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: reading host input failed: {}", port.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            input.end();
        }
    }

    @Override
    protected void transmit(int data) {
        if (outputFailed) {
            return;
        }
        try {
            out.write(data);
            dirty = true;
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    protected void flushOutput() {
        if (dirty && !outputFailed) {
            dirty = false;
            try {
                out.flush();
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    private void failed(IOException e) {
        outputFailed = true;
        LOG.warn("{}: writing output failed, further output is dropped: {}", port.name(), e.getMessage());
    }

    @Override
    protected void closeHost() {
        if (reader != null) {
            reader.interrupt(); // a thread blocked in read() stays so until input comes; it is a daemon
        }
        if (ownsStreams) {
            try {
                out.close();
            } catch (IOException e) {
                failed(e);
            }
        }
    }
}
