package com.digitalfte.channel.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The headers that authorize a request to a provider: a bearer token, OAuth 1.0a user context
 * (consumer key and secret, token and secret), or neither; and the provider's own headers
 * ({@code X-Api-Key: ...}, {@code LinkedIn-Version: 202601}), one {@code Name: value} a line. Blank
 * settings are simply absent, so a kamelet can offer them all.
 */
public final class HttpAuth {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    private final String bearerToken;
    private final OAuth1 oauth;
    private final Map<String, String> custom;

    public HttpAuth(String bearerToken, String consumerKey, String consumerSecret, String token, String tokenSecret, String headers) {
        this.bearerToken = blankToNull(bearerToken);
        boolean anyOAuth = notBlank(consumerKey) || notBlank(consumerSecret) || notBlank(token) || notBlank(tokenSecret);
        if (anyOAuth && !(notBlank(consumerKey) && notBlank(consumerSecret) && notBlank(token) && notBlank(tokenSecret))) {
            throw new IllegalArgumentException("OAuth 1.0a needs all four of the consumer key and secret and the token and its secret");
        }
        if (anyOAuth && this.bearerToken != null) {
            throw new IllegalArgumentException("give a bearer token or OAuth 1.0a credentials, not both");
        }
        this.oauth = anyOAuth ? new OAuth1(consumerKey.strip(), consumerSecret.strip(), token.strip(), tokenSecret.strip()) : null;
        this.custom = parse(headers);
    }

    /** The headers for this request; OAuth 1.0a signs the method and the URL with its query. */
    public Map<String, String> headers(String method, String url) {
        Map<String, String> headers = new LinkedHashMap<>(custom);
        if (bearerToken != null) {
            headers.put("Authorization", "Bearer " + bearerToken);
        } else if (oauth != null) {
            headers.put("Authorization", oauth.authorization(method, url));
        }
        return headers;
    }

    private static Map<String, String> parse(String headers) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (headers == null) {
            return parsed;
        }
        for (String line : headers.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (!HEADER_NAME.matcher(name).matches() || name.regionMatches(true, 0, "Camel", 0, 5)) {
                // the value may be a key: the line is not quoted back
                throw new IllegalArgumentException("a custom header is one 'Name: value' a line, with a header name that is not Camel's;"
                        + " this one is not (name '" + name + "')");
            }
            parsed.put(name, line.substring(colon + 1).strip());
        }
        return parsed;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return notBlank(s) ? s.strip() : null;
    }
}
