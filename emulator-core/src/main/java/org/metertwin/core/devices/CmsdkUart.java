package org.metertwin.core.devices;

import java.io.IOException;
import java.io.OutputStream;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;

/**
 * ARM CMSDK APB UART (as on the MPS2 boards): DATA, STATE, CTRL, INTSTATUS/INTCLEAR and BAUDDIV. Transmitted
 * bytes go to an output stream at once (byte timing arrives with the event queue); received bytes come
 * from {@link #receive(int)}.
 */
public final class CmsdkUart extends RegisterDevice {
    private final OutputStream out;
    private final ByteFifo rx = new ByteFifo();
    private final Flag txEnable;
    private final Flag txInterruptEnable;
    private final Flag rxInterruptEnable;
    private final Flag txInterrupt;
    private final Flag rxInterrupt;

    public CmsdkUart(String name, OutputStream out) {
        super(name, 0x1000);
        this.out = out;
        define(0x000, "DATA").field(0, 8, "DATA", Access.RW)
                .readAs(() -> rx.isEmpty() ? 0 : rx.peek())
                .onRead(rx::poll)
                .onWrite((w, p) -> transmit(w & 0xFF));
        Register state = define(0x004, "STATE");
        state.bit(0, "TXFULL", Access.R); // the byte leaves at once: never full
        Flag rxFull = state.flag(1, "RXFULL", Access.R);
        state.bit(2, "TXOVR", Access.RC_W1).bit(3, "RXOVR", Access.RC_W1)
                .readAs(() -> rx.isEmpty() ? 0 : rxFull.mask());
        Register ctrl = define(0x008, "CTRL");
        txEnable = ctrl.flag(0, "TXEN");
        ctrl.bit(1, "RXEN", Access.RW);
        txInterruptEnable = ctrl.flag(2, "TXINTEN");
        rxInterruptEnable = ctrl.flag(3, "RXINTEN");
        ctrl.bit(4, "TXOVRINTEN", Access.RW).bit(5, "RXOVRINTEN", Access.RW).bit(6, "HSTM", Access.RW);
        Register intStatus = define(0x00C, "INTSTATUS");
        txInterrupt = intStatus.flag(0, "TXINT", Access.RC_W1);
        rxInterrupt = intStatus.flag(1, "RXINT", Access.RC_W1);
        intStatus.bit(2, "TXOVRINT", Access.RC_W1).bit(3, "RXOVRINT", Access.RC_W1);
        define(0x010, "BAUDDIV").field(0, 20, "BAUDDIV", Access.RW);
        identification(0xFD0, "PID4", 0x04);
        identification(0xFE0, "PID0", 0x21);
        identification(0xFE4, "PID1", 0xB8);
        identification(0xFE8, "PID2", 0x1B);
    }

    private void identification(int offset, String name, int value) {
        define(offset, name, value).field(0, 8, name, Access.R, value);
    }

    /** A byte arriving on the RX line. */
    public void receive(int b) {
        rx.add(b & 0xFF);
        if (rxInterruptEnable.isSet()) {
            rxInterrupt.set();
        }
    }

    private void transmit(int b) {
        if (!txEnable.isSet()) {
            return;
        }
        try {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            // the host side went away; the guest cannot tell
        }
        if (txInterruptEnable.isSet()) {
            txInterrupt.set(); // the byte left at once
        }
    }

    // The APB interface decodes word addresses only: a byte or halfword access reads or writes the whole
    // register, whatever its byte offset (as this model always has).

    @Override
    public int read(int offset, int size) {
        return super.read(offset & ~3, 4);
    }

    @Override
    public int peek(int offset, int size) {
        return super.peek(offset & ~3, 4);
    }

    @Override
    public void write(int offset, int size, int value) {
        super.write(offset & ~3, 4, value);
    }

    /** A board reset leaves the registers and unread input as they are (as this model always has). */
    @Override
    public void reset() {
    }

    /** Received bytes not yet read, without boxing. */
    private static final class ByteFifo {
        private int[] bytes = new int[16];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(int b) {
            if (size == bytes.length) {
                int[] grown = new int[size * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = bytes[(head + i) % bytes.length];
                }
                bytes = grown;
                head = 0;
            }
            bytes[(head + size++) % bytes.length] = b;
        }

        int peek() {
            return bytes[head];
        }

        void poll() {
            if (size > 0) {
                head = (head + 1) % bytes.length;
                size--;
            }
        }
    }
}
