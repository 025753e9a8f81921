package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an approval must pass: not expired, under the hourly limit, and not a dry run. */
class ApprovalRulesTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = LocalAgentEnv.smtp(dir.resolve("vault"), mail.getSmtp().getPort(), dir);
        env.putAll(extra);
        return env;
    }

    private static void approve(Path vault, String id, String to, String expires) throws Exception {
        TaskFile task = TaskFile.create(id, "email_reply").with("channel", "imap").with("from", to).with("subject", "About " + id)
                .withSection(TaskFile.ORIGINAL, "hello").withSection(TaskFile.DRAFT, "Reply to " + id);
        if (expires != null) {
            task.with("expires", expires);
        }
        Path tmp = vault.resolve(".state/" + id + ".tmp");
        Files.writeString(tmp, task.render());
        Files.move(tmp, vault.resolve("Approved/" + id + ".md"));
    }

    @Test
    void anExpiredApprovalGoesBackWithANoteAndSendsNothing() throws Exception {
        Path vault = dir.resolve("vault");
        try (TestAgent local = TestAgent.start(env(Map.of()))) {
            approve(vault, "EMAIL_late", "late@example.com", Instant.now().minus(Duration.ofDays(1)).toString());
            approve(vault, "EMAIL_fresh", "fresh@example.com", Instant.now().plus(Duration.ofDays(1)).toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Pending_Approval/EMAIL_late.md"))
                    && Files.exists(vault.resolve("Done/EMAIL_fresh.md")));
        }
        assertThat(vault.resolve("Pending_Approval/EMAIL_late.md")).content().contains("approval_note:", "expired");
        assertThat(Inboxes.repliesTo(mail, "late@example.com")).isEmpty();
        assertThat(Inboxes.repliesTo(mail, "fresh@example.com")).hasSize(1);
    }

    @Test
    void theHourlyLimitHoldsTheRestInApproved() throws Exception {
        Path vault = dir.resolve("vault");
        try (TestAgent local = TestAgent.start(env(Map.of("MAX_EMAILS_PER_HOUR", "2")))) {
            for (int i = 0; i < 4; i++) {
                approve(vault, "EMAIL_n" + i, "n" + i + "@example.com", null);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (var done = Files.list(vault.resolve("Done"))) {
                    return done.count() == 2;
                }
            });
            // the other two wait, approved, for the next hour
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
                try (var approved = Files.list(vault.resolve("Approved"))) {
                    return approved.filter(p -> p.toString().endsWith(".md")).count() == 2;
                }
            });
        }
        assertThat(mail.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aDryRunSendsNothingAndSaysWhatItWouldHaveDone() throws Exception {
        Path vault = dir.resolve("vault");
        try (TestAgent local = TestAgent.start(env(Map.of("DRY_RUN", "true")))) {
            approve(vault, "EMAIL_dry", "dry@example.com", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Pending_Approval/EMAIL_dry.md")));
        }
        assertThat(vault.resolve("Pending_Approval/EMAIL_dry.md")).content().contains("dry run", "dry@example.com");
        assertThat(mail.getReceivedMessages()).isEmpty();
        assertThat(Files.readString(vault.resolve("Logs/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".json"))).contains("\"action_type\":\"dry_run\"");
    }
}
