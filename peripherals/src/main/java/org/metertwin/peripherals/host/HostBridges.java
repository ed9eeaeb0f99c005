package org.metertwin.peripherals.host;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.serial.HostBridge;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;

/**
 * Opens the host connection of a UART from the text of {@code --uart NAME=SPEC}:
 * <ul>
 * <li>{@code tcp:PORT} or {@code tcp:HOST:PORT}: a TCP server ({@link TcpBridge}) on 127.0.0.1 unless an
 * address is named ({@code tcp:0.0.0.0:4000} for every interface, {@code tcp:[::1]:4000}); port 0 takes
 * any free port (the bridge logs the one it got);</li>
 * <li>{@code serial:DEVICE}: a host serial device ({@link SerialDeviceBridge});</li>
 * <li>{@code stdio}: the process's stdin and stdout ({@link StreamBridge#live});</li>
 * <li>{@code file:PATH}: output written to PATH, created or truncated; no input.</li>
 * </ul>
 * Every mistake is a {@link MachineException} of one line that starts with the option as given.
 */
public final class HostBridges {
    public static final String FORMS = "tcp:PORT, tcp:HOST:PORT, serial:DEVICE, stdio or file:PATH";

    private HostBridges() {
    }

    /** Opens {@code spec} for the UART called {@code uartName} on {@code board}. */
    public static HostBridge open(String spec, Board board, String uartName, InputStream stdin, OutputStream stdout)
            throws MachineException {
        String option = "--uart " + uartName + "=" + spec;
        SerialPort port = uart(board, uartName, option);
        return open(spec, port, board.cpu().events(), option, stdin, stdout);
    }

    /** The UART called {@code name} on {@code board}; {@code option} starts the message when there is none. */
    public static SerialPort uart(Board board, String name, String option) throws MachineException {
        SerialPort port = board.serialPort(name);
        if (port == null) {
            List<String> names = board.serialPortNames();
            throw new MachineException(option + ": no UART called " + name + " on " + board.name()
                    + (names.isEmpty() ? " (it has no UART that --uart can connect)" : " (UARTs: " + String.join(", ", names) + ")"));
        }
        return port;
    }

    /** Opens {@code spec} for {@code port}; {@code option} (such as "--uart USART1=tcp:4000") starts errors. */
    public static HostBridge open(String spec, SerialPort port, EventQueue events, String option, InputStream stdin,
                                  OutputStream stdout) throws MachineException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? null : spec.substring(colon + 1);
        switch (kind) {
            case "tcp":
                return tcp(rest, port, events, option);
            case "serial":
                if (rest == null || rest.isEmpty()) {
                    throw new MachineException(option + ": expected serial:DEVICE, such as serial:/dev/ttyUSB0");
                }
                try {
                    return new SerialDeviceBridge(port, events, rest);
                } catch (SerialDeviceBridge.OpenException e) {
                    throw new MachineException(option + ": cannot open " + rest + ": " + e.getMessage());
                } catch (RuntimeException | LinkageError e) {
                    // jSerialComm loads a native library on first use
                    throw new MachineException(option + ": cannot open " + rest + ": serial support failed: " + e.getMessage());
                }
            case "stdio":
                if (rest != null) {
                    throw new MachineException(option + ": expected stdio alone, without ':'");
                }
                return StreamBridge.live(port, events, stdin, stdout);
            case "file":
                if (rest == null || rest.isEmpty()) {
                    throw new MachineException(option + ": expected file:PATH");
                }
                try {
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(rest)));
                    return StreamBridge.output(port, events, out);
                } catch (IOException | InvalidPathException e) {
                    throw new MachineException(option + ": cannot create " + rest + ": " + describe(e));
                }
            default:
                throw new MachineException(option + ": expected " + FORMS);
        }
    }

    private static HostBridge tcp(String rest, SerialPort port, EventQueue events, String option)
            throws MachineException {
        if (rest == null || rest.isEmpty()) {
            throw new MachineException(option + ": expected tcp:PORT or tcp:HOST:PORT");
        }
        int colon = rest.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : rest.substring(0, colon);
        String portText = rest.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]
        }
        if (host.isEmpty()) {
            throw new MachineException(option + ": expected a host name or address before the port");
        }
        int number;
        try {
            number = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            number = -1;
        }
        // 0 (any free port) is accepted but not advertised: it is for tests and scripts that read the log
        if (number < 0 || number > 65535) {
            throw new MachineException(option + ": expected a port number 1-65535, got '" + portText + "'");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new MachineException(option + ": unknown host '" + host + "'");
        }
        try {
            return new TcpBridge(port, events, new InetSocketAddress(address, number));
        } catch (Exception e) {
            throw new MachineException(option + ": cannot listen on " + address.getHostAddress() + ":" + number
                    + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
