package org.metertwin.peripherals.meter.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.metertwin.core.signal.Pin;

/**
 * The HT1621 driven bit by bit as firmware does it (HT1621 datasheet, "Timing diagrams": WR low, set DATA,
 * WR high; data sampled on the WR rising edge), decoded through the reference glass map.
 */
class Ht1621Test {
    final Pin cs = new Pin("cs"), wr = new Pin("wr"), data = new Pin("data"), rd = new Pin("rd");
    final Ht1621 lcd;

    Ht1621Test() {
        cs.drive(true);
        wr.drive(true);
        rd.drive(true);
        lcd = new Ht1621("lcd", cs, wr, data, rd, SegmentMap.reference());
    }

    /** Shifts {@code count} bits of {@code value} out MSB first, as for IDs, commands and addresses. */
    void msbFirst(int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            bit((value >> i & 1) != 0);
        }
    }

    /** A data nibble: D0 first (datasheet "Write mode": A5..A0 then D0 D1 D2 D3). */
    void nibble(int value) {
        for (int i = 0; i < 4; i++) {
            bit((value >> i & 1) != 0);
        }
    }

    void bit(boolean b) {
        wr.drive(false);
        data.drive(b);
        wr.drive(true);
    }

    /** One command, framed by CS: ID 100 then C8..C0. */
    void command(int nineBits) {
        cs.drive(false);
        msbFirst(0b100, 3);
        msbFirst(nineBits, 9);
        cs.drive(true);
    }

    // command codes from the datasheet's command summary (9 bits, C0 = X sent as 0)
    static final int SYS_DIS = 0b0000_0000_0, SYS_EN = 0b0000_0001_0, LCD_OFF = 0b0000_0010_0,
            LCD_ON = 0b0000_0011_0, BIAS_THIRD_4COM = 0b0010_1001_0, BIAS_THIRD_2COM = 0b0010_0001_0;

    void powerUp() {
        cs.drive(false);
        msbFirst(0b100, 3); // successive commands after one ID
        msbFirst(BIAS_THIRD_4COM, 9);
        msbFirst(SYS_EN, 9);
        msbFirst(LCD_ON, 9);
        cs.drive(true);
    }

    /**
     * The two RAM nibbles of a digit on the reference glass (address 2i: D0..D3 = a b c d; 2i+1: e f g dp),
     * from the segment letters lit, written out by hand here so the test does not use the model's font.
     */
    static int[] digitNibbles(String segments, boolean dp) {
        int low = 0, high = dp ? 8 : 0;
        for (char s : segments.toCharArray()) {
            switch (s) {
                case 'a' -> low |= 1;
                case 'b' -> low |= 2;
                case 'c' -> low |= 4;
                case 'd' -> low |= 8;
                case 'e' -> high |= 1;
                case 'f' -> high |= 2;
                case 'g' -> high |= 4;
                default -> throw new IllegalArgumentException(segments);
            }
        }
        return new int[] {low, high};
    }

    static final String[] DIGIT_SEGMENTS = {"abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc",
            "abcdefg", "abcdfg"};

    /** Writes digits 1..8 with successive addressing from address 0, then the icons kWh and T1. */
    void writeTwelveThousand(boolean dpAfterSixth) {
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(0, 6);
        for (int d = 1; d <= 8; d++) {
            int[] n = digitNibbles(DIGIT_SEGMENTS[d], dpAfterSixth && d == 6);
            nibble(n[0]);
            nibble(n[1]);
        }
        nibble(0b0001); // address 16: kWh (D0)
        nibble(0b0000); // 17
        nibble(0b0001); // 18: T1 (D0)
        cs.drive(true);
    }

    @Test
    void listenersHearEachChangedTextOnceAtTheEndOfTheTransfer() {
        java.util.List<String> heard = new java.util.ArrayList<>();
        lcd.listen(heard::add);
        writeTwelveThousand(true); // still SYS DIS: blank, as before
        powerUp();
        writeTwelveThousand(true); // the same text again: nothing new
        command(LCD_OFF);
        assertEquals(java.util.List.of("123456.78 kWh T1", ""), heard);
    }

    @Test
    void powerOnDefaultIsBlank() {
        writeTwelveThousand(false);
        assertFalse(lcd.isSystemEnabled());
        assertFalse(lcd.isLcdOn());
        assertEquals("", lcd.text(), "power-on default is SYS DIS and LCD OFF");
    }

    @Test
    void writesDigitsAndIconsWithSuccessiveAddresses() {
        powerUp();
        writeTwelveThousand(true);
        assertEquals("123456.78 kWh T1", lcd.text());
        assertEquals(0b0110, lcd.ram(0), "digit '1' = segments b and c at D1 and D2");
    }

    @Test
    void sysDisBlanksAndKeepsTheRam() {
        powerUp();
        writeTwelveThousand(false);
        command(SYS_DIS);
        assertEquals("", lcd.text());
        assertFalse(lcd.isLcdOn(), "SYS DIS also turns off the bias generator");
        command(SYS_EN);
        assertEquals("", lcd.text(), "LCD still off");
        command(LCD_ON);
        assertEquals("12345678 kWh T1", lcd.text());
        command(LCD_OFF);
        assertEquals("", lcd.text());
    }

    @Test
    void singleAddressWriteAndBlankDigits() {
        powerUp();
        // digit 8 (addresses 14, 15) = '0'; all others blank
        int[] zero = digitNibbles(DIGIT_SEGMENTS[0], false);
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(14, 6);
        nibble(zero[0]);
        cs.drive(true);
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(15, 6);
        nibble(zero[1]);
        cs.drive(true);
        assertEquals("       0", lcd.text());
    }

    @Test
    void unknownPatternShowsQuestionMark() {
        powerUp();
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(0, 6);
        nibble(0b0011); // segments a and b only: no character
        cs.drive(true);
        assertEquals("?       ", lcd.text());
    }

    @Test
    void dashAndErrorLetters() {
        powerUp();
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(0, 6);
        int[] dash = digitNibbles("g", false), e = digitNibbles("adefg", false);
        nibble(dash[0]);
        nibble(dash[1]);
        nibble(e[0]);
        nibble(e[1]);
        cs.drive(true);
        assertEquals("-E      ", lcd.text());
    }

    @Test
    void twoCommonsHideSegmentsOnCom2AndCom3() {
        powerUp();
        writeTwelveThousand(false);
        command(BIAS_THIRD_2COM);
        assertEquals(2, lcd.commons());
        // only D0, D1 (COM0, COM1) are driven: a, b of each even address and e, f of each odd one. No digit
        // 1..8 is still a character ('1' keeps b only, '8' keeps a, b, e, f); kWh and T1 are on D0 and stay.
        assertEquals("???????? kWh T1", lcd.text());
        command(BIAS_THIRD_4COM);
        assertEquals("12345678 kWh T1", lcd.text());
    }

    @Test
    void csHighAbortsAPartialTransfer() {
        powerUp();
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(0, 6);
        bit(true);
        bit(true); // half a nibble
        cs.drive(true);
        assertEquals(0, lcd.ram(0));
        assertEquals("        ", lcd.text());
    }

    @Test
    void readModeShiftsNibblesOutOnRdFallingEdges() {
        powerUp();
        writeTwelveThousand(false);
        cs.drive(false);
        msbFirst(0b110, 3);
        msbFirst(2, 6); // digit '2' at addresses 2 (a, b, d) and 3 (e, g)
        int value = 0;
        for (int i = 0; i < 8; i++) {
            rd.drive(false);
            rd.drive(true);
            if (data.level()) {
                value |= 1 << i; // D0 first
            }
        }
        cs.drive(true);
        assertEquals(0b1011, value & 0xF);
        assertEquals(0b0101, value >> 4, "address 3 follows: successive read");
    }

    @Test
    void readModifyWriteReadsThenWritesTheSameAddress() {
        powerUp();
        writeTwelveThousand(false);
        cs.drive(false);
        msbFirst(0b101, 3);
        msbFirst(16, 6);
        int read = 0;
        for (int i = 0; i < 4; i++) {
            rd.drive(false);
            rd.drive(true);
            read |= (data.level() ? 1 : 0) << i;
        }
        nibble(read | 0b0100); // add kW (D2)
        cs.drive(true);
        assertEquals(0b0001, read);
        assertEquals("12345678 kWh kW T1", lcd.text());
    }

    @Test
    void badSegmentMapNamesTheField() {
        String yaml = "digits:\n  - {a: [0, 0], b: [0, 1], c: [0, 2], d: [0, 3], e: [1, 0], f: [1, 1], g: [40, 2]}\n";
        IOException e = assertThrows(IOException.class, () -> SegmentMap.parse(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "glass.yaml"));
        assertEquals("glass.yaml: digits[0].g: address must be 0..31 and bit 0..3, got [40, 2]", e.getMessage());
    }

    /** Issue 13: nothing in a map file is read as other than it says; a misspelt dp is not "no dp". */
    @Test
    void segmentMapIsReadStrictly() {
        String digit = "  - {a: [0, 0], b: [0, 1], c: [0, 2], d: [0, 3], e: [1, 0], f: [1, 1], g: [1, 2]";
        String[][] cases = {
                {"digits:\n" + digit + ", DP: [1, 3]}\n",
                        "glass.yaml: digits[0].DP: unknown field; expected one of a, b, c, d, e, f, g, dp"},
                {"digits:\n" + digit + "}\nicon:\n  - {name: kWh, at: [16, 0]}\n",
                        "glass.yaml: icon: unknown field; expected one of digits, icons"},
                {"digits:\n" + digit + "}\nicons:\n  - {name: true, at: [16, 0]}\n",
                        "glass.yaml: icons[0].name: expected the icon's name as text"},
                {"digits:\n" + digit + ", dp: ~}\n",
                        "glass.yaml:2:87: digits[0].dp: expected a value, got nothing (leave the field out for its default)"},
                {"digits:\n" + digit + ", g: [1, 3]}\n", "glass.yaml:2:83: digits[0].g: appears twice, expected once"},
                {"digits:\n" + digit + "}\n# caf\u00e9\n", "glass.yaml: not UTF-8 text: byte 0xe9 at offset 95 (line 3)"}};
        for (String[] c : cases) {
            byte[] bytes = c[0].getBytes(c[1].contains("UTF-8") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            IOException e = assertThrows(IOException.class, () -> SegmentMap.parse(new ByteArrayInputStream(bytes),
                    "glass.yaml"), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void customSegmentMapIsData() throws IOException {
        // a one-digit glass wired differently: a..d on address 5, e..g on address 4, one icon
        String yaml = "digits:\n  - {a: [5, 3], b: [5, 2], c: [5, 1], d: [5, 0], e: [4, 3], f: [4, 2], g: [4, 1]}\n"
                + "icons:\n  - {name: ON, at: [4, 0]}\n"; // ON is a name: only true and false are booleans
        SegmentMap map = SegmentMap.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "x");
        Pin cs2 = new Pin("cs2"), wr2 = new Pin("wr2");
        cs2.drive(true);
        Ht1621 other = new Ht1621("lcd2", cs2, wr2, data, new Pin("rd2"), map);
        // '7' = a, b, c -> address 5 bits D3, D2, D1 = 0b1110; icon ON -> address 4 D0
        cs2.drive(false);
        // ID 100, then SYS EN (0000-0001-X) and LCD ON (0000-0011-X) in successive command mode
        for (char b : "100 000000010 000000110".replace(" ", "").toCharArray()) {
            wr2.drive(false);
            data.drive(b == '1');
            wr2.drive(true);
        }
        cs2.drive(true);
        cs2.drive(false);
        // ID 101, address 4, nibble D0..D3 = 1000 (ON), then address 5: D0..D3 = 0111 ('7')
        for (char b : "101 000100 1000 0111".replace(" ", "").toCharArray()) {
            wr2.drive(false);
            data.drive(b == '1');
            wr2.drive(true);
        }
        cs2.drive(true);
        assertEquals("7 ON", other.text());
    }
}
