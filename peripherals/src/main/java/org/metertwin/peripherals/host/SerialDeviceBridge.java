package org.metertwin.peripherals.host;

import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.EventQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UART connected to a serial device of the host (a USB adapter, a PTY) through jSerialComm. The device
 * is set to the UART's format when the bridge opens and again at each {@link #pump} after the guest changed
 * it, so a real peer on the wire sees the baud rate the firmware chose (9 data bits, which POSIX terminals
 * cannot do, become 8; half a stop bit becomes one). A reader thread polls the device (100 ms timeouts, so
 * that it notices the bridge closing) and a writer thread sends what the guest transmitted, so a slow
 * device never holds up the emulation.
 */
public final class SerialDeviceBridge extends UartBridge {
    private static final Logger LOG = LoggerFactory.getLogger(SerialDeviceBridge.class);

    private final com.fazecast.jSerialComm.SerialPort device;
    private final String deviceName;
    private final Thread reader;
    private final ExecutorService writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private volatile boolean open = true;
    private SerialFormat applied;
    private boolean warnedNineBits;

    /** Thrown when the device cannot be opened: the message says why, in a few words. */
    public static final class OpenException extends Exception {
        OpenException(String message) {
            super(message);
        }
    }

    public SerialDeviceBridge(SerialPort port, EventQueue events, String deviceName) throws OpenException {
        super(port, events);
        this.deviceName = deviceName;
        try {
            device = com.fazecast.jSerialComm.SerialPort.getCommPort(deviceName);
        } catch (SerialPortInvalidPortException e) {
            throw new OpenException("not a serial device name: " + e.getMessage());
        }
        apply(port.format());
        device.setComPortTimeouts(com.fazecast.jSerialComm.SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        device.setFlowControl(com.fazecast.jSerialComm.SerialPort.FLOW_CONTROL_DISABLED);
        if (!device.openPort(0)) {
            throw new OpenException(describeError(device.getLastErrorCode()));
        }
        apply(port.format()); // some platforms only take parameters on an open port
        reader = new Thread(this::read, "metertwin " + port.name() + " serial input");
        reader.setDaemon(true);
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metertwin " + port.name() + " serial output");
            t.setDaemon(true);
            return t;
        });
        reader.start();
        connectTransmitter();
        LOG.info("{}: connected to serial device {} at {}", port.name(), deviceName, applied);
    }

    private static String describeError(int errno) {
        // jSerialComm reports the OS error number; name the usual ones
        return switch (errno) {
            case 2 -> "no such device";
            case 13 -> "permission denied";
            case 16 -> "device busy (in use by another program)";
            case 0 -> "the device did not open (no error code given)";
            default -> "error " + errno;
        };
    }

    private void apply(SerialFormat f) {
        int dataBits = f.dataBits();
        if (dataBits > 8) {
            dataBits = 8;
            if (!warnedNineBits) {
                warnedNineBits = true;
                LOG.warn("{}: the host device cannot do {} data bits; using 8", port.name(), f.dataBits());
            }
        }
        int stop = switch (f.stopHalfBits()) {
            case 3 -> com.fazecast.jSerialComm.SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case 4 -> com.fazecast.jSerialComm.SerialPort.TWO_STOP_BITS;
            default -> com.fazecast.jSerialComm.SerialPort.ONE_STOP_BIT;
        };
        int parity = switch (f.parity()) {
            case NONE -> com.fazecast.jSerialComm.SerialPort.NO_PARITY;
            case EVEN -> com.fazecast.jSerialComm.SerialPort.EVEN_PARITY;
            case ODD -> com.fazecast.jSerialComm.SerialPort.ODD_PARITY;
        };
        int baud = (int) Math.min(Integer.MAX_VALUE, f.baud());
        if (!device.setComPortParameters(baud, dataBits, stop, parity) && device.isOpen()) {
            LOG.warn("{}: serial device {} did not accept {}", port.name(), deviceName, f);
        }
        applied = f;
    }

    /** The UART format the host device was last set to. */
    public SerialFormat appliedFormat() {
        return applied;
    }

    @Override
    protected void formatNow(SerialFormat format) {
        if (!format.equals(applied)) {
            apply(format);
        }
    }

    private void read() {
        byte[] buf = new byte[1024];
        try {
            while (open) {
                int n = device.readBytes(buf, buf.length);
                if (n < 0) {
                    if (open) {
                        LOG.warn("{}: serial device {} failed (error {}); no more input", port.name(), deviceName,
                                device.getLastErrorCode());
                    }
                    break;
                }
                if (n > 0 && !input.put(buf, 0, n)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            input.end();
        }
    }

    @Override
    protected void transmit(int data) {
        pending.write(data);
    }

    @Override
    protected void flushOutput() {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        writer.execute(() -> {
            int off = 0;
            while (off < bytes.length && open) {
                int n = device.writeBytes(bytes, bytes.length - off, off);
                if (n <= 0) {
                    LOG.warn("{}: writing to serial device {} failed (error {})", port.name(), deviceName,
                            device.getLastErrorCode());
                    return;
                }
                off += n;
            }
        });
    }

    @Override
    protected void closeHost() {
        writer.shutdown();
        try {
            writer.awaitTermination(1, TimeUnit.SECONDS); // let the last output out
            open = false;
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open = false;
        device.closePort();
    }
}
