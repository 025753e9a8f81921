package com.digitalfte.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * Free ports for the embedded mailbox of an agent a test starts: its defaults (3143, 3025) are one
 * pair per host, and the suite runs test classes in two JVMs at once.
 */
final class EmbeddedPorts {

    private static final List<String> MAIL_SETTINGS = List.of("MAIL_PROVIDER", "IMAP_HOST", "SMTP_HOST", "MAIL_USERNAME", "MAIL_ADDRESS");

    private EmbeddedPorts() {
    }

    /** Adds free IMAP and SMTP ports where the environment leaves the agent on its embedded mailbox and names none. */
    static void addTo(Map<String, String> env) {
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
