package org.metertwin.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;

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
}
