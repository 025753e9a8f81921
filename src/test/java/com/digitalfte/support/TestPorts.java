package com.digitalfte.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * Free ports for an agent a test starts: the defaults of its embedded mailbox (3143, 3025) and of
 * its health and Jolokia (9876) are one per host, and the suite runs test classes in two JVMs at
 * once. Two agents that start together on one port both find it free, and one of them then fails
 * to bind it.
 */
public final class TestPorts {

    private static final List<String> MAIL_SETTINGS = List.of("MAIL_PROVIDER", "IMAP_HOST", "SMTP_HOST", "MAIL_USERNAME", "MAIL_ADDRESS");

    private TestPorts() {
    }

    /**
     * Adds a free observe port where the environment names none, and free IMAP and SMTP ports where
     * it leaves the agent on its embedded mailbox and names none.
     */
    public static void addTo(Map<String, String> env) {
        env.computeIfAbsent("OBSERVE_PORT", k -> Integer.toString(freePort()));
        boolean embedded = MAIL_SETTINGS.stream().noneMatch(env::containsKey) || "embedded".equalsIgnoreCase(env.get("MAIL_PROVIDER"));
        if (embedded) {
            env.computeIfAbsent("IMAP_PORT", k -> Integer.toString(freePort()));
            env.computeIfAbsent("SMTP_PORT", k -> Integer.toString(freePort()));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
