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

    /** {@code EMAIL_} and the first 16 hex digits of the SHA-256 of the Message-ID. */
    public static String email(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("a message without Message-ID needs a fallback key");
        }
        return "EMAIL_" + sha256(messageId.strip()).substring(0, 16);
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
