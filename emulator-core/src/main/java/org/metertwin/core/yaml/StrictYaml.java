package org.metertwin.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * How MeterTwin reads its YAML files (machine descriptions, scenarios): a value is taken only as what it
 * says. Booleans are {@code true} and {@code false} (any case YAML allows: True, FALSE); the YAML 1.1 words
 * yes/no/on/off/y/n are text, so a boolean field rejects them instead of guessing. No coercion between
 * numbers, text and booleans; no fraction dropped from a whole number; a key given twice, a second document
 * or an explicit null ({@code field:} with nothing, {@code ~}) is an error rather than last-wins or absent
 * ({@link #check}).
 */
public final class StrictYaml {
    private StrictYaml() {
    }

    /** The parser settings; also for code that walks a document itself (to locate a field). */
    public static YAMLFactory factory() {
        return YAMLFactory.builder()
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .build();
    }

    /** A mapper for records whose absent fields are null: explicit nulls fail, unknown fields fail. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder(factory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Null when {@code bytes} are UTF-8 text that YAML allows; otherwise what is wrong, in the user's terms:
     * {@code not UTF-8 text: byte 0xb4 at offset 17 (line 2)}. Checked before parsing because the parser's
     * own report names Java classes and positions it cannot know.
     */
    public static String notText(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, text, true);
        if (r.isError()) {
            int at = in.position();
            return String.format("not UTF-8 text: byte 0x%02x at offset %d (line %d)", bytes[at] & 0xFF, at,
                    line(bytes, at));
        }
        String s = text.flip().toString();
        int offset = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (!yamlCharacter(c)) {
                return String.format("not a text file: control character 0x%02x at offset %d (line %d)", c, offset,
                        line(bytes, offset));
            }
            offset += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            i += Character.charCount(c);
        }
        return null;
    }

    /** The printable characters of YAML 1.2 (5.1): tab, line breaks and everything but other controls. */
    private static boolean yamlCharacter(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
    }

    private static int line(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return line;
    }

    /** A mistake {@link #check} found: where, in which field ({@code load[0].lagging}; empty at the top), what. */
    public record Problem(JsonLocation location, String path, String message) {
        /** What follows the file's name in the one-line message: {@code :LINE:COL: path: message}. */
        public String text() {
            if (location == null) { // a syntax error, which carries its own position
                return message;
            }
            return YamlErrors.location(location) + " " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /**
     * What the mapper cannot see for itself, with the field's path and the position of its key or value: a
     * key given twice in a map, a field or list element written with no value ({@code ~},
     * {@code null}, nothing or {@code ""}: Jackson would take it as absent or as empty text), YAML's
     * {@code .inf} and {@code .nan}, and a second document after the first (Jackson would read the first alone).
     * Also a text that is not YAML at all, in {@link YamlErrors#syntax}'s words. Null when all is well.
     */
    public static Problem check(byte[] yaml) {
        try (JsonParser p = factory().createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            int depth = 0;
            java.util.Deque<java.util.Set<String>> keys = new java.util.ArrayDeque<>(); // of each open map
            do { // through the first document
                if (t == JsonToken.FIELD_NAME && !keys.peek().add(p.currentName())) {
                    // Jackson would keep the last one, or name the map but not the key
                    return new Problem(p.currentTokenLocation(), path(p.getParsingContext()),
                            "appears twice, expected once");
                }
                if (t == JsonToken.START_OBJECT) {
                    keys.push(new java.util.HashSet<>());
                } else if (t == JsonToken.END_OBJECT) {
                    keys.pop();
                }
                boolean empty = t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING && p.getText().isEmpty();
                if (empty && depth > 0) {
                    return new Problem(p.currentTokenLocation(), path(p.getParsingContext()),
                            "expected a value, got nothing (leave the field out for its default)");
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT && p.getText().matches("[-+]?\\.(?i:inf|nan)")) {
                    // YAML's infinities and not-a-number, which no setting means (and Jackson cannot read)
                    return new Problem(p.currentTokenLocation(), path(p.getParsingContext()),
                            "expected a finite number, got '" + p.getText() + "'");
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            } while (depth > 0 && (t = p.nextToken()) != null);
            if (p.nextToken() != null) {
                return new Problem(p.currentTokenLocation(), "", "a second document (---); expected one per file");
            }
            return null;
        } catch (JsonProcessingException e) { // not YAML: said here, before the mapper wraps it in a field's error
            return new Problem(null, "", YamlErrors.syntax(e));
        } catch (IOException e) {
            return null;
        }
    }

    private static String path(JsonStreamContext c) {
        String path = "";
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            path = (c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName()) + path;
        }
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
