package com.digitalfte.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What a provider answered: the status, how long it asked us to wait ({@code Retry-After} in
 * seconds or as a date, or X's {@code x-rate-limit-reset} in epoch seconds when nothing is left of
 * the window), and, for a refusal, its own words from the body.
 */
public record HttpAnswer(int status, Duration retryAfter, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where providers put the reason of a refusal: {"message"}, {"error": {"message"}}, {"errors": [{"message"}]}, RFC 9457's "detail". */
    private static final List<String> MESSAGE_POINTERS = List.of("/error/message", "/errors/0/message", "/errors/0/detail", "/message",
            "/error_description", "/detail", "/title", "/error");
    private static final int MAX_MESSAGE = 300;

    /** {@code headers}: the answer's, names in any case (Camel's message headers are case-insensitive). */
    public static HttpAnswer of(int status, Map<String, Object> headers, String body, Instant now) {
        Duration wait = parseRetryAfter(header(headers, "Retry-After"), now);
        if (wait == null && (status == 429 || header(headers, "x-rate-limit-remaining").equals("0"))) {
            wait = untilEpochSecond(header(headers, "x-rate-limit-reset"), now);
        }
        return new HttpAnswer(status, wait, body == null ? "" : body);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The provider's reason, from its JSON if it gave one, else the start of the body, on one line. */
    public String said() {
        String text = body.strip();
        try {
            JsonNode json = JSON.readTree(text);
            for (String pointer : MESSAGE_POINTERS) {
                JsonNode node = json == null ? null : json.at(pointer);
                if (node != null && node.isValueNode() && !node.asText().isBlank()) {
                    text = node.asText();
                    break;
                }
            }
        } catch (Exception notJson) {
            // a plain-text or HTML answer: its first characters say enough
        }
        text = text.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "no reason given";
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
    }

    private static String header(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value instanceof List<?> values) {
            value = values.isEmpty() ? null : values.get(0);
        }
        return value == null ? "" : value.toString().strip();
    }

    static Duration parseRetryAfter(String v, Instant now) {
        if (v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            return positive(Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static Duration untilEpochSecond(String v, Instant now) {
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return positive(Duration.between(now, Instant.ofEpochSecond(Long.parseLong(v))));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
