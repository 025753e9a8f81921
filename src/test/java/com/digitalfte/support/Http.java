package com.digitalfte.support;

import com.digitalfte.audit.JsonLines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain HTTP against a local agent, and what the kernel says about its listening sockets. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public record Answer(int status, Map<String, Object> json) {
    }

    @SuppressWarnings("unchecked")
    public static Answer get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JsonLines.JSON.readValue(r.body(), Map.class));
    }

    /** A free TCP port on the loopback interface, for a server the test starts next. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The local addresses (as /proc/net/tcp{,6} write them, hex) of every socket listening on this port. */
    public static List<String> listeningAddresses(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A is LISTEN
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(":" + String.format("%04X", port))) {
                    found.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return found;
    }

    /** 127.0.0.1 as /proc/net/tcp writes it, alone or mapped into IPv6 (::ffff:127.0.0.1), or ::1. */
    public static boolean isLoopback(String hexAddress) {
        return hexAddress.equals("0100007F") || hexAddress.equals("0000000000000000FFFF00000100007F")
                || hexAddress.equals("00000000000000000000000001000000");
    }
}
