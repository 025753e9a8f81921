package com.digitalfte.interop;

import static com.digitalfte.interop.MailServers.ALICE;
import static com.digitalfte.interop.MailServers.ASSISTANT;
import static com.digitalfte.interop.MailServers.ASSISTANT_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against Debian's Dovecot and Postfix with a certificate from a test CA
 * ({@link MailServers}): it reads over IMAPS and replies over STARTTLS submission when it is given
 * the CA's file, and each way it can fail (a certificate it does not trust, no STARTTLS, a wrong
 * password) is one line at start-up and on the Dashboard, however many polls fail after it.
 */
class MailTlsInteropTest {

    private static MailServers servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        servers = MailServers.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private Map<String, String> env(String type) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", dir.resolve("vault").toString());
        env.put("CHANNELS_DIR", dir.resolve("channels").toString());
        // the mailbox watcher runs under master:, with a lock of this test's own
        env.put("CLUSTER_DIR", dir.resolve("cluster").toString());
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("MAIL_POLL_DELAY", "200");
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", Integer.toString(servers.imapsPort()));
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(servers.submissionPort()));
        env.put("SMTP_SECURITY", "starttls");
        env.put("MAIL_ADDRESS", ASSISTANT);
        env.put("MAIL_PASSWORD", ASSISTANT_PASSWORD);
        env.put("MAIL_CA_FILE", servers.caFile().toString());
        return env;
    }

    @Test
    void readsOverImapsAndRepliesOverStartTlsWithTheCaFileAndFilesTheCopyInTheFolderMarkedSent() throws Exception {
        String original = "<proposal-tls@example.com>";
        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env("all"))) {
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("mail in  on   " + ASSISTANT + " via IMAP 127.0.0.1:"
                    + servers.imapsPort() + " (TLS)"));
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("mail out on   " + ASSISTANT + " via SMTP 127.0.0.1:"
                    + servers.submissionPort() + " (STARTTLS); sent copies in 'Sent Messages' (the folder marked \\Sent)"));

            servers.aliceWrites("Project Proposal", original, "Could you send me a proposal?\n");
            Path vault = dir.resolve("vault");
            Path pending = Inboxes.awaitPending(vault, "Project Proposal");
            Files.move(pending, vault.resolve("Approved").resolve(pending.getFileName()));

            String id = TaskIds.email(original);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault.resolve("Done/" + id + ".md")));
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.mailbox(ALICE, "INBOX").size() == 1);
            MimeMessage reply = servers.mailbox(ALICE, "INBOX").get(0);
            assertThat(reply.getSubject()).isEqualTo("Re: Project Proposal");
            assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(original);
            assertThat(reply.getHeader("References", null)).isEqualTo(original);
            assertThat(reply.getFrom()[0].toString()).isEqualTo(ASSISTANT);
            List<MimeMessage> sent = servers.mailbox(ASSISTANT, MailServers.SENT_FOLDER);
            assertThat(sent).singleElement().satisfies(m -> assertThat(m.getMessageID()).isEqualTo(reply.getMessageID()));
            assertThat(servers.mailbox(ASSISTANT, "Sent")).isEmpty();
        }
        // what the servers saw: the reply went through STARTTLS and then AUTH, the mailbox was read over TLS
        assertThat(servers.postfixLog()).containsPattern("sasl_username=" + Pattern.quote(ASSISTANT))
                .containsPattern("ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1");
        assertThat(servers.dovecotLog()).containsPattern("Login: user=<" + Pattern.quote(ASSISTANT) + ">.*TLS");
    }

    @Test
    void aCertificateItDoesNotTrustIsOneLineAtStartUpAndOnTheDashboardNotATraceAtEveryPoll() throws Exception {
        Map<String, String> env = env("all");
        env.remove("MAIL_CA_FILE");
        String imap = "mail in " + ASSISTANT + " (IMAP 127.0.0.1:" + servers.imapsPort() + ")";
        String smtp = "mail out " + ASSISTANT + " (SMTP 127.0.0.1:" + servers.submissionPort() + ")";
        String imapReason = "the IMAP server's certificate is not trusted: set MAIL_CA_FILE to the CA's PEM file";
        String smtpReason = "the SMTP server's certificate is not trusted: set MAIL_CA_FILE to the CA's PEM file";
        int handshakesBefore = count(servers.dovecotLog(), "SSL_accept() failed");

        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env)) {
            // the start-up check, then polls that keep failing the same way
            await().atMost(Duration.ofSeconds(30)).until(() -> count(servers.dovecotLog(), "SSL_accept() failed") >= handshakesBefore + 5);
            assertFailureShownOnce(log, imap, imapReason, "mail in  failing: " + imapReason);
            assertFailureShownOnce(log, smtp, smtpReason, "mail out failing: " + smtpReason);
        }
    }

    @Test
    void aServerWithoutStartTlsIsRefusedBeforeAnyLoginAndTheReplyIsNotSent() throws Exception {
        Map<String, String> env = env("local");
        env.put("SMTP_PORT", Integer.toString(servers.noTlsSmtpPort()));
        String smtp = "mail out " + ASSISTANT + " (SMTP 127.0.0.1:" + servers.noTlsSmtpPort() + ")";
        String reason = "the SMTP server at 127.0.0.1:" + servers.noTlsSmtpPort() + " does not offer STARTTLS: use its TLS port with"
                + " SMTP_SECURITY=ssl, or SMTP_SECURITY=none only on a network you trust";

        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env)) {
            Path vault = dir.resolve("vault");
            TaskFile task = TaskFile.create("EMAIL_notls", "email_reply").with("channel", "imap").with("from", ALICE)
                    .with("subject", "Quote").withSection(TaskFile.DRAFT, "Here is the quote.");
            new Vault(vault).write(vault.resolve("Approved"), task);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault.resolve("Failed/EMAIL_notls.md")));
            assertThat(vault.resolve("Failed/EMAIL_notls.md")).content().contains("## Error", reason).doesNotContain("uncertain: true");
            assertFailureShownOnce(log, smtp, reason, "mail out failing: " + reason);
        }
        assertThat(servers.mailbox(ALICE, "INBOX")).noneMatch(m -> subjectOf(m).equals("Re: Quote"));
        // the agent said EHLO and left: no AUTH, no MAIL in the clear
        assertThat(servers.postfixLog()).doesNotContain("auth=1 mail=1 rcpt=0/1");
        assertThat(servers.postfixLog().lines().filter(l -> l.contains("disconnect from localhost")))
                .noneMatch(l -> l.contains("auth=") && !l.contains("starttls=1"));
    }

    @Test
    void aWrongPasswordIsOneLineForEachServerAndNeverLogged() throws Exception {
        Map<String, String> env = env("all");
        String wrong = "not-the-password-42";
        env.put("MAIL_PASSWORD", wrong);
        // IMAP with STARTTLS this time: the login is refused, not the TLS
        env.put("IMAP_SECURITY", "starttls");
        env.put("IMAP_PORT", Integer.toString(servers.imapPort()));
        String imap = "mail in " + ASSISTANT + " (IMAP 127.0.0.1:" + servers.imapPort() + ")";
        String smtp = "mail out " + ASSISTANT + " (SMTP 127.0.0.1:" + servers.submissionPort() + ")";
        String imapReason = "the IMAP server refused the login: check MAIL_USERNAME and MAIL_PASSWORD (an app password where the provider"
                + " asks for one)";
        String smtpReason = imapReason.replace("IMAP", "SMTP");
        int refusedBefore = count(servers.dovecotLog(), "auth failed");

        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env)) {
            // five refused logins over STARTTLS: about 5 s on a quiet machine, and the whole test took 23 s in a loaded suite
            await().atMost(Duration.ofSeconds(60)).until(() -> count(servers.dovecotLog(), "auth failed") >= refusedBefore + 5);
            assertFailureShownOnce(log, imap, imapReason, "mail in  failing: " + imapReason);
            assertFailureShownOnce(log, smtp, smtpReason, "mail out failing: " + smtpReason);
            assertThat(log.lines()).noneMatch(l -> l.contains(wrong));
        }
        assertThat(servers.dovecotLog()).containsPattern("imap-login: Info: Disconnected.*auth failed.*user=<" + Pattern.quote(ASSISTANT)
                + ">.*TLS");
    }

    /** One ERROR line with the reason, the summary line, no stack trace; and the Dashboard's Problems name it. */
    private void assertFailureShownOnce(LogCapture log, String key, String reason, String summaryLine) {
        List<String> lines = log.lines();
        assertThat(lines.stream().filter(l -> l.contains(" ERROR ") && l.contains(key + ": " + reason))).hasSize(1);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(summaryLine));
        assertThat(lines).noneMatch(l -> l.contains("\tat ") || l.contains("PKIX path building failed") || l.contains("Caused by"));
        // whatever else the agent warns about, nothing more about mail
        assertThat(lines.stream().filter(l -> (l.contains(" WARN ") || l.contains(" ERROR ")) && l.toLowerCase().matches("(?s).*(mail|imap|smtp).*")))
                .allMatch(l -> l.contains(reason) || l.contains(" MailProblems - mail "));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(dir.resolve("vault/Dashboard.md")).content()
                .contains("## Problems", key + ": " + reason));
    }

    private static int count(String text, String what) {
        return (int) text.lines().filter(l -> l.contains(what)).count();
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
