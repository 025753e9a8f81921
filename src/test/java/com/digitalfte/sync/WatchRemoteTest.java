package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskIds;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the periodic sync at its default of five minutes, a draft reaches the other machine and an
 * approval comes back long before it: each side looks where the remote's branch is every few
 * seconds and syncs when it moved. (How fast is measured in the benchmarks.)
 */
class WatchRemoteTest {

    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "pw-watch-123";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir
    Path dir;

    private Map<String, String> env(String type, Path vault) {
        Map<String, String> env = LocalAgentEnv.syncedWithMail(type, vault, dir, ASSISTANT, PASSWORD, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("VAULT_SYNC_INTERVAL", "300");
        env.put("VAULT_WATCH_INTERVAL", "1");
        return env;
    }

    @Test
    void aDraftAndItsApprovalCrossBetweenTheMachinesLongBeforeThePeriodicSync() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud");
        Path localVault = GitCli.cloneOf(remote, dir, "local");
        try (TestAgent cloud = TestAgent.start(env("cloud", cloudVault)); TestAgent local = TestAgent.start(env("local", localVault))) {
            GreenMailUtil.sendTextEmail(ASSISTANT, "bea@example.com", "Opening hours", "When are you open on Saturday?",
                    mail.getSmtp().getServerSetup());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessagesForDomain(ASSISTANT).length == 1);
            String id = TaskIds.email(mail.getReceivedMessagesForDomain(ASSISTANT)[0].getMessageID());

            Path pending = localVault.resolve("Pending_Approval/" + id + ".md");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pending));
            Files.move(pending, localVault.resolve("Approved/" + id + ".md"));

            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(cloudVault.resolve("Done/" + id + ".md")));
            assertThat(Inboxes.repliesTo(mail, "bea@example.com")).hasSize(1);
        }
    }
}
