package com.digitalfte.interop;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The command-line tools and daemons the interop servers are made of, run as child processes. */
final class Commands {

    private Commands() {
    }

    /** Runs a command to its end in {@code dir}; its output, or an error with the output when it fails. */
    static String run(Path dir, Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String run(Path dir, String... command) {
        return run(dir, Map.of(), command);
    }

    /** A daemon in the foreground, its output in {@code log}. */
    static Process start(Path dir, Path log, Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command[0] + ": " + e.getMessage(), e);
        }
    }

    /** Fails with what to install when a server's program is missing, rather than with an obscure error. */
    static void require(String program, String debianPackage) {
        if (!Files.isExecutable(Path.of(program))) {
            throw new IllegalStateException(program + " is missing: apt-get install " + debianPackage
                    + " (as .ci/run does), or leave the interop tests out with mvn test -P '!interop'");
        }
    }

    /** A port nobody listens on now, on the loopback interface. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the daemon accepts connections on the port; fails with its log when it died first. */
    static void awaitListening(Process daemon, int port, Path log) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the server stopped at once: " + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    static void stop(Process daemon) {
        if (daemon == null) {
            return;
        }
        daemon.destroy();
        try {
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover in /tmp is no test failure
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, List<String> lines) {
        write(file, String.join("\n", lines) + "\n");
    }
}
