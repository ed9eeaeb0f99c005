package org.metertwin.core.serial;

/**
 * How a UART frames a character: baud rate, data bits (not counting a parity bit, unlike the STM32's M
 * bit), parity, and stop bits in halves (1 = 0.5, 2 = 1, 3 = 1.5, 4 = 2). A receiver compares the
 * sender's format with its own to decide framing and parity errors.
 */
public record SerialFormat(long baud, int dataBits, Parity parity, int stopHalfBits) {
    public enum Parity { NONE, EVEN, ODD }

    /** 8N1 at 115200 baud. */
    public static final SerialFormat DEFAULT = new SerialFormat(115_200, 8, Parity.NONE, 2);

    public SerialFormat {
        if (baud <= 0 || dataBits < 5 || dataBits > 9 || stopHalfBits < 1 || stopHalfBits > 4) {
            throw new IllegalArgumentException("bad serial format " + baud + " " + dataBits + " " + parity + " "
                    + stopHalfBits);
        }
    }

    /** Half-bit times on the wire for one character: start, data, parity and stop bits. */
    public int frameHalfBits() {
        return 2 * (1 + dataBits + (parity == Parity.NONE ? 0 : 1)) + stopHalfBits;
    }

    /** Time one character occupies the line, in nanoseconds (rounded up). */
    public long frameNanos() {
        return (frameHalfBits() * 1_000_000_000L + 2 * baud - 1) / (2 * baud);
    }

    @Override
    public String toString() {
        return baud + " " + dataBits + (parity == Parity.NONE ? "N" : parity == Parity.EVEN ? "E" : "O")
                + (stopHalfBits == 1 ? "0.5" : stopHalfBits == 3 ? "1.5" : String.valueOf(stopHalfBits / 2));
    }
}
