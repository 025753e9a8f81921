package com.digitalfte.support;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stub's check of an OAuth 1.0a (RFC 5849, HMAC-SHA1) signature, written independently of the
 * signer under test: the server's view of the request (method, address, query; a JSON body is not
 * signed), the test's own encoding.
 */
public final class OAuthCheck {

    private static final Pattern OAUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private OAuthCheck() {
    }

    public static ValueMatcher<Request> signedBy(String consumerKey, String consumerSecret, String token, String tokenSecret) {
        return request -> MatchResult.of(valid(request, consumerKey, consumerSecret, token, tokenSecret));
    }

    private static boolean valid(Request request, String consumerKey, String consumerSecret, String token, String tokenSecret) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return false;
        }
        Map<String, String> oauth = new TreeMap<>();
        Matcher m = OAUTH_PARAM.matcher(header);
        while (m.find()) {
            oauth.put(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        }
        String signature = oauth.remove("oauth_signature");
        if (!consumerKey.equals(oauth.get("oauth_consumer_key")) || !token.equals(oauth.get("oauth_token")) || signature == null
                || !"HMAC-SHA1".equals(oauth.get("oauth_signature_method")) || oauth.get("oauth_nonce") == null) {
            return false;
        }
        Map<String, String> all = new TreeMap<>(oauth);
        URI uri = URI.create(request.getAbsoluteUrl());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                all.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        String params = all.entrySet().stream().map(e -> rfc3986(e.getKey()) + "=" + rfc3986(e.getValue())).collect(Collectors.joining("&"));
        String base = request.getMethod().getName() + "&" + rfc3986(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath())
                + "&" + rfc3986(params);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((rfc3986(consumerSecret) + "&" + rfc3986(tokenSecret)).getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8))).equals(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private static String rfc3986(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
