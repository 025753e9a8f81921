package com.digitalfte.channel;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine webhook routes are served by, pinned to the webhook server's port
 * ({@code WEBHOOK_PORT}). The agent runs a second Vert.x server for health and Jolokia
 * ({@code camel.management}, {@code OBSERVE_PORT}); Camel's own engine finds its port only while
 * there is one such server, and otherwise looks for a router on 8080 and the route fails to start.
 */
public final class WebhookHttpEngine extends VertxPlatformHttpEngine {

    /** The name platform-http looks its engine up by. */
    public static final String BEAN = "platform-http-engine";

    private final int port;

    public WebhookHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
