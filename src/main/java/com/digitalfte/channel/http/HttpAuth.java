package com.digitalfte.channel.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The headers that authorize a request to a provider: a bearer token, OAuth 1.0a user context
 * (consumer key and secret, access token and secret), or neither; and the provider's own headers
 * ({@code X-Api-Key: ...}, {@code LinkedIn-Version: 202601}), one {@code Name: value} a line. Blank
 * settings are simply absent, so a kamelet can offer them all. Set through setters (a kamelet's
 * bean takes a secret with a comma only so), then {@link #init}.
 */
public final class HttpAuth {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    private String token = "";
    private String consumerKey = "";
    private String consumerSecret = "";
    private String accessToken = "";
    private String accessTokenSecret = "";
    private String headers = "";
    private OAuth1 oauth;
    private Map<String, String> custom = Map.of();

    /** Checks the settings: a bearer token or all four OAuth 1.0a values, and well-formed headers. */
    public void init() {
        boolean anyOAuth = notBlank(consumerKey) || notBlank(consumerSecret) || notBlank(accessToken) || notBlank(accessTokenSecret);
        if (anyOAuth && !(notBlank(consumerKey) && notBlank(consumerSecret) && notBlank(accessToken) && notBlank(accessTokenSecret))) {
            throw new IllegalArgumentException("OAuth 1.0a needs all four of the consumer key and secret and the access token and its secret");
        }
        if (anyOAuth && notBlank(token)) {
            throw new IllegalArgumentException("give a bearer token or OAuth 1.0a credentials, not both");
        }
        oauth = anyOAuth ? new OAuth1(consumerKey.strip(), consumerSecret.strip(), accessToken.strip(), accessTokenSecret.strip()) : null;
        custom = parse(headers);
    }

    /** The headers for this request; OAuth 1.0a signs the method and the URL with its query. */
    public Map<String, String> headers(String method, String url) {
        Map<String, String> all = new LinkedHashMap<>(custom);
        if (notBlank(token)) {
            all.put("Authorization", "Bearer " + token.strip());
        } else if (oauth != null) {
            all.put("Authorization", oauth.authorization(method, url));
        }
        return all;
    }

    /** A bearer token. */
    public void setToken(String token) {
        this.token = token;
    }

    /** OAuth 1.0a: the consumer key (X's API key). */
    public void setConsumerKey(String consumerKey) {
        this.consumerKey = consumerKey;
    }

    public void setConsumerSecret(String consumerSecret) {
        this.consumerSecret = consumerSecret;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public void setAccessTokenSecret(String accessTokenSecret) {
        this.accessTokenSecret = accessTokenSecret;
    }

    /** The provider's own headers, one {@code Name: value} a line. */
    public void setHeaders(String headers) {
        this.headers = headers;
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
}
