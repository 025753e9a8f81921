package com.digitalfte.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Optional;

/**
 * Whether a provider's server answers at all: one TCP connection, closed at once. It tells a server
 * that is down from one that refuses us, between two calls of a channel that seldom calls (a reply
 * is sent only when the owner approves one).
 */
public record Reachability(String host, int port) {

    private static final int TIMEOUT_MS = 2000;

    /** The host and port of an http(s) URL (its scheme's port when it names none). */
    public static Reachability ofUrl(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return new Reachability(uri.getHost(), port);
    }

    /** Empty when the server accepted the connection, else why it did not. */
    public Optional<String> check() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(host + ":" + port + " cannot be reached (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
