package org.metertwin.peripherals.host;

import org.metertwin.core.serial.HostBridge;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * What every host bridge shares: host input waits in a thread-safe {@link HostInput} until {@link #pump}
 * moves some of it, on the emulation thread, into a small local queue that a delivery event feeds to the
 * UART's receiver, one character per frame time of the UART's present format, as if the host sent it on
 * the wire at that rate. While the UART cannot take a character (receiver disabled or data register full)
 * the character is held and offered again a frame time later: host input is never lost, as with hardware
 * flow control. Only {@link #pump} looks at the host queue, so what the guest sees changes only between
 * slices of virtual time, and input that is all there from the start (a file) arrives at the same virtual
 * times on every run.
 *
 * <p>Characters the guest transmits reach {@link #transmit} on the emulation thread; subclasses write them
 * through without blocking for long and flush in {@link #flushOutput}, which {@link #pump} and
 * {@link #close} call.
 */
abstract class UartBridge implements HostBridge {
    /** Characters taken from the host queue ahead of delivery: several slices' worth at any baud rate. */
    static final int LOCAL = 256;

    protected final SerialPort port;
    protected final EventQueue events;
    protected final HostInput input = new HostInput();
    private final Event delivery;
    private final byte[] local = new byte[LOCAL];
    private final byte[] scratch = new byte[LOCAL];
    private int localHead;
    private int localCount;
    private boolean closed;

    UartBridge(SerialPort port, EventQueue events) {
        this.port = port;
        this.events = events;
        this.delivery = events.event(port.name() + " host input", this::deliver);
    }

    /** Connects the UART's transmitter to this bridge: the last step of a subclass's constructor. */
    protected final void connectTransmitter() {
        port.connectTransmitter((data, format) -> {
            if (!closed) {
                transmit(data & 0xFF);
            }
        });
    }

    /** A character the guest transmitted (emulation thread). */
    protected abstract void transmit(int data);

    /** Pushes transmitted characters out (emulation thread). */
    protected abstract void flushOutput();

    /** Releases host resources (threads, sockets, files); called once by {@link #close}. */
    protected abstract void closeHost();

    /** Called by {@link #pump} before delivering, for bridges that follow the UART's format. */
    protected void formatNow(SerialFormat format) {
    }

    @Override
    public void pump() {
        if (closed) {
            return;
        }
        formatNow(port.format());
        flushOutput();
        int room = LOCAL - localCount;
        if (room > 0) {
            int n = input.take(scratch, room);
            for (int i = 0; i < n; i++) {
                local[(localHead + localCount) % LOCAL] = scratch[i];
                localCount++;
            }
        }
        // the line was idle since the last character ended (at or before now): the next one ends a frame from now
        if (localCount > 0 && !delivery.isScheduled()) {
            events.scheduleIn(delivery, port.format().frameNanos());
        }
    }

    private void deliver(long when) {
        if (localCount == 0) {
            return;
        }
        if (port.canReceive()) {
            int data = local[localHead] & 0xFF;
            localHead = (localHead + 1) % LOCAL;
            localCount--;
            // a host source has no line format of its own: the receiver takes the character as well framed
            port.receiver().receive(data, null);
        }
        if (localCount > 0) {
            events.schedule(delivery, when + port.format().frameNanos());
        }
    }

    @Override
    public boolean inputOpen() {
        return !input.ended();
    }

    @Override
    public boolean inputWaiting() {
        return localCount > 0 || input.available() > 0;
    }

    @Override
    public void awaitInput(long millis) throws InterruptedException {
        input.await(millis);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flushOutput();
        closed = true;
        events.cancel(delivery);
        port.connectTransmitter((data, format) -> { });
        input.end();
        closeHost();
    }
}
