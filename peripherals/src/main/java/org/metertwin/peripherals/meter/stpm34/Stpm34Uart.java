package org.metertwin.peripherals.meter.stpm34;

import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialSink;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * The STPM34's UART (RXD on the MOSI pin, TXD on MISO): 8N1 at 16 MHz / US_REG2.BAUD (0x683 at reset,
 * 9600 baud; ST's table in stpm_metrology.h). It is full duplex byte for byte: when a character has arrived
 * (its stop bit ended) the chip starts sending the reply byte of the same position, which the host has one
 * character time later; ST's driver relies on this (it sends one byte and then waits for one,
 * UARTWrp_SendAndReceiveByte). A partial frame is dropped when US_REG1.TIME_OUT expires between two bytes, when a
 * character arrives in another format (framing error) or when SCS pulses low.
 */
final class Stpm34Uart {
    /** The STPM3x's crystal: the baud divider counts this clock (US_REG2 BAUD = 16 MHz / baud). */
    static final long CLOCK_HZ = 16_000_000L;
    /** Largest baud-rate mismatch a receiver tolerates before it mis-samples the frame (modelling choice). */
    private static final int TOLERANCE_PERCENT = 3;
    /** Reply bytes waiting for the transmitter (more than one only if the host sends faster than it reads). */
    private static final int QUEUE = 8;

    private final Stpm34 chip;
    private final Stpm34Protocol protocol;
    private final EventQueue events;
    private final Event txDone;
    private final Event timeout;
    private SerialSink transmitter = SerialSink.NONE;

    private final int[] queue = new int[QUEUE];
    private int queueHead;
    private int queued;
    private int shifting;
    private SerialFormat shiftingFormat;
    /** The format for the present divider, rebuilt only when US_REG2 changes. */
    private SerialFormat format;
    private int formatDivider = -1;

    Stpm34Uart(String name, Stpm34 chip, Stpm34Protocol protocol, EventQueue events) {
        this.chip = chip;
        this.protocol = protocol;
        this.events = events;
        this.txDone = events.event(name + " uart tx", this::sent);
        this.timeout = events.event(name + " uart timeout", this::timedOut);
    }

    void connectTransmitter(SerialSink sink) {
        transmitter = sink == null ? SerialSink.NONE : sink;
    }

    /** 8N1 at 16 MHz / BAUD, rounded to the nearest baud. */
    SerialFormat format() {
        int divider = chip.register(Stpm34Map.US_REG2) & 0xFFFF;
        if (divider != formatDivider) {
            formatDivider = divider;
            if (divider == 0) {
                chip.logOnce("US_REG2 BAUD is 0 (no valid baud rate); using a divider of 1");
                divider = 1;
            }
            format = new SerialFormat(Math.max(1, (CLOCK_HZ + divider / 2) / divider), 8, SerialFormat.Parity.NONE, 2);
        }
        return format;
    }

    /** A character from the host, at the end of its stop bit. */
    void receive(int data, SerialFormat sent) {
        if (!chip.uartActive()) {
            return;
        }
        SerialFormat own = format();
        if (sent != null && !compatible(sent, own)) {
            chip.usError(Stpm34.UART_FRAME_ERR);
            protocol.resync();
            events.cancel(timeout);
            return;
        }
        send(protocol.exchange(data));
        long limit = timeoutNanos();
        if (protocol.midFrame() && limit > 0) {
            events.scheduleIn(timeout, limit);
        } else {
            events.cancel(timeout);
        }
    }

    /** Drops the partial frame (SCS pulse, power-down, reset) and what was waiting to be sent. */
    void resync() {
        protocol.resync();
        events.cancel(timeout);
    }

    void powerDown() {
        resync();
        events.cancel(txDone);
        queued = 0;
    }

    private static boolean compatible(SerialFormat sent, SerialFormat own) {
        return sent.dataBits() == 8 && sent.parity() == SerialFormat.Parity.NONE
                && Math.abs(sent.baud() - own.baud()) * 100 <= own.baud() * TOLERANCE_PERCENT;
    }

    /** US_REG1.TIME_OUT[23:16] in milliseconds; 0 disables the timeout (unit unverified, see the doc). */
    private long timeoutNanos() {
        return (long) (chip.register(Stpm34Map.US_REG1) >>> 16 & 0xFF) * 1_000_000L;
    }

    private void timedOut(long when) {
        if (protocol.midFrame()) {
            protocol.resync();
            chip.usError(Stpm34.UART_TIMEOUT_ERR);
        }
    }

    private void send(int data) {
        if (!txDone.isScheduled()) {
            start(data);
        } else if (queued < QUEUE) {
            queue[(queueHead + queued++) % QUEUE] = data;
        } else {
            chip.usError(Stpm34.UART_TX_OVR);
        }
    }

    private void start(int data) {
        shifting = data;
        shiftingFormat = format();
        events.scheduleIn(txDone, shiftingFormat.frameNanos());
    }

    private void sent(long when) {
        transmitter.receive(shifting, shiftingFormat);
        if (queued > 0) {
            int next = queue[queueHead];
            queueHead = (queueHead + 1) % QUEUE;
            queued--;
            start(next);
        }
    }
}
