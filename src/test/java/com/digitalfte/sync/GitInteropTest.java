package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The owner approves with the git command line, from another clone or in the agent's own, while the agent runs. */
class GitInteropTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    private static String pendingTask(String id, String to) {
        return TaskFile.create(id, "email_reply").with("channel", "imap").with("from", to).with("subject", "About " + id)
                .with("message_id", "<" + id + "@example.com>").withSection(TaskFile.ORIGINAL, "hello")
                .withSection(TaskFile.DRAFT, "Thanks, " + id).render();
    }

    @Test
    void approvalsCommittedWithGitAreExecutedOnce() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path owner = GitCli.cloneOf(remote, dir, "owner-laptop");
        Files.createDirectories(owner.resolve("Pending_Approval"));
        Files.writeString(owner.resolve("Pending_Approval/EMAIL_cli1.md"), pendingTask("EMAIL_cli1", "ann@example.com"));
        Files.writeString(owner.resolve("Pending_Approval/EMAIL_cli2.md"), pendingTask("EMAIL_cli2", "ben@example.com"));
        GitCli.run(owner, "add", "-A");
        GitCli.run(owner, "commit", "-q", "-m", "two drafts");
        GitCli.run(owner, "push", "-q", "origin", "main");

        Path localVault = GitCli.cloneOf(remote, dir, "local");
        Map<String, String> env = LocalAgentEnv.smtp(localVault, mail.getSmtp().getPort(), dir);
        env.put("GIT_REMOTE", "origin");
        env.put("VAULT_SYNC_INTERVAL", "1");
        try (TestAgent local = TestAgent.start(env)) {
            // 1. from another clone: git mv, commit, push
            Files.createDirectories(owner.resolve("Approved"));
            GitCli.run(owner, "mv", "Pending_Approval/EMAIL_cli1.md", "Approved/EMAIL_cli1.md");
            GitCli.run(owner, "commit", "-q", "-m", "approve cli1");
            GitCli.pushRetrying(owner);
            await().atMost(Duration.ofSeconds(30)).until(() -> GitCli.filesOn(remote, "main").contains("Done/EMAIL_cli1.md"));

            // 2. in the agent's own clone, with the agent running: git mv and commit, no push
            GitCli.run(localVault, "mv", "Pending_Approval/EMAIL_cli2.md", "Approved/EMAIL_cli2.md");
            GitCli.run(localVault, "commit", "-q", "-m", "approve cli2 here");
            await().atMost(Duration.ofSeconds(30)).until(() -> GitCli.filesOn(remote, "main").contains("Done/EMAIL_cli2.md"));
        }
        GitCli.run(owner, "pull", "-q", "origin", "main");
        assertThat(owner.resolve("Done/EMAIL_cli1.md")).exists();
        assertThat(owner.resolve("Done/EMAIL_cli2.md")).exists();
        assertThat(owner.resolve("Approved/EMAIL_cli1.md")).doesNotExist();
        assertThat(owner.resolve("Pending_Approval/EMAIL_cli2.md")).doesNotExist();
        assertThat(mail.getReceivedMessagesForDomain("ann@example.com")).hasSize(1);
        assertThat(mail.getReceivedMessagesForDomain("ben@example.com")).hasSize(1);
        assertThat(GitCli.run(localVault, "status", "--porcelain")).doesNotContain("Approved/", "Done/");
    }
}
