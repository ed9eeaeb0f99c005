package org.metertwin.peripherals.meter.lcd;

/**
 * The characters a 7-segment digit can show, as segment patterns: bit 0 = a (top), 1 = b (top right),
 * 2 = c (bottom right), 3 = d (bottom), 4 = e (bottom left), 5 = f (top left), 6 = g (middle). These are the
 * conventional shapes (as on any 7-segment data sheet's font table); meters also show a few letters for
 * their menus ("E" for errors, "-" for dashes).
 */
final class SevenSegment {
    private static final char[] CHAR_OF = new char[128];

    static {
        for (int i = 0; i < 128; i++) {
            CHAR_OF[i] = '?';
        }
        define(' ', 0);
        define('0', 0b0111111);
        define('1', 0b0000110);
        define('2', 0b1011011);
        define('3', 0b1001111);
        define('4', 0b1100110);
        define('5', 0b1101101);
        define('6', 0b1111101);
        define('7', 0b0000111);
        define('8', 0b1111111);
        define('9', 0b1101111);
        define('-', 0b1000000);
        define('A', 0b1110111);
        define('b', 0b1111100);
        define('C', 0b0111001);
        define('d', 0b1011110);
        define('E', 0b1111001);
        define('F', 0b1110001);
        define('H', 0b1110110);
        define('L', 0b0111000);
        define('P', 0b1110011);
        define('r', 0b1010000);
        define('o', 0b1011100);
        define('n', 0b1010100);
        define('t', 0b1111000);
        define('U', 0b0111110);
        define('_', 0b0001000);
    }

    private SevenSegment() {
    }

    private static void define(char c, int pattern) {
        CHAR_OF[pattern] = c;
    }

    /** The character a pattern of segments a..g (bits 0..6) shows, or '?' for a shape no character has. */
    static char charOf(int pattern) {
        return CHAR_OF[pattern & 0x7F];
    }
}
