package org.metertwin.core.gdb;

import java.nio.charset.StandardCharsets;

/** Encoding helpers of the gdb remote serial protocol: framing, hex, little-endian register values. */
final class Rsp {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Rsp() {
    }

    /** {@code $payload#cs}, with '$', '#', '}' and '*' escaped. */
    static byte[] frame(String payload) {
        StringBuilder sb = new StringBuilder(payload.length() + 4).append('$');
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            char ch = payload.charAt(i);
            if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
                sb.append('}');
                sum += '}';
                ch ^= 0x20;
            }
            sb.append(ch);
            sum += ch;
        }
        sb.append('#').append(HEX[(sum >> 4) & 15]).append(HEX[sum & 15]);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
        }
        return sb.toString();
    }

    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes hex digits; throws {@link BadPacket} on anything else. */
    static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) {
            throw new BadPacket("odd number of hex digits");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new BadPacket("not a hex digit");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** An address or length: at most 8 hex digits. */
    static int parseHex32(String s) {
        if (s.isEmpty() || s.length() > 8) {
            throw new BadPacket("bad number '" + s + "'");
        }
        try {
            return (int) Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            throw new BadPacket("bad number '" + s + "'");
        }
    }

    /** A register value as gdb sends it: target byte order (little-endian). */
    static String le32(int v) {
        return hex(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    static int parseLe32(String s) {
        byte[] b = unhex(s);
        if (b.length != 4) {
            throw new BadPacket("expected 4 bytes");
        }
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** A packet the client got wrong: answered with an error reply, never thrown into the emulation. */
    static final class BadPacket extends RuntimeException {
        BadPacket(String message) {
            super(message, null, false, false);
        }
    }
}
