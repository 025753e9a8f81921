package com.digitalfte.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.KameletTestSupport;
import com.digitalfte.support.LogCapture;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The webhook-source kamelet alone, on Camel Main's real HTTP server, into the vault task sink:
 * signed, unsigned and badly signed requests, and a replay, also after a restart.
 */
class WebhookSourceTest extends KameletTestSupport {

    private static final String SECRET = "whsec-shared-4815162342";
    private static final int PORT = freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected String routeFile() {
        return "webhook-source.camel.yaml";
    }

    @Override
    protected Map<String, String> testProperties() {
        return Map.of("test.secret", SECRET, "webhook.enabled", "true", "camel.server.port", Integer.toString(PORT));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(String body, String delivery, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/webhooks/support"))
                .header("Content-Type", "application/json").header("X-Delivery-Id", delivery).header("X-Form-Name", "contact")
                .header("CamelFileName", "../../escape.md").header("task.subject", "injected")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> tasks() throws IOException {
        Path needs = vault().resolve("Needs_Action");
        if (!Files.isDirectory(needs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(needs)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    private static final String FORM = "{\"email\":\"dana@customer.example\",\"subject\":\"Broken login\",\"message\":\"I cannot log in since Monday.\"}";

    @Test
    void aSignedRequestIsAnsweredAtOnceAndBecomesOneTask() throws Exception {
        HttpResponse<String> answer = post(FORM, "d-1001", sign(FORM));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("<Response/>");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        assertThat(answer.headers().map()).doesNotContainKeys("X-Delivery-Id", "x-delivery-id", "X-Form-Name", "x-form-name");
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 1);
        assertThat(tasks().get(0)).content().contains("type: ticket_reply", "channel: support", "from: dana@customer.example",
                "subject: Broken login", "form: contact", "I cannot log in since Monday.").doesNotContain("injected", "escape");
        assertThat(tasks().get(0).getFileName().toString()).isEqualTo("FORM_d-1001.md");
    }

    /** A form post (Twilio's kind) reaches the route parsed, its bytes gone: the shared secret cannot vouch for it. */
    @Test
    void aFormPostIsRefusedByTheSharedSecretVerifier() throws Exception {
        String form = "email=fay%40customer.example&subject=Hi+there";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/webhooks/support"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Delivery-Id", "d-4001").header("X-Signature-256", sign(form))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try (LogCapture log = LogCapture.of(Webhook.class)) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).isEmpty();
            assertThat(log.lines()).singleElement().asString().contains("form post", "403");
        }
        assertThat(tasks()).isEmpty();
    }

    @Test
    void aMissingOrBadSignatureIsRefusedWithNoBodyNoTaskAndOneLogLineEach() throws Exception {
        try (LogCapture log = LogCapture.of(Webhook.class)) {
            HttpResponse<String> missing = post(FORM, "d-2001", null);
            HttpResponse<String> bad = post(FORM, "d-2002", sign(FORM + " "));
            HttpResponse<String> garbage = post(FORM, "d-2003", "sha256=not-hex");

            for (HttpResponse<String> answer : List.of(missing, bad, garbage)) {
                assertThat(answer.statusCode()).isEqualTo(403);
                assertThat(answer.body()).isEmpty();
            }
            assertThat(log.lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("WARN").contains("support-form", "403")
                    .doesNotContain("d-200", "dana"));
        }
        // a signed request afterwards goes through: the refusals took nothing from it
        post(FORM, "d-2004", sign(FORM));
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 1);
        assertThat(tasks()).extracting(p -> p.getFileName().toString()).containsExactly("FORM_d-2004.md");
    }

    @Test
    void aReplayIsAnsweredTheSameAndChangesNothingAlsoAfterARestart() throws Exception {
        assertThat(post(FORM, "d-3001", sign(FORM)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 1);
        Path task = tasks().get(0);
        // the owner works on it: the task moves on, and a replay must not bring it back
        Files.move(task, Files.createDirectories(vault().resolve("Rejected")).resolve(task.getFileName()));

        assertThat(post(FORM, "d-3001", sign(FORM)).body()).isEqualTo("<Response/>");
        restart();
        HttpResponse<String> afterRestart = post(FORM, "d-3001", sign(FORM));
        assertThat(afterRestart.statusCode()).isEqualTo(200);
        assertThat(afterRestart.body()).isEqualTo("<Response/>");

        // a new delivery after the replays is handled: had a replay been, it would be there by then too
        String other = FORM.replace("Broken login", "Refund");
        post(other, "d-3002", sign(other));
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks().size() == 1);
        assertThat(tasks()).extracting(p -> p.getFileName().toString()).containsExactly("FORM_d-3002.md");
        assertThat(vault().resolve(".state/webhooks/support-form.txt")).content().contains("d-3001", "d-3002");
    }
}
