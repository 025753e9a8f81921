package com.digitalfte.channel.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WhatsApp webhook of a real local agent (Camel Main, its YAML routes, the HTTP server on its
 * port), over real HTTP, with Twilio's Messages API on WireMock behind the real SDK: forged and
 * replayed requests, also across a restart; the owner's commands and a stranger's.
 */
class ReceiveWhatsAppTest {

    static final FakeTwilio TWILIO = new FakeTwilio();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(TWILIO)).build();

    @TempDir
    Path dir;

    private final WhatsAppAgent agent = new WhatsAppAgent();
    private final TwilioWebhookClient twilio = agent.twilio();

    @BeforeEach
    void twilio() {
        TWILIO.reset();
        api.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("fake-twilio")));
    }

    private Path vault() {
        return dir.resolve("vault");
    }

    private TestAgent start() throws Exception {
        return TestAgent.start(agent.env(vault(), dir, api.baseUrl()));
    }

    /** A cloud agent that is alive: the local one leaves the drafting to it, and new tasks stay in Needs_Action/. */
    private void cloudAlive() throws IOException {
        Files.createDirectories(vault().resolve("Updates/agents"));
        Files.writeString(vault().resolve("Updates/agents/cloud.json"),
                "{\"agent\":\"cloud\",\"type\":\"cloud\",\"last_seen\":\"" + Instant.now() + "\"}\n");
    }

    private Path pending(String id, String type, String from, String draft) throws IOException {
        Vault v = new Vault(vault());
        v.init("local", false);
        TaskFile task = TaskFile.create(id, type).with("channel", type.equals("whatsapp_reply") ? "whatsapp" : "imap").with("from", from)
                .with("subject", "Order 17").with("created", Instant.now().toString()).withSection(TaskFile.ORIGINAL, "Where is my order?")
                .withSection(TaskFile.DRAFT, draft);
        if (type.equals("whatsapp_reply")) {
            task.with("whatsapp_from", STRANGER_OF(from));
        }
        return v.write(v.folder(com.digitalfte.vault.Folder.PENDING_APPROVAL), task);
    }

    private static String STRANGER_OF(String from) {
        return from.replaceAll(".*<(.*)>", "$1");
    }

    private List<String> files(String folder) throws IOException {
        Path f = vault().resolve(folder);
        if (!Files.isDirectory(f)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(f)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
    }

    private List<String> answersToOwner() {
        return TWILIO.messagesTo(WhatsAppAgent.OWNER).stream().map(m -> m.getOrDefault("Body", "")).toList();
    }

    @Test
    void aSignedMessageIsAnsweredWithEmptyTwimlAndBecomesATask() throws Exception {
        cloudAlive();
        try (TestAgent local = start()) {
            String sid = TwilioWebhookClient.newSid();
            Map<String, String> form = TwilioWebhookClient.message(sid, WhatsAppAgent.STRANGER, WhatsAppAgent.FROM, "Do you ship to Canada?");
            form.put("NumMedia", "1");
            form.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/" + TwilioWebhookClient.ACCOUNT + "/Messages/" + sid + "/Media/ME1");
            form.put("MediaContentType0", "image/jpeg");
            HttpResponse<String> answer = twilio.post(form);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("<Response/>");
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
            await().atMost(Duration.ofSeconds(10)).until(() -> files("Needs_Action").contains("WHATSAPP_" + sid + ".md"));
            TaskFile task = TaskFile.parse(Files.readString(vault().resolve("Needs_Action/WHATSAPP_" + sid + ".md")));
            assertThat(task.type()).isEqualTo("whatsapp_reply");
            assertThat(task.getOrEmpty("channel")).isEqualTo("whatsapp");
            assertThat(task.getOrEmpty("from")).isEqualTo("Dana <" + WhatsAppAgent.STRANGER + ">");
            assertThat(task.getOrEmpty("whatsapp_from")).isEqualTo(WhatsAppAgent.STRANGER);
            assertThat(task.getOrEmpty("media")).isEqualTo(form.get("MediaUrl0") + " (image/jpeg)");
            assertThat(task.section(TaskFile.ORIGINAL)).hasValueSatisfying(t -> assertThat(t).startsWith("Do you ship to Canada?")
                    .contains("[attachment 1: image/jpeg, not downloaded: " + form.get("MediaUrl0") + "]"));
        }
        assertThat(TWILIO.messages()).isEmpty();
    }
}
