package com.digitalfte.secrets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The credential a URL may carry in its user part: a secret like any configured one. */
public final class UrlCredentials {

    private static final Pattern USERINFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#\\s]+)@");

    private UrlCredentials() {
    }

    /**
     * The password in {@code scheme://user:password@host} (as written and percent-decoded), or a
     * token standing alone as the user ({@code https://ghp_...@github.com}); a plain user name
     * ({@code ssh://git@host}) is no secret.
     */
    public static Set<String> in(String url) {
        Matcher m = USERINFO.matcher(url == null ? "" : url);
        if (!m.find()) {
            return Set.of();
        }
        String userInfo = m.group(1);
        int colon = userInfo.indexOf(':');
        String credential = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
        if (credential.isEmpty() || colon < 0 && !SecretRules.looksGenerated(credential)) {
            return Set.of();
        }
        return new LinkedHashSet<>(List.of(credential, URLDecoder.decode(credential.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }
}
