package com.digitalfte.channel.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding: every byte of the UTF-8 form but the unreserved characters
 * ({@code A-Z a-z 0-9 - . _ ~}) as {@code %XX} in upper-case hex. What OAuth 1.0a signs (RFC 5849
 * 3.6), and what a value from a task or from a provider becomes in a URL: it can then never add a
 * path segment, a query parameter or a {@code {{placeholder}}} of its own.
 */
final class Percent {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Percent() {
    }

    static String encode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** A query string's name or value as a form decodes it ({@code +} is a space). */
    static String decodeForm(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
