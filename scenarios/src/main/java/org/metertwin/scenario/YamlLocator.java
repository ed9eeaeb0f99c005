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

/**
 * Finds where a field is in a YAML document, so that a check made after reading (an {@code at} out of
 * order, a field that depends on another) can name the line and column as Jackson's own errors do.
 */
final class YamlLocator {
    /** The value found at a path: where it starts and how it reads (its text, or "a list"/"a map"). */
    record Found(JsonLocation location, String description) {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private final byte[] yaml;

    YamlLocator(byte[] yaml) {
        this.yaml = yaml;
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
            for (Object step : steps) {
                JsonLocation here = p.currentTokenLocation();
                boolean found = step instanceof String name ? enterField(p, name) : enterElement(p, (Integer) step);
                if (!found) {
                    return new Found(here, "");
                }
            }
            return new Found(p.currentTokenLocation(), describe(p));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean enterField(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return false;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String n = p.currentName();
            p.nextToken();
            if (n.equals(name)) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    private static boolean enterElement(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        for (int i = 0; ; i++) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.END_ARRAY) {
                return false;
            }
            if (i == index) {
                return true;
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
