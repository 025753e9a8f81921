package com.digitalfte.channel.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a user-context signing (RFC 5849, HMAC-SHA1), as X's {@code POST /2/tweets} needs it:
 * the {@code Authorization: OAuth ...} header for one request. A JSON body is not signed (only a
 * form body would be, and no action here sends one); the URL's query parameters are.
 */
public final class OAuth1 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String consumerKey;
    private final String consumerSecret;
    private final String token;
    private final String tokenSecret;

    public OAuth1(String consumerKey, String consumerSecret, String token, String tokenSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
        this.token = token;
        this.tokenSecret = tokenSecret;
    }

    /** The header for this request, with a fresh nonce and the current time. */
    public String authorization(String method, String url) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return authorization(method, url, HexFormat.of().formatHex(nonce), System.currentTimeMillis() / 1000);
    }

    /** The header with this nonce and timestamp (seconds): what a test compares with a documented example. */
    public String authorization(String method, String url, String nonce, long timestamp) {
        return authorization(method, url, Map.of(), nonce, timestamp);
    }

    /** The same with the parameters of a form body, which are signed too (RFC 5849 3.4.1.3.1). */
    String authorization(String method, String url, Map<String, String> formParameters, String nonce, long timestamp) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_token", token);
        oauth.put("oauth_version", "1.0");
        String signature = sign(baseString(method, url, oauth, formParameters));
        oauth.put("oauth_signature", signature);
        return "OAuth " + oauth.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=\"" + encode(e.getValue()) + "\"")
                .collect(Collectors.joining(", "));
    }

    /** RFC 5849 3.4.1: method, base URI and the sorted, encoded parameters, each encoded again and joined by '&'. */
    static String baseString(String method, String url, Map<String, String> oauth, Map<String, String> formParameters) {
        URI uri = URI.create(url);
        List<String[]> parameters = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.add(new String[] {encode(decode(name)), encode(decode(value))});
            }
        }
        formParameters.forEach((name, value) -> parameters.add(new String[] {encode(name), encode(value)}));
        oauth.forEach((name, value) -> parameters.add(new String[] {encode(name), encode(value)}));
        parameters.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        String normalized = parameters.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(uri)) + "&" + encode(normalized);
    }

    /** RFC 5849 3.4.1.2: scheme and host in lower case, the port only when it is not the scheme's default, no query. */
    private static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    private String sign(String baseString) {
        String key = encode(consumerSecret) + "&" + encode(tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is missing from this JVM", e);
        }
    }

    private static String encode(String value) {
        return Percent.encode(value);
    }

    private static String decode(String value) {
        return Percent.decodeForm(value);
    }
}
