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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    void theHourlyLimitStillHoldsAfterARestart() throws Exception {
        Path vault = dir.resolve("vault");
        try (TestAgent local = TestAgent.start(env(Map.of("MAX_EMAILS_PER_HOUR", "2")))) {
            approve(vault, "EMAIL_r0", "r0@example.com", null);
            approve(vault, "EMAIL_r1", "r1@example.com", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_r0.md"))
                    && Files.exists(vault.resolve("Done/EMAIL_r1.md")));
        }
        try (TestAgent restarted = TestAgent.start(env(Map.of("MAX_EMAILS_PER_HOUR", "2")))) {
            approve(vault, "EMAIL_r2", "r2@example.com", null);
            // the two sent before the restart are in this hour's count: the third waits, approved
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> Files.exists(vault.resolve("Approved/EMAIL_r2.md")));
        }
        assertThat(mail.getReceivedMessages()).hasSize(2);
        assertThat(Inboxes.repliesTo(mail, "r2@example.com")).isEmpty();
    }

    @Test
    void theLimitCountsWhatTheLedgerHoldsAsDoneInTheLastHourOldLinesIncluded() throws Exception {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Path file = Files.createDirectories(dir.resolve(".state")).resolve("ledger.jsonl");
        Files.writeString(file, String.join("\n",
                // written before done lines had a type: an SMTP and a Gmail reply in this hour, one two hours ago
                line(now.minus(Duration.ofMinutes(10)), "EMAIL_a", "email_reply", "done", null),
                line(now.minus(Duration.ofMinutes(20)), "EMAIL_b", "gmail_reply", "done", null),
                line(now.minus(Duration.ofHours(2)), "EMAIL_old", "email_reply", "done", null),
                // begun, never done: not counted
                line(now.minus(Duration.ofMinutes(5)), "EMAIL_c", "email_reply", "intent", null),
                line(now.minus(Duration.ofMinutes(5)), "INVOICE_d", "odoo_invoice", "done", "odoo_invoice"),
                "{\"ts\":\"2026-12-01T11:5"));
        try (Ledger ledger = new Ledger(file, clock)) {
            ApprovalRules rules = new ApprovalRules(Map.of("email_reply", 3, "odoo_invoice", 1), ledger, clock);
            assertThat(rules.underLimit("email_reply")).isTrue();
            assertThat(rules.underLimit("odoo_invoice")).isFalse();
            assertThat(rules.underLimit("x_post")).isTrue();
            ledger.done("EMAIL_e", "email_reply", "email_reply", "<e@example.com>");
            assertThat(rules.underLimit("email_reply")).isFalse();
        }
        assertThat(Files.readString(file)).contains("\"id\":\"EMAIL_e\",\"action\":\"email_reply\",\"state\":\"done\",\"type\":\"email_reply\"");
    }

    @Test
    void aChannelsLimitCountsItsRepliesAndPostsTogether() throws Exception {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Path file = Files.createDirectories(dir.resolve(".state")).resolve("ledger.jsonl");
        Files.writeString(file, String.join("\n",
                line(now.minus(Duration.ofMinutes(10)), "X_1", "x_reply", "done", "x_reply"),
                line(now.minus(Duration.ofMinutes(20)), "XPOST_a", "x_post", "done", "x_post"),
                line(now.minus(Duration.ofMinutes(30)), "LINKEDIN_a", "linkedin_post", "done", "linkedin_post")) + "\n");
        try (Ledger ledger = new Ledger(file, clock)) {
            ApprovalRules rules = new ApprovalRules(java.util.List.of(
                    new ApprovalRules.Limit("X", java.util.Set.of("x_reply", "x_post"), 2),
                    new ApprovalRules.Limit("LinkedIn", java.util.Set.of("linkedin_post"), 2)), ledger, clock);
            assertThat(rules.underLimit("x_reply")).isFalse();
            assertThat(rules.underLimit("x_post")).isFalse();
            assertThat(rules.underLimit("linkedin_post")).isTrue();
            assertThat(rules.limitOf("x_post")).isEqualTo("2 X action(s) (x_post, x_reply)");
            assertThat(rules.refusal(TaskFile.create("X_2", "x_reply").withSection(TaskFile.DRAFT, "z".repeat(300))))
                    .contains("300 characters");
            assertThat(rules.refusal(TaskFile.create("X_3", "x_reply").withSection(TaskFile.DRAFT, "short"))).isNull();
        }
    }

    private static String line(Instant ts, String id, String action, String state, String type) {
        return "{\"ts\":\"" + ts + "\",\"id\":\"" + id + "\",\"action\":\"" + action + "\",\"state\":\"" + state + "\""
                + (type == null ? "" : ",\"type\":\"" + type + "\"") + "}";
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
