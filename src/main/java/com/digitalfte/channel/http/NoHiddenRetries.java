package com.digitalfte.channel.http;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Apache HttpClient 5 sends a request again by itself after some I/O errors and after a 429 or a 503,
 * a POST too (5.5: its response retry does not look at the method): a post could then go out twice
 * behind the executor's back. The connectors decide every retry themselves, from the ledger and
 * the answer, so the client's own are off.
 */
public final class NoHiddenRetries implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        clientBuilder.disableAutomaticRetries();
    }
}
