package com.digitalfte.channel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which part of a message from outside becomes which task field: {@code field=source} pairs, by
 * commas or lines ({@code from=/requester/email, subject=/subject}). Only the mapped fields go on;
 * {@code key} is the source's own id and is set apart.
 */
public final class FieldMapping {

    private FieldMapping() {
    }

    public static Map<String, String> parse(String mapping) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : mapping.split("[,\\n]")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] fieldAndSource = pair.split("=", 2);
            String field = fieldAndSource[0].strip();
            if (fieldAndSource.length < 2 || fieldAndSource[1].isBlank() || !field.matches("[a-z][a-z0-9_]{0,39}") || field.equals("key")) {
                throw new IllegalArgumentException("a field mapping is field=source with a lower-case field name other than key, not '"
                        + pair.strip() + "'");
            }
            parsed.put(field, fieldAndSource[1].strip());
        }
        return parsed;
    }
}
