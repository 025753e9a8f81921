package com.digitalfte.channel.whatsapp;

import com.twilio.security.RequestValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's {@code X-Twilio-Signature}: base64(HMAC-SHA1(auth token, the URL Twilio called + each POST
 * parameter's name and value, sorted by name)), checked by the SDK's own {@link RequestValidator}
 * (which also tries the URL with the port added or removed, and compares in constant time). The URL
 * is the public one configured at Twilio ({@code TWILIO_WEBHOOK_URL}): behind a tunnel or a proxy
 * the local server sees another.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";

    private final RequestValidator validator;
    private final String url;

    public TwilioSignature(String authToken, String webhookUrl) {
        if (authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("TWILIO_AUTH_TOKEN is needed to check that a webhook request comes from Twilio");
        }
        if (webhookUrl == null || !webhookUrl.strip().matches("https?://\\S+")) {
            throw new IllegalArgumentException("TWILIO_WEBHOOK_URL must be the full public URL Twilio calls, e.g."
                    + " https://assistant.example.org/webhooks/whatsapp, not '" + webhookUrl + "'");
        }
        this.validator = new RequestValidator(authToken.strip());
        this.url = webhookUrl.strip();
    }

    /**
     * Whether Twilio signed these form parameters, as parsed. A parameter given twice is not a form
     * Twilio sends (its messaging webhooks name each once): refused rather than signed over a guess.
     */
    public boolean verified(String signature, Map<String, ?> parameters) {
        if (signature == null || signature.isBlank() || parameters == null) {
            return false;
        }
        Map<String, String> flat = new HashMap<>();
        for (Map.Entry<String, ?> p : parameters.entrySet()) {
            Object value = p.getValue();
            if (value instanceof List<?> values) {
                if (values.size() != 1) {
                    return false;
                }
                value = values.get(0);
            }
            flat.put(p.getKey(), value == null ? "" : value.toString());
        }
        return validator.validate(url, flat, signature.strip());
    }
}
