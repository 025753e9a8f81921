package com.digitalfte.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.FakeTwilioServer;
import com.digitalfte.support.TestAgent;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's notifications from a real local agent, through the real Twilio SDK to Twilio's
 * Messages API on WireMock: a burst of drafts is one message; within 24 hours of the owner's last
 * message it is free text, outside it the approved template (ContentSid, ContentVariables); a
 * refusal Twilio reports (63016) is on the Dashboard with its code and what to do.
 */
class SendWhatsAppNotificationsTest {

    static final String TEMPLATE = "HX" + "0123456789abcdef".repeat(2);

    @RegisterExtension
    static final FakeTwilioServer api = new FakeTwilioServer();
    static final FakeTwilio TWILIO = api.twilio();

    @TempDir
    Path dir;

    private final WhatsAppAgent agent = new WhatsAppAgent();
    private final TwilioWebhookClient twilio = agent.twilio();

    private Path vault() {
        return dir.resolve("vault");
    }

    /** Drafts finished at once, as a cloud agent's sync brings them: each reaches Pending_Approval/ through Updates/. */
    private void drafted(String... ids) throws Exception {
        Vault v = new Vault(vault());
        for (String id : ids) {
            v.write(v.folder(Folder.UPDATES), TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "Client " + id)
                    .with("subject", "Order " + id).with("created", Instant.now().toString())
                    .withSection(TaskFile.ORIGINAL, "Where is it?").withSection(TaskFile.DRAFT, "It ships Monday (" + id + ")."));
        }
    }

    private List<Map<String, String>> toOwner() {
        return TWILIO.messagesTo(WhatsAppAgent.OWNER);
    }

    private String dashboard() throws Exception {
        Path d = vault().resolve("Dashboard.md");
        return Files.exists(d) ? Files.readString(d) : "";
    }

    @Test
    void aBurstIsOneNotificationTheTemplateOutsideTheOwnersWindowFreeTextWithinAndARefusalIsOnTheDashboard() throws Exception {
        new Vault(vault()).init("local", false);
        Map<String, String> env = agent.env(vault(), dir, api.baseUrl());
        env.put("TWILIO_NOTIFY_TEMPLATE_SID", TEMPLATE);
        try (TestAgent local = TestAgent.start(env)) {
            // the owner has not written to the assistant (not in 24 hours): only the approved template goes
            drafted("EMAIL_t1", "EMAIL_t2", "EMAIL_t3", "EMAIL_t4");
            await().atMost(Duration.ofSeconds(20)).until(() -> toOwner().size() == 1);
            Map<String, String> template = toOwner().get(0);
            assertThat(template).containsEntry("ContentSid", TEMPLATE).containsEntry("From", WhatsAppAgent.FROM).doesNotContainKey("Body");
            @SuppressWarnings("unchecked")
            Map<String, String> variables = new ObjectMapper().readValue(template.get("ContentVariables"), Map.class);
            assertThat(variables).containsEntry("1", "4 drafts").containsOnlyKeys("1", "2");
            assertThat(variables.get("2")).startsWith("1. EMAIL_t").contains("; 2. EMAIL_t", "; 3. EMAIL_t").endsWith("; and 1 more")
                    .doesNotContain("\n");

            // the owner writes: the 24-hour window is open, and the next burst is one free-text message
            assertThat(twilio.post(TwilioWebhookClient.message(TwilioWebhookClient.newSid(), WhatsAppAgent.OWNER, WhatsAppAgent.FROM, "help"))
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> toOwner().size() == 2);
            drafted("EMAIL_n1", "EMAIL_n2", "EMAIL_n3", "EMAIL_n4", "EMAIL_n5");
            await().atMost(Duration.ofSeconds(20)).until(() -> toOwner().size() == 3);
            Map<String, String> bundle = toOwner().get(2);
            assertThat(bundle.get("Body")).startsWith("5 waiting for your approval:\n1. EMAIL_n").contains("\n5. EMAIL_n", "Reply approve <number>");
            for (int i = 1; i <= 5; i++) {
                String id = "EMAIL_n" + i;
                String version = DraftVersions.of(TaskFile.parse(Files.readString(vault().resolve("Pending_Approval/" + id + ".md"))));
                assertThat(bundle.get("Body")).containsOnlyOnce(id + " from Client " + id + ": email reply \"Order " + id + "\" (v" + version + ")");
            }
            assertThat(bundle).containsEntry("From", WhatsAppAgent.FROM).containsEntry("StatusCallback", WhatsAppAgent.PUBLIC_URL)
                    .doesNotContainKey("ContentSid");
            assertThat(new Vault(vault()).count(new Vault(vault()).folder(Folder.PENDING_APPROVAL))).isEqualTo(9);

            // Twilio reports later that a message to the owner was not delivered, outside the window
            Map<String, String> status = Map.of("MessageSid", TwilioWebhookClient.newSid(), "MessageStatus", "undelivered",
                    "ErrorCode", "63016", "To", WhatsAppAgent.OWNER, "From", WhatsAppAgent.FROM, "AccountSid", TwilioWebhookClient.ACCOUNT,
                    "ApiVersion", "2010-04-01");
            assertThat(twilio.post(status).body()).isEqualTo("<Response/>");
            await().atMost(Duration.ofSeconds(20)).until(() -> dashboard().contains("Twilio error 63016"));
            assertThat(dashboard()).contains("## Problems", "whatsapp " + WhatsAppAgent.OWNER + ": the WhatsApp message",
                    "refused: Twilio error 63016: outside WhatsApp's 24-hour window", "set TWILIO_NOTIFY_TEMPLATE_SID");

            // the next message that reaches the owner clears the problem
            Map<String, String> delivered = Map.of("MessageSid", TwilioWebhookClient.newSid(), "MessageStatus", "delivered",
                    "To", WhatsAppAgent.OWNER, "From", WhatsAppAgent.FROM, "AccountSid", TwilioWebhookClient.ACCOUNT, "ApiVersion", "2010-04-01");
            assertThat(twilio.post(delivered).body()).isEqualTo("<Response/>");
            await().atMost(Duration.ofSeconds(20)).until(() -> !dashboard().contains("Twilio error"));
        }
        assertThat(toOwner()).hasSize(3);
    }
}
