package com.digitalfte.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One part's state as a check reports it: up or down, one sentence for the owner, and the figures behind it. */
public record Health(boolean up, String message, Map<String, Object> details) {

    public Health {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Health up(String message, Map<String, Object> details) {
        return new Health(true, message, details);
    }

    public static Health down(String message, Map<String, Object> details) {
        return new Health(false, message, details);
    }
}
