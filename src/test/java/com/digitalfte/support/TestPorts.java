package com.digitalfte.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
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
        boolean embedded = MAIL_SETTINGS.stream().noneMatch(env::containsKey) || "embedded".equalsIgnoreCase(env.get("MAIL_PROVIDER"));
        List<String> wanted = embedded ? List.of("OBSERVE_PORT", "IMAP_PORT", "SMTP_PORT") : List.of("OBSERVE_PORT");
        // each socket stays open until all are chosen, so that no two of them get the same port
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String name : wanted) {
                if (!env.containsKey(name)) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    env.put(name, Integer.toString(socket.getLocalPort()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port was only held while the others were chosen
                }
            }
        }
    }
}
