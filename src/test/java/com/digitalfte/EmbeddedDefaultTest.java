package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.TestAgent;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-configuration default as the README walks through it: both roles in one process, the
 * embedded mailbox, the template drafter, the vault's own git history.
 */
class EmbeddedDefaultTest {

    @TempDir
    Path dir;

    @Test
    void theWalkthroughWorksWithNoConfigurationButThePorts() throws Exception {
        int smtp = freePort();
        int imap = freePort();
        Path vault = dir.resolve("vault");
        try (TestAgent agent = TestAgent.start(Map.of("VAULT_PATH", vault.toString(),
                "SMTP_PORT", Integer.toString(smtp), "IMAP_PORT", Integer.toString(imap), "DASHBOARD_INTERVAL", "1"))) {
            assertThat(agent.agent().config().mailAddress()).isEqualTo("assistant@localhost");
            // every folder watched remembers the files in hand, not Camel's 50,000 (the soak's cloud heap grew with them)
            List<GenericFileEndpoint<?>> folders = agent.agent().camelContext().getEndpoints().stream()
                    .filter(GenericFileEndpoint.class::isInstance).<GenericFileEndpoint<?>>map(e -> (GenericFileEndpoint<?>) e).toList();
            assertThat(folders).hasSizeGreaterThanOrEqualTo(5).allSatisfy(folder -> assertThat(folder.getInProgressRepository())
                    .isInstanceOfSatisfying(MemoryIdempotentRepository.class,
                            r -> assertThat(r.getMaxCacheSize()).as(folder.getEndpointUri()).isLessThanOrEqualTo(1000)));
            assertThat(vault.resolve("Company_Handbook.md")).exists();
            assertThat(vault.resolve(".gitignore")).exists();

            // 1. an email the owner rejects: nothing is sent
            send(smtp, "bob@example.com", "Cheap watches", "<spam-1@example.com>");
            Path rejectedPending = Inboxes.awaitPending(vault, "Cheap watches");
            Files.move(rejectedPending, vault.resolve("Rejected").resolve(rejectedPending.getFileName()));

            // 2. an email the owner approves: the reply reaches the sender's mailbox
            send(smtp, "carol@example.com", "Meeting on Friday?", "<meet-1@example.com>");
            Path pending = Inboxes.awaitPending(vault, "Meeting on Friday?");
            Files.move(pending, vault.resolve("Approved").resolve(pending.getFileName()));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done").resolve(pending.getFileName())));

            Message[] carolInbox = inbox(imap, "carol@example.com");
            assertThat(carolInbox).hasSize(1);
            assertThat(carolInbox[0].getSubject()).isEqualTo("Re: Meeting on Friday?");
            assertThat(carolInbox[0].getHeader("In-Reply-To")).containsExactly("<meet-1@example.com>");
            assertThat(inbox(imap, "bob@example.com")).isEmpty();

            Path audit = vault.resolve("Logs/" + LocalDate.now(ZoneOffset.UTC) + ".json");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(JsonLines.tail(audit, 50))
                    .anySatisfy(l -> assertThat(l).containsEntry("action_type", "task_rejected").containsEntry("approval_status", "rejected")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("| Done | 1 |", "| Rejected | 1 |", "| all | all |"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    com.digitalfte.support.GitCli.run(vault, "log", "--name-only", "--format=")).contains("Done/" + pending.getFileName()));
        }
    }

    @Test
    void badApprovalsGoToFailedWithTheReasonAndTheAgentCarriesOn() throws Exception {
        int smtp = freePort();
        int imap = freePort();
        Path vault = dir.resolve("vault");
        try (TestAgent agent = TestAgent.start(Map.of("VAULT_PATH", vault.toString(),
                "SMTP_PORT", Integer.toString(smtp), "IMAP_PORT", Integer.toString(imap)))) {
            Files.writeString(vault.resolve("Approved/NOTES.md"), "my shopping list\n");
            Files.writeString(vault.resolve("Approved/FAX_1.md"), "---\nid: FAX_1\ntype: fax_send\n---\n## Draft\n\nhello\n");
            Files.writeString(vault.resolve("Approved/EMAIL_nodraft.md"),
                    "---\nid: EMAIL_nodraft\ntype: email_reply\nfrom: dan@example.com\nsubject: hi\n---\n## Original\n\n> hi\n");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(vault.resolve("Failed/NOTES.md")).content().startsWith("my shopping list").contains("## Error", "no front matter");
                assertThat(vault.resolve("Failed/FAX_1.md")).content().contains("## Error", "no executor for this task type");
                assertThat(vault.resolve("Failed/EMAIL_nodraft.md")).content().contains("## Error", "no '## Draft' section");
            });

            // and the next good email still goes through
            send(smtp, "erin@example.com", "Opening hours", "<inv-1@example.com>");
            Path pending = Inboxes.awaitPending(vault, "Opening hours");
            Files.move(pending, vault.resolve("Approved").resolve(pending.getFileName()));
            await().atMost(Duration.ofSeconds(20)).until(() -> inbox(imap, "erin@example.com").length == 1);
        }
    }

    private static void send(int smtpPort, String from, String subject, String messageId) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("assistant@localhost"));
        m.setSubject(subject);
        m.setText("Hello, " + subject);
        Transport.send(m);
    }

    /**
     * The sender's mailbox as the README reads it: login and password are the address. The mailbox
     * only exists once something was delivered to it, so a refused login means nothing arrived.
     */
    private static Message[] inbox(int imapPort, String address) throws Exception {
        Properties props = new Properties();
        Session session = Session.getInstance(props);
        try (Store store = session.getStore("imap")) {
            try {
                store.connect("127.0.0.1", imapPort, address, address);
            } catch (jakarta.mail.AuthenticationFailedException noMailboxYet) {
                return new Message[0];
            }
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            for (Message m : messages) {
                m.getSubject();
                m.getHeader("In-Reply-To");
            }
            return messages;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
