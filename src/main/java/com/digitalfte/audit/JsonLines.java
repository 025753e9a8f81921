package com.digitalfte.audit;

import com.digitalfte.secrets.Masking;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Appends one JSON object per line; the files under {@code Logs/} that never leave the machine, and
 * still never hold a credential: every string in a record is masked as a log line is.
 */
public final class JsonLines {

    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    public static synchronized void append(Path file, Map<String, ?> record) {
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (JSON.writeValueAsString(masked(JSON.valueToTree(record))) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a log record", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static JsonNode masked(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(Masking.mask(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(masked(field.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, masked(array.get(i)));
            }
        }
        return node;
    }

    /** The last {@code n} parseable records of a file, oldest first; a torn line is skipped. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> tail(Path file, int n) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return result;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = Math.max(0, lines.size() - n); i < lines.size(); i++) {
                try {
                    result.add(JSON.readValue(lines.get(i), Map.class));
                } catch (JsonProcessingException torn) {
                    // a line cut short by a crash: the rest of the log still counts
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
