package org.metertwin.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metertwin.core.yaml.StrictYaml;

/**
 * Finds where a field is in a YAML document, so that a check made after reading (an {@code at} out of
 * order, a field that depends on another) can name the line and column as Jackson's own errors do.
 */
final class YamlLocator {
    /** The value found at a path: where it starts and how it reads (its text, or "a list"/"a map"). */
    record Found(JsonLocation location, JsonLocation keyLocation, String description) {
    }

    private static final YAMLFactory FACTORY = StrictYaml.factory(); // reads values as the loader does
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private final byte[] yaml;

    YamlLocator(byte[] yaml) {
        this.yaml = yaml;
    }

    /** True when the document holds nothing but comments and blanks; false too when it cannot be read. */
    boolean isEmpty() {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The value at {@code path} ({@code load[1].at}); if the path does not exist, the deepest part of it that
     * does (the object a missing field belongs in). Null if the document cannot be read.
     */
    Found find(String path) {
        List<Object> steps = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        try (JsonParser p = FACTORY.createParser(yaml)) {
            if (p.nextToken() == null) {
                return null;
            }
            JsonLocation key = p.currentTokenLocation();
            for (Object step : steps) {
                JsonLocation here = p.currentTokenLocation();
                JsonLocation found = step instanceof String name ? enterField(p, name) : enterElement(p, (Integer) step);
                if (found == null) {
                    return new Found(here, here, "");
                }
                key = found;
            }
            return new Found(p.currentTokenLocation(), key, describe(p));
        } catch (IOException e) {
            return null;
        }
    }

    /** Moves to the value of field {@code name}; the location of its key, or null if there is none. */
    private static JsonLocation enterField(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            JsonLocation key = p.currentTokenLocation();
            p.nextToken();
            if (n.equals(name)) {
                return key;
            }
            p.skipChildren();
        }
        return null;
    }

    /** Moves to element {@code index} of a list; its location, or null if there is none. */
    private static JsonLocation enterElement(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return null;
        }
        for (int i = 0; ; i++) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.END_ARRAY) {
                return null;
            }
            if (i == index) {
                return p.currentTokenLocation();
            }
            p.skipChildren();
        }
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return "a list";
        }
        if (t == JsonToken.START_OBJECT) {
            return "a map";
        }
        if (t == JsonToken.VALUE_NULL) {
            return "nothing";
        }
        return "'" + p.getText() + "'";
    }
}
