package org.metertwin.core.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A minimal gdb client over a raw socket for tests: sends packets, reads '+'/'-' and replies. */
final class RspClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String s) throws IOException {
        sendRaw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a packet, expects '+', returns the reply's payload. */
    String ask(String payload) throws IOException {
        send(payload);
        return reply();
    }

    void send(String payload) throws IOException {
        sendRaw(Rsp.frame(payload));
        int ack = in.read();
        if (ack != '+') {
            throw new IOException("expected '+', got " + ack);
        }
    }

    /** The next byte that is not part of a packet ('+' or '-'). */
    int readAck() throws IOException {
        return in.read();
    }

    /** Reads one reply packet, checks its checksum, acks it and returns the payload. */
    String reply() throws IOException {
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
        } while (b != '$');
        StringBuilder sb = new StringBuilder();
        int sum = 0;
        while ((b = in.read()) != '#') {
            if (b < 0) {
                throw new IOException("connection closed in a packet");
            }
            sum += b;
            sb.append((char) b);
        }
        int cs = Integer.parseInt("" + (char) in.read() + (char) in.read(), 16);
        if (cs != (sum & 0xFF)) {
            throw new IOException("bad checksum in reply " + sb);
        }
        String payload = sb.toString();
        try {
            out.write('+');
            out.flush();
        } catch (IOException e) {
            // after an exit reply (W, X) the server may close before the ack arrives, as gdbserver does
            if (!payload.startsWith("W") && !payload.startsWith("X")) {
                throw e;
            }
        }
        return payload;
    }

    /** True when nothing arrives within {@code millis}. */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    /** Reads and drops whatever arrives within {@code millis}. */
    void drain(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (in.read() >= 0) {
                // dropped
            }
        } catch (SocketTimeoutException e) {
            // quiet now
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
