package org.metertwin.core.gdb;

/** What the gdb client sent, as the frame decoder sees it. */
interface RspFrame {
    /** A packet with a good checksum; the payload is unescaped, one char per byte (ISO-8859-1). */
    record Packet(String payload) implements RspFrame {
    }

    /** A packet whose checksum did not match (or that was too long): answered with '-'. */
    record Rejected(String why) implements RspFrame {
    }

    /** The client asks for the last reply again ('-'). */
    record Nack() implements RspFrame {
    }

    /** Ctrl-C (0x03) outside a packet: halt the target. */
    record Interrupt() implements RspFrame {
    }
}
