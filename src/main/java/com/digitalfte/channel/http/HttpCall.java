package com.digitalfte.channel.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request as the kamelet hands it to camel-http: the address in {@code CamelHttpUri} (so
 * nothing in it is read as an endpoint option), the method, the headers, the body.
 */
public record HttpCall(String method, String url, Map<String, String> headers, String body) {

    /** The message headers that make camel-http send exactly this request. */
    public Map<String, Object> camelHeaders() {
        Map<String, Object> h = new LinkedHashMap<>(headers);
        h.put("CamelHttpMethod", method);
        h.put("CamelHttpUri", url);
        return h;
    }
}
