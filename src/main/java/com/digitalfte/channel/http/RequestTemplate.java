package com.digitalfte.channel.http;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request filled from an approved task, never evaluated: in the URL, {@code {field}} becomes the
 * task's front-matter field, percent-encoded; in the JSON body, a string value that is exactly
 * {@code $draft} becomes the {@code ## Draft} as the owner left it and {@code $<field>} the field,
 * each as a JSON value of its own (so a quote or a brace in a draft stays text). Anything else in
 * the templates is sent as written. A field the task lacks refuses the task, saying which.
 */
public final class RequestTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL_FIELD = Pattern.compile("\\{([a-z][a-z0-9_]{0,39})}");
    private static final Pattern BODY_VALUE = Pattern.compile("\\$([a-z][a-z0-9_]{0,39})");
    private static final String DRAFT = "draft";

    private final String url;
    private final JsonNode body;

    /** {@code body}: a JSON document, or blank for a request without one (a GET, a DELETE). */
    public RequestTemplate(String url, String body) {
        this.url = url.strip();
        if (!this.url.startsWith("http://") && !this.url.startsWith("https://")) {
            throw new IllegalArgumentException("the URL must start with http:// or https://, not '" + this.url + "'");
        }
        try {
            this.body = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body template is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public String url(TaskFile task) throws TaskFormatException {
        Matcher m = URL_FIELD.matcher(url);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(filled, Matcher.quoteReplacement(Percent.encode(text(field(task, m.group(1))))));
        }
        return m.appendTail(filled).toString();
    }

    /** The JSON to send, or null when the template has no body. */
    public String body(TaskFile task) throws TaskFormatException {
        if (body == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(fill(body.deepCopy(), task));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a filled JSON tree always serializes", e);
        }
    }

    private static JsonNode fill(JsonNode node, TaskFile task) throws TaskFormatException {
        if (node.isTextual()) {
            Matcher m = BODY_VALUE.matcher(node.textValue());
            if (m.matches()) {
                return m.group(1).equals(DRAFT)
                        ? TextNode.valueOf(task.section(TaskFile.DRAFT).orElseThrow(() -> new TaskFormatException("the task has no ## Draft to send")))
                        : JSON.valueToTree(field(task, m.group(1)));
            }
            return node;
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                e.setValue(fill(e.getValue(), task));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fill(array.get(i), task));
            }
        }
        return node;
    }

    private static Object field(TaskFile task, String name) throws TaskFormatException {
        Object value = task.frontMatter().get(name);
        if (value == null || value.toString().isBlank()) {
            throw new TaskFormatException("the task has no '" + name + "' field, which the request needs");
        }
        return value;
    }

    private static String text(Object value) throws TaskFormatException {
        if (value instanceof Map || value instanceof Iterable) {
            throw new TaskFormatException("a field in a URL must be a single value, not a list or a map");
        }
        return value.toString();
    }
}
