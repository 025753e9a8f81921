package com.digitalfte.interop;

import static com.digitalfte.interop.MailServers.ALICE;
import static com.digitalfte.interop.MailServers.ASSISTANT;
import static com.digitalfte.interop.MailServers.ASSISTANT_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskIds;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Platinum flow as an owner deploys it, on real servers from Debian: the vault shared through
 * OpenSSH with ed25519 keys (each machine cloned it with {@code git clone} over ssh, so only the
 * ed25519 host key is known), the cloud reading the mailbox over IMAPS from Dovecot, the local side
 * replying over STARTTLS submission through Postfix (SASL by Dovecot) and finding the copy in the
 * folder marked {@code \Sent}; both trust the servers through {@code MAIL_CA_FILE}.
 */
class PlatinumInteropTest {

    @RegisterExtension
    static SshGitServer ssh = new SshGitServer();

    private static MailServers mail;

    @TempDir
    Path dir;

    @BeforeAll
    static void startMail() throws Exception {
        mail = MailServers.start();
    }

    @AfterAll
    static void stopMail() throws Exception {
        if (mail != null) {
            mail.close();
        }
    }

    /** A machine of the owner's: its clone made over ssh, its settings as its .env would hold them. */
    private Map<String, String> machine(String type, SshGitServer.Repository repo) throws Exception {
        Path home = dir.resolve(type);
        Path sshDir = home.resolve(".ssh");
        Path vault = home.resolve("vault");
        ssh.cloneWithGit(repo, vault, sshDir, ssh.key());
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("GIT_SSH_DIR", sshDir.toString());
        env.put("GIT_SSH_KEY", ssh.key().toString());
        env.put("VAULT_WATCH_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("CHANNELS_DIR", home.resolve("channels").toString());
        env.put("MAIL_ADDRESS", ASSISTANT);
        env.put("MAIL_PASSWORD", ASSISTANT_PASSWORD);
        env.put("MAIL_CA_FILE", mail.caFile().toString());
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", Integer.toString(mail.imapsPort()));
        env.put("IMAP_SECURITY", "ssl");
        env.put("MAIL_POLL_DELAY", "500");
        if (type.equals("local")) {
            env.put("SMTP_HOST", "127.0.0.1");
            env.put("SMTP_PORT", Integer.toString(mail.submissionPort()));
            env.put("SMTP_SECURITY", "starttls");
        }
        return env;
    }

    @Test
    void anEmailIsDraftedInTheCloudApprovedLocallyAndAnsweredOnceOverTheServersOwnersHave() throws Exception {
        SshGitServer.Repository repo = ssh.newRepository("platinum");
        Map<String, String> cloudEnv = machine("cloud", repo);
        Map<String, String> localEnv = machine("local", repo);
        Path cloudVault = Path.of(cloudEnv.get("VAULT_PATH"));
        Path localVault = Path.of(localEnv.get("VAULT_PATH"));
        String original = "<platinum-interop@example.com>";
        String id = TaskIds.email(original);

        try (TestAgent cloud = TestAgent.start(cloudEnv); TestAgent local = TestAgent.start(localEnv)) {
            mail.aliceWrites("Website quote", original, "Hello, how much would a small website cost?\n");

            Path pending = Inboxes.awaitPending(localVault, "Website quote");
            assertThat(GitCli.run(repo.bare(), "log", "--format=%an %s", "main")).contains("DigitalFTE cloud: claim " + id + ".md");
            Files.move(pending, localVault.resolve("Approved").resolve(pending.getFileName()));

            await().atMost(Duration.ofSeconds(60)).until(() -> mail.mailbox(ALICE, "INBOX").size() == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(cloudVault.resolve("Done/" + id + ".md")));
        }
        MimeMessage reply = mail.mailbox(ALICE, "INBOX").get(0);
        assertThat(reply.getSubject()).isEqualTo("Re: Website quote");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(original);
        assertThat(mail.mailbox(ASSISTANT, MailServers.SENT_FOLDER)).singleElement()
                .satisfies(m -> assertThat(m.getMessageID()).isEqualTo(reply.getMessageID()));
        assertThat(mail.postfixLog()).contains("starttls=1 auth=1");
        assertThat(GitCli.filesOn(repo.bare(), "main")).contains("Done/" + id + ".md")
                .noneMatch(f -> f.startsWith("Needs_Action/") || f.startsWith("In_Progress/") || f.startsWith("Pending_Approval/"));
        assertThat(GitCli.run(repo.bare(), "log", "-p", "--all")).doesNotContain(ASSISTANT_PASSWORD);
    }
}
