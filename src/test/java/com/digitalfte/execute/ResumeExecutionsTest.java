package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The local agent stopped in the middle of executions: after the restart nothing is stuck and nothing is sent twice. */
class ResumeExecutionsTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void interruptedExecutionsAreFinishedAndWhatWasSentIsNotSentAgain() throws Exception {
        Path vaultDir = dir.resolve("vault");
        Vault vault = new Vault(vaultDir);
        vault.init("local", false);
        for (String id : new String[] {"EMAIL_sent", "EMAIL_unsent"}) {
            vault.write(vault.inProgress("local"), TaskFile.create(id, "email_reply").with("channel", "imap")
                    .with("from", id.toLowerCase() + "@example.com").with("subject", id).withSection(TaskFile.DRAFT, "Reply " + id));
        }
        try (Ledger ledger = new Ledger(vaultDir.resolve(".state/ledger.jsonl"))) {
            ledger.intent("EMAIL_sent", EmailReplyExecutor.ACTION);
            ledger.done("EMAIL_sent", EmailReplyExecutor.ACTION, "<EMAIL_sent.reply@example.com>");
        }
        try (TestAgent local = TestAgent.start(LocalAgentEnv.smtp(vaultDir, mail.getSmtp().getPort(), dir))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vaultDir.resolve("Done/EMAIL_sent.md"))
                    && Files.exists(vaultDir.resolve("Done/EMAIL_unsent.md")));
        }
        assertThat(Inboxes.repliesTo(mail, "email_sent@example.com")).isEmpty();
        assertThat(Inboxes.repliesTo(mail, "email_unsent@example.com")).hasSize(1);
        assertThat(vaultDir.resolve("Done/EMAIL_sent.md")).content().contains("sent before a restart");
        assertThat(vaultDir.resolve("In_Progress/local")).isEmptyDirectory();
    }
}
