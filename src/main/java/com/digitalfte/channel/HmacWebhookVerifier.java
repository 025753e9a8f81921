package com.digitalfte.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The generic webhook signature: an HMAC of the body with a secret shared with the provider, in a
 * header, hex or base64, after an optional prefix (GitHub's {@code X-Hub-Signature-256: sha256=...},
 * Stripe-like and most others). Compared in constant time.
 */
public final class HmacWebhookVerifier implements WebhookVerifier {

    private final byte[] secret;
    private final String header;
    private final String prefix;
    private final String algorithm;
    private final boolean base64;

    /** {@code algorithm}: a JCE MAC name (HmacSHA256, HmacSHA1); {@code encoding}: hex or base64. */
    public HmacWebhookVerifier(String secret, String header, String prefix, String algorithm, String encoding) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook needs the secret it shares with its provider: without one anybody could post to it");
        }
        String enc = encoding.strip().toLowerCase(Locale.ROOT);
        if (!enc.equals("hex") && !enc.equals("base64")) {
            throw new IllegalArgumentException("the signature's encoding is hex or base64, not '" + encoding + "'");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.header = header.strip();
        this.prefix = prefix == null ? "" : prefix.strip();
        this.algorithm = algorithm.strip();
        this.base64 = enc.equals("base64");
        mac();
    }

    @Override
    public boolean verified(Map<String, Object> headers, byte[] body) {
        Object value = headers.get(header);
        if (value instanceof List<?> values) {
            value = values.size() == 1 ? values.get(0) : null;
        }
        if (value == null || !value.toString().strip().startsWith(prefix)) {
            return false;
        }
        byte[] given;
        try {
            String signature = value.toString().strip().substring(prefix.length());
            given = base64 ? Base64.getDecoder().decode(signature) : HexFormat.of().parseHex(signature.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notEncoded) {
            return false;
        }
        return MessageDigest.isEqual(given, mac().doFinal(body == null ? new byte[0] : body));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the signature algorithm '" + algorithm + "' is not a MAC this JVM has", e);
        }
    }
}
