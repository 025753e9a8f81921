package com.digitalfte.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentEnv;
import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.FakeTwilioServer;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent in its own JVM sends approved WhatsApp replies through the real Twilio SDK to
 * Twilio's Messages API on WireMock, and is killed with SIGKILL after Twilio took a reply and before
 * the agent heard back. Twilio takes no idempotency key and has no lookup to trust, so that reply is
 * never sent again: it waits in Failed/ marked uncertain, for the owner; the others go once each.
 */
class WhatsAppCrashTest {


    @RegisterExtension
    static final FakeTwilioServer api = new FakeTwilioServer();
    static final FakeTwilio TWILIO = api.twilio();

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private static String customer(int i) {
        return "whatsapp:+4477009002" + i + "0";
    }

    private int count(String folder) throws IOException {
        try (Stream<Path> files = Files.list(vault().resolve(folder))) {
            return (int) files.filter(p -> p.toString().endsWith(".md")).count();
        }
    }

    /** C1 only and the serial collector: a short-lived agent starts a second or two sooner on two cores. */
    private AgentProcess start(Map<String, String> env) throws IOException {
        return AgentProcess.start(env, dir.resolve("work"), dir.resolve("agent.log"),
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    }

    private String log() throws IOException {
        Path log = dir.resolve("agent.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void aReplyTwilioTookBeforeTheAgentWasKilledIsNeverSentAgain() throws Exception {
        Vault v = new Vault(vault());
        v.init("local", false);
        for (int i = 1; i <= 3; i++) {
            v.write(v.folder(Folder.APPROVED), TaskFile.create("WHATSAPP_SMcrash" + i, "whatsapp_reply").with("channel", "whatsapp")
                    .with("from", "Customer " + i + " <" + customer(i) + ">").with("whatsapp_from", customer(i)).with("subject", "Order " + i)
                    .with("created", Instant.now().minusSeconds(600).toString()).withSection(TaskFile.ORIGINAL, "Where is order " + i + "?")
                    .withSection(TaskFile.DRAFT, "Order " + i + " ships today."));
        }
        Map<String, String> env = AgentEnv.of("local", vault(), dir).twilio(api.baseUrl(), WhatsAppAgent.TOKEN, WhatsAppAgent.FROM).build();

        AtomicReference<AgentProcess> running = new AtomicReference<>();
        TWILIO.onNextMessage(() -> {
            try {
                running.get().kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        running.set(start(env));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !running.get().alive());
        } finally {
            running.get().close();
        }
        assertThat(TWILIO.messages()).as(log()).hasSize(1);
        String killedAt = TWILIO.messages().get(0).get("To");
        String killedId = "WHATSAPP_SMcrash" + killedAt.charAt(killedAt.length() - 2);
        assertThat(vault().resolve("In_Progress/local/" + killedId + ".md")).exists();

        try (AgentProcess agent = start(env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count("Done") == 2 && count("Failed") == 1);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("WhatsApp crash: killed after Twilio took the reply to " + killedAt + ", both runs in " + millis + " ms");

        for (int i = 1; i <= 3; i++) {
            assertThat(TWILIO.messagesTo(customer(i))).as(customer(i)).singleElement()
                    .satisfies(m -> assertThat(m.get("From")).isEqualTo(WhatsAppAgent.FROM));
        }
        assertThat(TWILIO.messagesTo(killedAt).get(0).get("Body")).isEqualTo("Order " + killedId.charAt(killedId.length() - 1) + " ships today.");
        assertThat(vault().resolve("Failed/" + killedId + ".md")).content().contains("uncertain: true",
                "Twilio may have sent this reply to " + killedAt, "Twilio's Messaging logs");
        for (String folder : List.of("Approved", "In_Progress/local", "Pending_Approval")) {
            assertThat(count(folder)).as(folder).isZero();
        }
        assertThat(log()).doesNotContain(WhatsAppAgent.TOKEN);
    }
}
