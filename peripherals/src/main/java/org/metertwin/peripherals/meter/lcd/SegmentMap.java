package org.metertwin.peripherals.meter.lcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.yaml.StrictYaml;
import org.metertwin.core.yaml.YamlErrors;

/**
 * Which display-RAM bit lights which segment of a glass: the wiring of the glass's SEG and COM electrodes to
 * the driver, written as data (YAML or JSON, see {@code reference-glass.yaml}). A segment is at
 * {@code [address, bit]}: HT1621 RAM address 0..31 (the SEG line) and bit 0..3 (D0..D3, the COM line).
 *
 * <p>It decodes a RAM image into text: the digits left to right, a decimal point after a digit whose dp is
 * lit, then the lit icons in the map's order.
 */
public final class SegmentMap {
    /** Segment names of a digit in the bit order of {@link SevenSegment}, then the decimal point. */
    static final String[] SEGMENTS = {"a", "b", "c", "d", "e", "f", "g", "dp"};
    private static final String DEFAULT = "reference-glass.yaml";

    /** A segment's RAM position: {@code address * 4 + bit}. -1 for a digit without a decimal point. */
    private final int[][] digits;
    private final String[] iconNames;
    private final int[] icons;

    private SegmentMap(int[][] digits, String[] iconNames, int[] icons) {
        this.digits = digits;
        this.iconNames = iconNames;
        this.icons = icons;
    }

    /** The map of MeterTwin's reference glass (8 digits, 15 icons). */
    public static SegmentMap reference() {
        try (InputStream in = SegmentMap.class.getResourceAsStream(DEFAULT)) {
            return parse(in, DEFAULT);
        } catch (IOException e) {
            throw new IllegalStateException(DEFAULT + ": " + e.getMessage(), e);
        }
    }

    /** Loads a map file; a bad file is an IOException with a one-line message naming the file and field. */
    public static SegmentMap load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
    }

    static SegmentMap parse(InputStream in, String source) throws IOException {
        byte[] bytes = in.readAllBytes();
        String notText = StrictYaml.notText(bytes);
        if (notText != null) {
            throw new IOException(source + ": " + notText);
        }
        StrictYaml.Problem problem = StrictYaml.check(bytes);
        if (problem != null) {
            throw new IOException(source + problem.text());
        }
        JsonNode root;
        try {
            root = StrictYaml.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(source + YamlErrors.syntax(e));
        }
        if (root == null || !root.isObject()) {
            throw new IOException(source + ": expected a mapping with 'digits' and 'icons'");
        }
        onlyFields(root, source, "", "digits", "icons");
        JsonNode ds = root.path("digits");
        if (!ds.isArray() || ds.isEmpty()) {
            throw new IOException(source + ": digits: expected a list of digits");
        }
        int[][] digits = new int[ds.size()][];
        for (int i = 0; i < ds.size(); i++) {
            onlyFields(ds.get(i), source, "digits[" + i + "].", SEGMENTS); // a misspelt dp would be no dp
            digits[i] = new int[SEGMENTS.length];
            for (int s = 0; s < SEGMENTS.length; s++) {
                JsonNode at = ds.get(i).get(SEGMENTS[s]);
                String where = "digits[" + i + "]." + SEGMENTS[s];
                if (at == null && s == 7) {
                    digits[i][s] = -1; // no decimal point after this digit
                } else if (at == null) {
                    throw new IOException(source + ": " + where + ": missing");
                } else {
                    digits[i][s] = position(at, source, where);
                }
            }
        }
        JsonNode is = root.path("icons");
        if (!is.isMissingNode() && !is.isArray()) {
            throw new IOException(source + ": icons: expected a list of {name, at}");
        }
        List<String> names = new ArrayList<>();
        int[] icons = new int[is.size()];
        for (int i = 0; i < is.size(); i++) {
            onlyFields(is.get(i), source, "icons[" + i + "].", "name", "at");
            JsonNode name = is.get(i).get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IOException(source + ": icons[" + i + "].name: expected the icon's name as text");
            }
            names.add(name.asText());
            icons[i] = position(is.get(i).get("at"), source, "icons[" + i + "].at");
        }
        return new SegmentMap(digits, names.toArray(String[]::new), icons);
    }

    /** Fails on a field of {@code node} not in {@code known}: a misspelling must not pass as absent. */
    private static void onlyFields(JsonNode node, String source, String path, String... known) throws IOException {
        if (!node.isObject()) {
            throw new IOException(source + ": " + (path.isEmpty() ? "" : path.substring(0, path.length() - 1) + ": ")
                    + "expected a map of " + String.join(", ", known));
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of(known).contains(field)) {
                throw new IOException(source + ": " + path + field + ": unknown field; expected one of "
                        + String.join(", ", known));
            }
        }
    }

    private static int position(JsonNode at, String source, String where) throws IOException {
        if (at == null || !at.isArray() || at.size() != 2 || !at.get(0).isInt() || !at.get(1).isInt()) {
            throw new IOException(source + ": " + where + ": expected [address, bit]");
        }
        int address = at.get(0).asInt(), bit = at.get(1).asInt();
        if (address < 0 || address >= Ht1621.RAM_SIZE || bit < 0 || bit > 3) {
            throw new IOException(source + ": " + where + ": address must be 0..31 and bit 0..3, got [" + address
                    + ", " + bit + "]");
        }
        return address * 4 + bit;
    }

    public int digitCount() {
        return digits.length;
    }

    /** The icon names in display order. */
    public List<String> iconNames() {
        return List.of(iconNames);
    }

    /** The text of a RAM image (one nibble per address); {@code visibleCommons} masks commons not driven. */
    String decode(byte[] ram, int visibleCommons) {
        StringBuilder text = new StringBuilder(digits.length * 2 + 8 * icons.length);
        for (int[] digit : digits) {
            int pattern = 0;
            for (int s = 0; s < 7; s++) {
                if (lit(ram, digit[s], visibleCommons)) {
                    pattern |= 1 << s;
                }
            }
            text.append(SevenSegment.charOf(pattern));
            if (digit[7] >= 0 && lit(ram, digit[7], visibleCommons)) {
                text.append('.');
            }
        }
        for (int i = 0; i < icons.length; i++) {
            if (lit(ram, icons[i], visibleCommons)) {
                text.append(' ').append(iconNames[i]);
            }
        }
        return text.toString();
    }

    private static boolean lit(byte[] ram, int position, int visibleCommons) {
        int bit = position & 3;
        return bit < visibleCommons && (ram[position >> 2] >> bit & 1) != 0;
    }
}
