package com.digitalfte.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.TestAgent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WEBHOOK_PORT switches the agent's HTTP server on for a webhook channel file, on loopback unless WEBHOOK_BIND says otherwise. */
class WebhookChannelTest {

    private static final String CHANNEL = """
            - route:
                id: receive-support-form
                from:
                  uri: kamelet:webhook-source
                  parameters:
                    name: support-form
                    path: /webhooks/support
                    secret: "{{env:SUPPORT_FORM_SECRET}}"
                    signatureHeader: X-Signature-256
                    signaturePrefix: "sha256="
                    key: X-Delivery-Id
                    text: /message
                    fields: "from=/email, subject=/subject"
                  steps:
                    - to:
                        uri: kamelet:vault-task-sink
                        parameters:
                          type: ticket_reply
                          channel: support
                          idPrefix: FORM
            """;

    @TempDir
    Path dir;

    @Test
    void aSignedPostToWebhookPortBecomesATask() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path channels = Files.createDirectories(dir.resolve("channels"));
        Files.writeString(channels.resolve("support-form.camel.yaml"), CHANNEL);
        Map<String, String> env = Map.of("AGENT_TYPE", "all", "VAULT_PATH", dir.resolve("vault").toString(), "CHANNELS_DIR", channels.toString(),
                "MAIL_PROVIDER", "imap", "HEARTBEAT_INTERVAL", "3600", "WEBHOOK_PORT", Integer.toString(port),
                "SUPPORT_FORM_SECRET", "form-secret-31415926");
        String body = "{\"email\":\"eve@customer.example\",\"subject\":\"Hello\",\"message\":\"Is anyone there?\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("form-secret-31415926".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/support"))
                .header("X-Delivery-Id", "d-42").header("X-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpClient http = HttpClient.newHttpClient();

        try (TestAgent agent = TestAgent.start(env)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.agent().camelContext().getRoute("receive-support-form") != null);
            assertThat(listeningAddresses(port)).as("WEBHOOK_BIND unset: loopback only").isNotEmpty()
                    .allSatisfy(address -> assertThat(address).isIn("0100007F", "0000000000000000FFFF00000100007F"));
            HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
            // no responseBody set: an empty answer
            assertThat(answer.statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> taskExists(dir.resolve("vault"), "FORM_d-42.md"));
        }
    }

    /** The local addresses listening on this TCP port, from Linux's socket tables (what ss -ltn shows), in their hex form. */
    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.isReadable(Path.of(table))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                // f[1] local address:port, f[3] state, 0A = LISTEN
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    addresses.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return addresses;
    }

    /** Wherever the agent has taken it by now (drafting moves it on). */
    private static boolean taskExists(Path vault, String name) throws IOException {
        try (var files = Files.walk(vault)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(name));
        }
    }
}
