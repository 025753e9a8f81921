package com.digitalfte.hawtio;

import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.webapp.WebAppContext;

/**
 * Hawtio's war on Jetty 11 at {@code http://<host>:<port>/hawtio}: the main class of the JVM that
 * {@code digitalfte hawtio} starts, on a class path of this class, Jetty and nothing of the agent's.
 * Arguments: the war, the address to listen on, the port.
 */
public final class HawtioServer {

    private HawtioServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(args[0]);
        // Jetty's servlet API classes serve the war; its own copies of Jolokia and the logging stay inside it
        hawtio.setParentLoaderPriority(false);
        server.setHandler(hawtio);
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }
}
