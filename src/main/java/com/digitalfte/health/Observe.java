package com.digitalfte.health;

import com.digitalfte.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent is observed: health at {@code /observe/health} and Jolokia (for Hawtio) at
 * {@code /observe/jolokia}, on {@code OBSERVE_BIND:OBSERVE_PORT} (127.0.0.1:9876 unless told).
 * Jolokia reads every MBean and executes nothing ({@code jolokia-access.xml}); with
 * {@code JOLOKIA_ALLOW_CONTROL=true} it may also start and stop routes
 * ({@code jolokia-access-control.xml}). A second agent on the host finds the port taken: it runs
 * on without them and says so, rather than not starting at all.
 */
public final class Observe {

    private static final Logger LOG = LoggerFactory.getLogger(Observe.class);
    public static final int DEFAULT_PORT = 9876;

    private final String bind;
    private final int port;
    private final boolean allowControl;
    private boolean served;

    public Observe(String bind, int port, boolean allowControl) {
        this.bind = bind;
        this.port = port;
        this.allowControl = allowControl;
    }

    public static Observe of(Settings settings) {
        int port = settings.getInt("OBSERVE_PORT", DEFAULT_PORT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("OBSERVE_PORT must be a port between 1 and 65535, not " + port);
        }
        return new Observe(settings.get("OBSERVE_BIND", "127.0.0.1"), port, settings.getBoolean("JOLOKIA_ALLOW_CONTROL", false));
    }

    public int port() {
        return port;
    }

    /** The address a client on this machine reaches the agent at: loopback when it listens on every interface. */
    public String localHost() {
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    public String url() {
        String host = localHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/observe";
    }

    public String policy() {
        return allowControl ? "classpath:/jolokia-access-control.xml" : "classpath:/jolokia-access.xml";
    }

    /**
     * Hands Camel Main the management server's settings, off when the port is taken, and points
     * Jolokia at its policy (Jolokia reads it from a system property when the server starts).
     */
    public void configure(BiConsumer<String, String> properties) {
        Map<String, String> p = new LinkedHashMap<>();
        served = free();
        p.put("camel.management.enabled", Boolean.toString(served));
        p.put("camel.management.host", bind);
        p.put("camel.management.port", Integer.toString(port));
        p.forEach(properties);
        if (!served) {
            LOG.warn("OBSERVE_PORT {} on {} is taken (another agent on this host?): this agent serves no health and no Jolokia;"
                    + " give it a port of its own with OBSERVE_PORT", port, bind);
            return;
        }
        System.setProperty("jolokia.policyLocation", policy());
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            LOG.warn("OBSERVE_BIND={}: health and Jolokia answer on every network interface; anyone who reaches this machine can read"
                    + " the agent's MBeans. Prefer 127.0.0.1 and an ssh tunnel", bind);
        }
    }

    /** One line for the start-up summary. */
    public String summary() {
        if (!served) {
            return "observe  off (OBSERVE_PORT " + port + " is taken)";
        }
        return "observe  " + url() + "/health, " + url() + "/jolokia (" + (allowControl ? "reads, and route start/stop" : "read-only") + ")";
    }

    private boolean free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
