package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.mail.EmbeddedMailbox;
import com.digitalfte.mail.ReplyMail;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent stopped in the middle of executions: after the restart nothing is stuck, what the
 * ledger or the Sent folder shows as sent is not sent again, and what may have gone out is left to the owner.
 */
class ResumeExecutionsTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @TempDir
    Path dir;

    Path vaultDir;
    Vault vault;

    @BeforeEach
    void vault() throws IOException {
        vaultDir = dir.resolve("vault");
        vault = new Vault(vaultDir);
        vault.init("local", false);
    }

    @Test
    void withAServerThatFilesSentCopiesWhatIsInSentIsFiledAndWhatIsNotIsSent() throws Exception {
        EmbeddedMailbox.fileSentCopies(mail.getUserManager());
        TaskFile filed = claimed("EMAIL_filed");
        claimed("EMAIL_sent");
        claimed("EMAIL_unsent");
        try (Ledger ledger = new Ledger(vaultDir.resolve(".state/ledger.jsonl"))) {
            ledger.intent("EMAIL_sent", "email_reply");
            ledger.done("EMAIL_sent", "email_reply", "email_reply", "<EMAIL_sent.reply@example.com>");
            ledger.intent("EMAIL_filed", "email_reply");
            ledger.intent("EMAIL_unsent", "email_reply");
        }
        // the crash came after the server took EMAIL_filed's reply and before the ledger's done
        send(ReplyMail.build(filed, ME));

        try (TestAgent local = TestAgent.start(env("server"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> done("EMAIL_sent") && done("EMAIL_filed") && done("EMAIL_unsent"));
        }
        assertThat(Inboxes.repliesTo(mail, "email_sent@example.com")).isEmpty();
        assertThat(Inboxes.repliesTo(mail, "email_filed@example.com")).hasSize(1);
        assertThat(Inboxes.repliesTo(mail, "email_unsent@example.com")).hasSize(1);
        assertThat(vaultDir.resolve("Done/EMAIL_sent.md")).content().contains("done before a restart");
        assertThat(vaultDir.resolve("Done/EMAIL_filed.md")).content().contains("found in the 'Sent' folder after a restart");
        assertThat(vaultDir.resolve("In_Progress/local")).isEmptyDirectory();
        try (Ledger ledger = new Ledger(vaultDir.resolve(".state/ledger.jsonl"))) {
            assertThat(ledger.isDone("EMAIL_filed")).isTrue();
            assertThat(ledger.isDone("EMAIL_unsent")).isTrue();
        }
    }

    @Test
    void whenTheAgentFilesTheCopiesABegunSendNotInSentIsUncertainUntilTheOwnerMovesItBack() throws Exception {
        claimed("EMAIL_lost");
        try (Ledger ledger = new Ledger(vaultDir.resolve(".state/ledger.jsonl"))) {
            ledger.intent("EMAIL_lost", "email_reply");
        }
        try (TestAgent local = TestAgent.start(env("agent"))) {
            Path failed = vaultDir.resolve("Failed/EMAIL_lost.md");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(failed));
            TaskFile task = vault.read(failed);
            assertThat(task.getOrEmpty("uncertain")).isEqualTo("true");
            assertThat(task.section(TaskFile.ERROR).orElseThrow()).contains("<EMAIL_lost.reply@example.com>").contains("may have gone out");
            assertThat(Inboxes.repliesTo(mail, "email_lost@example.com")).isEmpty();

            // the owner checked, and moves it back: it is sent, once, and its copy is filed in Sent
            Files.move(failed, vaultDir.resolve("Approved/EMAIL_lost.md"));
            await().atMost(Duration.ofSeconds(20)).until(() -> done("EMAIL_lost"));
        }
        assertThat(Inboxes.repliesTo(mail, "email_lost@example.com")).hasSize(1);
        assertThat(vault.read(vaultDir.resolve("Done/EMAIL_lost.md")).get("uncertain")).isEmpty();
        assertThat(Inboxes.sentBy(mail, ME)).singleElement()
                .satisfies(m -> assertThat(m.getMessageID()).isEqualTo("<EMAIL_lost.reply@example.com>"));
    }

    @Test
    void aServerThatCannotBeReachedLeavesATaskThatIsSimplyRetried() throws Exception {
        claimed("EMAIL_refused");
        Map<String, String> env = env("agent");
        env.put("SMTP_PORT", Integer.toString(closedPort()));
        env.put("EXECUTE_RETRY_DELAY_MS", "100");
        try (TestAgent local = TestAgent.start(env)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vaultDir.resolve("Failed/EMAIL_refused.md")));
        }
        TaskFile task = vault.read(vaultDir.resolve("Failed/EMAIL_refused.md"));
        assertThat(task.get("uncertain")).isEmpty();
        assertThat(task.section(TaskFile.ERROR).orElseThrow()).containsIgnoringCase("connect").contains("backoff");
        // the first try and three more, each one certainly not sent
        assertThat(Files.readAllLines(vaultDir.resolve(".state/ledger.jsonl")))
                .filteredOn(line -> line.contains("\"state\":\"not_sent\"")).hasSize(4);

        Files.move(vaultDir.resolve("Failed/EMAIL_refused.md"), vaultDir.resolve("Approved/EMAIL_refused.md"));
        try (TestAgent local = TestAgent.start(env("agent"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> done("EMAIL_refused"));
        }
        assertThat(Inboxes.repliesTo(mail, "email_refused@example.com")).hasSize(1);
    }

    @Test
    void aServerDownForAMomentIsTriedAgainWithBackoffAndTheReplyGoesOutOnce() throws Exception {
        claimed("EMAIL_later");
        int port = closedPort();
        Map<String, String> env = env("agent");
        env.put("SMTP_PORT", Integer.toString(port));
        env.put("EXECUTE_RETRY_DELAY_MS", "1000");
        GreenMail late = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        try (TestAgent local = TestAgent.start(env)) {
            Path ledger = vaultDir.resolve(".state/ledger.jsonl");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ledger) && Files.readString(ledger).contains("not_sent"));
            late.setUser(ME, ME, "pw-123456");
            late.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> done("EMAIL_later"));
            assertThat(late.getReceivedMessages()).hasSize(1);
            assertThat(late.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("email_later@example.com");
        } finally {
            late.stop();
        }
        assertThat(vaultDir.resolve("Failed/EMAIL_later.md")).doesNotExist();
        assertThat(Files.readAllLines(vaultDir.resolve(".state/ledger.jsonl")))
                .filteredOn(line -> line.contains("\"state\":\"done\"")).hasSize(1);
    }

    private TaskFile claimed(String id) throws IOException {
        TaskFile task = TaskFile.create(id, "email_reply").with("channel", "imap")
                .with("from", id.toLowerCase() + "@example.com").with("subject", id).withSection(TaskFile.DRAFT, "Reply " + id);
        vault.write(vault.inProgress("local"), task);
        return task;
    }

    private boolean done(String id) {
        return Files.exists(vaultDir.resolve("Done/" + id + ".md"));
    }

    private Map<String, String> env(String sentCopy) {
        return LocalAgentEnv.smtpAndImap(vaultDir, mail.getSmtp().getPort(), mail.getImap().getPort(), sentCopy, dir);
    }

    private void send(MimeMessage message) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(mail.getSmtp().getPort()));
        Transport transport = Session.getInstance(props).getTransport("smtp");
        transport.connect();
        transport.sendMessage(message, message.getAllRecipients());
        transport.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
