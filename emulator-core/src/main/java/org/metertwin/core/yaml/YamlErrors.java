package org.metertwin.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Pieces of the one-line messages for mistakes in YAML files (machine descriptions, scenarios): where the
 * mistake is and which field it is in, from what Jackson reports.
 */
public final class YamlErrors {
    private YamlErrors() {
    }

    /** {@code ":LINE:COLUMN:"} to follow a file name, or {@code ":"} when Jackson knows no position. */
    public static String location(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? ":" : ":" + l.getLineNr() + ":" + l.getColumnNr() + ":";
    }

    /** The field's path as written in the file, such as {@code devices[2].properties}; empty at the top. */
    public static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * {@code ":LINE:COLUMN: not valid YAML: PROBLEM"} for a text the YAML parser cannot read: the problem and
     * its position as the parser found them (SnakeYAML's line of the problem, not its context or Java names).
     */
    public static String syntax(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null && m.getProblem() != null) {
            Mark at = m.getProblemMark();
            String problem = m.getProblem().contains("(TAB)") ? "a tab character; YAML indents and separates with spaces"
                    : m.getProblem();
            return ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1) + ": not valid YAML: " + problem;
        }
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return location(e.getLocation()) + " not valid YAML: " + (nl < 0 ? m : m.substring(0, nl));
    }

    /** What a value of {@code type} looks like to the user who writes it. */
    public static String kind(Class<?> type) {
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a map of fields";
    }
}
