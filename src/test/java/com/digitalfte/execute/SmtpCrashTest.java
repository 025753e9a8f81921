package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.mail.EmbeddedMailbox;
import com.digitalfte.support.CrashHarness;
import com.digitalfte.support.Inboxes;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent in its own JVM sends CrashHarness.TASKS approved replies (80; 240 in the benchmark profile) through GreenMail and is killed with
 * SIGKILL CrashHarness.KILLS times (8; 24 in the benchmark profile) on the way, half of them after the SMTP server took a reply and before
 * the agent heard back. Every recipient gets exactly one reply, every task ends in Done/, and the
 * ledger has one done per task.
 */
class SmtpCrashTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void everyApprovedReplyIsSentExactlyOnceWhateverMomentTheAgentIsKilledAt() throws Exception {
        try (CrashHarness harness = new CrashHarness(dir)) {
            UserManager users = mail.getUserManager();
            EmbeddedMailbox.fileSentCopies(users);
            MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
            users.setMessageDeliveryHandler((message, recipient) -> {
                var user = deliver.handle(message, recipient);
                harness.providerActed();
                return user;
            });
            harness.approve("imap");

            try {
                harness.run(Map.of("MAIL_PROVIDER", "imap", "MAIL_SSL", "false", "MAIL_ADDRESS", ME, "MAIL_PASSWORD", "pw-123456",
                        "SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                        "IMAP_HOST", "127.0.0.1", "IMAP_PORT", Integer.toString(mail.getImap().getPort()), "MAIL_SENT_COPY", "server"));
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n--- agent log ---\n" + harness.logTail(), t);
            }

            assertThat(harness.kills()).isGreaterThanOrEqualTo(CrashHarness.KILLS);
            assertThat(harness.killsAtProvider()).isGreaterThanOrEqualTo(CrashHarness.KILLS / 2);
            for (int i = 0; i < CrashHarness.TASKS; i++) {
                assertThat(Inboxes.repliesTo(mail, CrashHarness.recipient(i))).as(CrashHarness.recipient(i)).hasSize(1);
            }
            assertThat(harness.done()).isEqualTo(CrashHarness.TASKS);
            for (String folder : List.of("Approved", "In_Progress/local", "Failed", "Pending_Approval")) {
                assertThat(harness.count(folder)).as(folder).isZero();
            }
            Map<String, List<String>> ledger = harness.ledger();
            assertThat(ledger).hasSize(CrashHarness.TASKS);
            ledger.forEach((id, states) -> assertThat(states).as(id).containsOnlyOnce("done").last().isEqualTo("done"));
        }
    }
}
