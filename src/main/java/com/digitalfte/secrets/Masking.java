package com.digitalfte.secrets;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What keeps credentials out of everything the agent writes outside the vault's history: each log
 * line (through {@link MaskConverter}), the JSON Lines logs, the reasons written into failed tasks.
 * It knows every secret this process was configured with (several agents in one JVM add theirs),
 * every credential in a URL and every credential shape of {@link SecretGuard}.
 */
public final class Masking {

    // userinfo holds no "/", "?" or "#" (RFC 3986), so "smtp://host:25?user=me@example.com" is left alone; a user
    // name may hold a raw "@" (an address), and so may a password: it runs to the last "@" before the host
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/?#\\s:]*):[^/?#\\s]+@");
    private static final Pattern URL_TOKEN = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s:]+@(?![^/?#\\s]*@)");

    private static final Set<String> secrets = new LinkedHashSet<>();
    private static volatile SecretGuard guard = new SecretGuard(Set.of());

    private Masking() {
    }

    /** Adds configured secrets; they stay known for the life of the process. */
    public static synchronized void add(Collection<String> values) {
        if (secrets.addAll(values)) {
            guard = new SecretGuard(secrets);
        }
    }

    /** The text with every credential it holds masked; the rest as it was. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return guard.redact(urls(text)).text();
    }

    /** {@code scheme://user:***@host}, and {@code scheme://***@host} for a token standing alone as the user. */
    static String urls(String text) {
        if (!text.contains("://") || text.indexOf('@') < 0) {
            return text;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1:***@");
        return URL_TOKEN.matcher(masked).replaceAll("$1***@");
    }
}
