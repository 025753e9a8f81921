package com.digitalfte.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Task ids are made from the source, so the same message seen twice makes the same id; they are
 * also file names, so nothing but letters, digits, '_' and '-' ever gets in.
 */
public final class TaskIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private TaskIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

    /** {@code EMAIL_} and the first 16 hex digits of the SHA-256 of the Message-ID. */
    public static String email(String messageId) {
        return fromKey("EMAIL", messageId);
    }

    /**
     * The id for a source's own key: {@code <prefix>_<key>} when the key is a plain token (a Gmail
     * message id, a post id, a MessageSid), else {@code <prefix>_} and 16 hex digits of its SHA-256.
     */
    public static String fromKey(String prefix, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a task id needs a key");
        }
        String k = key.strip();
        return prefix + "_" + (PLAIN_KEY.matcher(k).matches() ? k : sha256(k).substring(0, 16));
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
