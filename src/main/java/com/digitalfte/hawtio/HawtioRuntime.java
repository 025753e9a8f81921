package com.digitalfte.hawtio;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hawtio 4.2.0 on Jetty 11, fetched at the first use into a cache folder by Maven (the pom shipped
 * as {@code hawtio/pom.xml}), then run in a JVM of its own whose class path holds only Jetty and
 * {@link HawtioServer}: the agent's jar stays as it is, and the war never meets the agent's Jolokia.
 */
public final class HawtioRuntime {

    public static final String VERSION = "4.2.0";
    private static final String WAR = "hawtio-default-" + VERSION + ".war";
    private static final String LAUNCHER = "com/digitalfte/hawtio/HawtioServer.class";

    private final Path home;

    /** {@code home}: the cache folder, e.g. {@code ~/.cache/digitalfte/hawtio-4.2.0}. */
    public HawtioRuntime(Path home) {
        this.home = home;
    }

    /** {@code $XDG_CACHE_HOME/digitalfte/hawtio-4.2.0}, else {@code ~/.cache/...}. */
    public static Path defaultHome(Map<String, String> environment) {
        String cache = environment.getOrDefault("XDG_CACHE_HOME", "");
        Path base = cache.isBlank() ? Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache") : Path.of(cache);
        return base.resolve("digitalfte").resolve("hawtio-" + VERSION);
    }

    public Path home() {
        return home;
    }

    public boolean fetched() {
        return Files.isRegularFile(home.resolve("lib/.complete"));
    }

    /**
     * Fetches the war and Jetty with Maven ({@code mvn} on the PATH, or {@code MVN}), once.
     *
     * @throws IOException saying what to install when Maven cannot be run or fails
     */
    public void fetch(Map<String, String> environment) throws IOException, InterruptedException {
        Files.createDirectories(home);
        try (InputStream pom = HawtioRuntime.class.getResourceAsStream("/hawtio/pom.xml")) {
            Files.copy(pom, home.resolve("pom.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        String mvn = environment.getOrDefault("MVN", "mvn");
        List<String> command = List.of(mvn, "-q", "-B", "-f", home.resolve("pom.xml").toString(), "dependency:copy-dependencies",
                "-DoutputDirectory=" + home.resolve("lib"));
        Process maven;
        try {
            maven = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("fetch.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("Hawtio is fetched with Maven once, and '" + mvn + "' cannot be run (" + e.getMessage()
                    + "): install Maven 3.8+, or set MVN to its path", e);
        }
        if (maven.waitFor() != 0 || !Files.isRegularFile(home.resolve("lib").resolve(WAR))) {
            throw new IOException("Maven could not fetch Hawtio " + VERSION + " and Jetty 11 from Maven Central: see " + home.resolve("fetch.log"));
        }
        Files.writeString(home.resolve("lib/.complete"), VERSION + "\n");
    }

    /** Starts Hawtio on {@code host:port}, its output appended to {@code log}; the process, for the caller to wait on or stop. */
    public Process start(String host, int port, Path log) throws IOException {
        Path launcher = home.resolve("launcher");
        Path classFile = launcher.resolve(LAUNCHER);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = HawtioRuntime.class.getResourceAsStream("/" + LAUNCHER)) {
            Files.copy(in, classFile, StandardCopyOption.REPLACE_EXISTING);
        }
        // Hawtio's own Jolokia (its JVM's MBeans) gets the agent's read-only policy: without one it executes anything
        Path policy = home.resolve("jolokia-access.xml");
        try (InputStream in = HawtioRuntime.class.getResourceAsStream("/jolokia-access.xml")) {
            Files.copy(in, policy, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djolokia.policyLocation=" + policy.toUri(),
                // on loopback only, for its owner: no login page; its proxy reaches the agents on this machine
                "-Dhawtio.authenticationEnabled=false",
                "-Dhawtio.proxyAllowlist=localhost,127.0.0.1",
                "-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")),
                "-cp", launcher + java.io.File.pathSeparator + home.resolve("lib") + java.io.File.separator + "*",
                "com.digitalfte.hawtio.HawtioServer", home.resolve("lib").resolve(WAR).toString(), host, Integer.toString(port)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Whether something accepts connections on {@code host:port}. */
    public static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
