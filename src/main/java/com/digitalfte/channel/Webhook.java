package com.digitalfte.channel;

import com.digitalfte.vault.TaskIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of the {@code webhook-source} kamelet: whether a request is signed, its key for the
 * idempotent consumer, and the task message made of it. What the request says is untrusted: of its
 * headers and JSON only the mapped ones go on, as {@code task.<field>} headers.
 *
 * <p>A mapping's source is a header name ({@code X-GitHub-Delivery}), or
 * a JSON pointer into the body ({@code /sender/login}).
 */
public final class Webhook {

    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String name = "";
    private String secret = "";
    private String signatureHeader = "";
    private String signaturePrefix = "";
    private String signatureAlgorithm = "HmacSHA256";
    private String signatureEncoding = "hex";
    private String key = "";
    private String text = "";
    private Map<String, String> fields = Map.of();
    private WebhookVerifier verifier;

    /** Checks the settings, once they are all set (a kamelet's bean takes free text, a secret with a comma, only through setters). */
    public void init() {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a webhook's name is lower-case letters, digits and '-', not '" + name + "'");
        }
        verifier = new HmacWebhookVerifier(secret, signatureHeader, signaturePrefix, signatureAlgorithm, signatureEncoding);
    }

    /** Whether the request is to be refused, not signed right: one log line, which repeats nothing it carried. */
    public boolean refused(Map<String, Object> headers, byte[] body) {
        if (verifier.verified(headers, body)) {
            return false;
        }
        LOG.warn("Webhook {}: a request without a valid signature was refused (403)", name);
        return true;
    }

    /**
     * A form post comes parsed, its bytes gone, so a signature over the body as sent cannot be
     * checked: refused, in one line (a form-post provider, Twilio, signs its parameters and needs a
     * verifier of its own).
     */
    public void formRefused() {
        LOG.warn("Webhook {}: a form post was refused (403): its signature over the body as sent cannot be checked", name);
    }

    /** The request's own id (a delivery id, a MessageSid); without one, the hash of its body, so a replay has the same. */
    public String key(Map<String, Object> headers, byte[] body) {
        String found = key.isEmpty() ? "" : value(key, headers, body);
        return found.isEmpty() ? "body-" + TaskIds.sha256(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8)) : found;
    }

    /**
     * Makes the request a task message: the message headers are emptied and get {@code task.key} and
     * the mapped {@code task.<field>}; returns the text, the mapped field or the whole body.
     */
    public String task(Map<String, Object> headers, byte[] body) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("task.key", key(headers, body));
        fields.forEach((field, source) -> task.put("task." + field, value(source, headers, body)));
        String message = text.isEmpty() ? new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8) : value(text, headers, body);
        headers.clear();
        headers.putAll(task);
        return message;
    }

    private static String value(String source, Map<String, Object> headers, byte[] body) {
        if (source.startsWith("/")) {
            try {
                JsonNode node = JSON.readTree(body).at(source);
                return node.isMissingNode() || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
            } catch (Exception notJson) {
                return "";
            }
        }
        Object value = headers.get(source);
        if (value instanceof List<?> values) {
            value = values.isEmpty() ? null : values.get(0);
        }
        return value == null ? "" : value.toString();
    }

    /** Names the seen-keys file and the log lines, e.g. support-form. */
    public void setName(String name) {
        this.name = name.strip();
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public void setSignatureHeader(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }

    public void setSignaturePrefix(String signaturePrefix) {
        this.signaturePrefix = signaturePrefix;
    }

    public void setSignatureAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public void setSignatureEncoding(String signatureEncoding) {
        this.signatureEncoding = signatureEncoding;
    }

    /** The header or JSON pointer of the request's own id. */
    public void setKey(String key) {
        this.key = key.strip();
    }

    /** The header or JSON pointer of the text; blank for the whole body. */
    public void setText(String text) {
        this.text = text.strip();
    }

    /** {@code field=source} pairs, by commas: {@code from=From, subject=/issue/title}. */
    public void setFields(String mapping) {
        this.fields = FieldMapping.parse(mapping);
    }
}
