package org.metertwin.core.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import org.metertwin.core.bus.MmioDevice;

/**
 * ARM CMSDK APB UART (as on the MPS2 boards): DATA, STATE, CTRL, INTSTATUS/INTCLEAR and BAUDDIV. Transmitted
 * bytes go to an output stream at once (byte timing arrives with the event queue); received bytes come
 * from {@link #receive(int)}.
 */
public final class CmsdkUart implements MmioDevice {
    private static final int STATE_TXFULL = 1, STATE_RXFULL = 2;
    private static final int CTRL_TXEN = 1, CTRL_RXEN = 2;

    private final String name;
    private final OutputStream out;
    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private int ctrl;
    private int intStatus;
    private int bauddiv;

    public CmsdkUart(String name, OutputStream out) {
        this.name = name;
        this.out = out;
    }

    @Override
    public String name() {
        return name;
    }

    /** A byte arriving on the RX line. */
    public void receive(int b) {
        rx.add(b & 0xFF);
        if ((ctrl & 8) != 0) {
            intStatus |= 2; // RX interrupt
        }
    }

    @Override
    public int read(int offset, int size) {
        return switch (offset & ~3) {
            case 0x0 -> rx.isEmpty() ? 0 : rx.poll();
            case 0x4 -> rx.isEmpty() ? 0 : STATE_RXFULL;
            case 0x8 -> ctrl;
            case 0xC -> intStatus;
            case 0x10 -> bauddiv;
            case 0xFD0 -> 0x04;
            case 0xFE0 -> 0x21;
            case 0xFE4 -> 0xB8;
            case 0xFE8 -> 0x1B;
            default -> 0;
        };
    }

    @Override
    public int peek(int offset, int size) {
        return (offset & ~3) == 0 ? (rx.isEmpty() ? 0 : rx.peek()) : read(offset, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        switch (offset & ~3) {
            case 0x0 -> {
                if ((ctrl & CTRL_TXEN) != 0) {
                    try {
                        out.write(value & 0xFF);
                        if ((value & 0xFF) == '\n') {
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the host side went away; the guest cannot tell
                    }
                    if ((ctrl & 4) != 0) {
                        intStatus |= 1; // TX interrupt: the byte left at once
                    }
                }
            }
            case 0x4 -> { // STATE: writing 1 clears the overrun bits
            }
            case 0x8 -> ctrl = value & 0x7F;
            case 0xC -> intStatus &= ~value;
            case 0x10 -> bauddiv = value & 0xFFFFF;
            default -> {
            }
        }
    }
}
