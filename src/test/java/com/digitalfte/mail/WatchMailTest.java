package com.digitalfte.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.support.LogCapture;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.TaskQueue;
import com.digitalfte.vault.Vault;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in mailbox route ({@code watch-mail}: the IMAP source kamelet into the vault task sink,
 * the bulk-fetching IMAP store) against GreenMail: a message is marked {@code \Seen} on the server
 * only once its task file is on disk, so a task that cannot be written is read again.
 */
class WatchMailTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @TempDir
    Path dir;

    private Vault vault;
    private MailFolder inbox;
    private CamelContext camel;
    /** Message-ID to whether its task file existed at the moment the server stored the message's \Seen flag. */
    private final Map<String, Boolean> taskOnDiskWhenSeen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        vault = new Vault(dir.resolve("vault"));
        vault.init("cloud", false);
        inbox = mail.getManagers().getImapHostManager().getInbox(mail.getUserManager().getUserByEmail(ME));
        inbox.addListener(new SeenWatcher());

        camel = new DefaultCamelContext();
        camel.getRegistry().bind("mailProblems", new MailProblems());
        camel.getRegistry().bind("channelHealth", new com.digitalfte.health.ChannelHealth(java.time.Clock.systemUTC()));
        camel.getRegistry().bind("taskQueue", new TaskQueue(vault, new SeenIds(vault.state().resolve("seen_ids.txt")), new AuditLog(vault.logs(), "cloud"),
                new com.digitalfte.secrets.SecretGuard(java.util.List.of())));
        Properties settings = new Properties();
        settings.put("mail.imap.security", "none");
        settings.put("mail.ca.file", "");
        settings.put("mail.imap.host", "127.0.0.1");
        settings.put("mail.imap.port", Integer.toString(mail.getImap().getPort()));
        settings.put("mail.username", ME);
        settings.put("mail.folder", "INBOX");
        settings.put("mail.poll.delay", "100");
        settings.put("mail.channel", "imap");
        camel.getPropertiesComponent().setInitialProperties(settings);
        camel.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "env";
            }

            @Override
            public String apply(String remainder) {
                return remainder.startsWith("MAIL_PASSWORD") ? "pw-123456" : remainder.equals("IMAP_HOST") ? "127.0.0.1"
                        : remainder.equals("MAIL_ADDRESS") ? ME : null;
            }
        });
        // the route's precondition ({{channel:watch-mail}}): on here
        camel.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "channel";
            }

            @Override
            public String apply(String remainder) {
                return "true";
            }
        });
        // the route polls under master:, which needs a cluster service: a lock file of this test's own
        org.apache.camel.component.file.cluster.FileLockClusterService cluster = new org.apache.camel.component.file.cluster.FileLockClusterService();
        cluster.setRoot(dir.resolve("cluster").toString());
        cluster.setAcquireLockDelay(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        camel.addService(cluster);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "classpath:routes/cloud/watch-mail.camel.yaml"));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void eachMessageIsMarkedSeenOnlyOnceItsTaskFileIsOnDisk() {
        for (int i = 0; i < 30; i++) {
            send("<burst-" + i + "@example.com>", "Question " + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> taskOnDiskWhenSeen.size() == 30);
        assertThat(taskOnDiskWhenSeen).containsKeys("<burst-0@example.com>", "<burst-29@example.com>")
                .allSatisfy((messageId, taskOnDisk) -> assertThat(taskOnDisk).as(messageId).isTrue());
        assertThat(vault.count(vault.folder(Folder.NEEDS_ACTION))).isEqualTo(30);
        assertThat(inbox.getMessages()).allSatisfy(m -> assertThat(m.isSet(Flags.Flag.SEEN)).isTrue());
    }

    @Test
    void aMessageWhoseTaskCannotBeWrittenStaysUnseenAndBecomesATaskOnceTheFaultIsGone() throws Exception {
        // a folder that cannot take the task (a plain file in its place: root ignores a read-only folder)
        Path needsAction = vault.folder(Folder.NEEDS_ACTION);
        Files.delete(needsAction);
        Files.writeString(needsAction, "not a folder");
        try (LogCapture consumer = LogCapture.of(MailConsumer.class)) {
            send("<quote-1@example.com>", "Quote please");
            // read, failed, rolled back; and read again at the next poll, so it was not marked seen in between
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.lines().stream()
                    .filter(l -> l.startsWith("WARN Exchange failed, so rolling back message status")).count() >= 2);
        }
        assertThat(inbox.getMessages()).singleElement().satisfies(m -> assertThat(m.isSet(Flags.Flag.SEEN)).isFalse());
        assertThat(vault.contains(TaskIds.email("<quote-1@example.com>"))).isFalse();
        assertThat(taskOnDiskWhenSeen).isEmpty();

        Files.delete(needsAction);
        Files.createDirectory(needsAction);
        await().atMost(Duration.ofSeconds(30)).until(() -> taskOnDiskWhenSeen.containsKey("<quote-1@example.com>"));
        assertThat(taskOnDiskWhenSeen).containsExactly(Map.entry("<quote-1@example.com>", true));
        assertThat(vault.file(Folder.NEEDS_ACTION, TaskIds.email("<quote-1@example.com>"))).content().contains("subject: Quote please");
    }

    @Test
    void aRefusedLoginIsOneLineWhileItLastsAndOneWhenItWorksAgainNotAWarningAtEveryPoll() {
        var me = mail.getUserManager().getUserByEmail(ME);
        MailProblems problems = camel.getRegistry().lookupByNameAndType("mailProblems", MailProblems.class);
        String key = "mail in " + ME + " (IMAP 127.0.0.1:" + mail.getImap().getPort() + ")";
        try (LogCapture everything = LogCapture.everything()) {
            me.setPassword("changed-by-the-owner");
            // the first failed poll, then a second of polls every 100 ms that fail the same way
            await().atMost(Duration.ofSeconds(30)).until(() -> problems.reason(key).isPresent());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> problems.reason(key).isPresent());
            assertThat(problems.current()).containsExactly(Map.entry(key,
                    "the IMAP server refused the login: check MAIL_USERNAME and MAIL_PASSWORD (an app password where the provider asks for one)"));
            me.setPassword("pw-123456");
            await().atMost(Duration.ofSeconds(30)).until(() -> problems.current().isEmpty());
            send("<after-1@example.com>", "Back again");
            await().atMost(Duration.ofSeconds(30)).until(() -> vault.contains(TaskIds.email("<after-1@example.com>")));

            assertThat(everything.lines().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
                    .singleElement().satisfies(l -> assertThat(l).contains("ERROR", "MailProblems - " + key + ": the IMAP server refused the login"));
            assertThat(everything.lines()).anySatisfy(l -> assertThat(l).contains("INFO", key + " works again"))
                    .noneMatch(l -> l.contains("\tat "));
        }
    }

    private void send(String messageId, String subject) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    // the message's own id, not a new one from the delivery
                    setHeader("Message-ID", messageId);
                }
            };
            m.setFrom(new InternetAddress("client@example.com"));
            m.setRecipients(MimeMessage.RecipientType.TO, ME);
            m.setSubject(subject);
            m.setText("Hello, " + subject + "\n");
            mail.getUserManager().getUserByEmail(ME).deliver(m);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sees each \Seen flag as the server stores it, before it answers the client. */
    private final class SeenWatcher implements FolderListener {

        @Override
        public void flagsUpdated(int msn, Flags flags, Long uid) {
            if (!flags.contains(Flags.Flag.SEEN)) {
                return;
            }
            StoredMessage message = uid != null ? inbox.getMessage(uid) : inbox.getMessages().get(msn - 1);
            try {
                String messageId = message.getMimeMessage().getMessageID();
                taskOnDiskWhenSeen.put(messageId, vault.contains(TaskIds.email(messageId)));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void added(int msn) {
        }

        @Override
        public void expunged(int msn) {
        }

        @Override
        public void mailboxDeleted() {
        }
    }
}
