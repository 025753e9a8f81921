package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cloud agents on one host and one mailbox: one polls it, the other stands by; killed with
 * SIGKILL, the poller is replaced by the standby, and no message becomes two tasks either way.
 */
class StandbyTest {

    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "pw-standby-123";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir
    Path dir;

    private Map<String, String> env(String name, Path vault) {
        Map<String, String> env = LocalAgentEnv.syncedWithMail("cloud", vault, dir, ASSISTANT, PASSWORD, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("AGENT_NAME", name);
        env.put("CLUSTER_DIR", dir.resolve("cluster").toString());
        env.put("CLUSTER_LOCK_INTERVAL", "1");
        return env;
    }

    private static long linesWith(Path log, String text) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() : 0;
    }

    private void send(int i) {
        GreenMailUtil.sendTextEmail(ASSISTANT, "s" + i + "@example.com", "Standby " + i, "Message " + i, mail.getSmtp().getServerSetup());
    }

    /** The tasks on the remote, by the id, with the number of folders each is in. */
    private static Map<String, Long> tasksOn(Path remote) {
        return GitCli.filesOn(remote, "main").stream().filter(f -> f.matches("(Needs_Action|In_Progress/[^/]+|Updates)/EMAIL_\\w+\\.md"))
                .collect(Collectors.groupingBy(f -> f.replaceAll(".*/", ""), Collectors.counting()));
    }

    @Test
    void oneAgentPollsTheMailboxAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path logA = dir.resolve("cloud-a.log");
        Path logB = dir.resolve("cloud-b.log");
        try (AgentProcess a = AgentProcess.start(env("cloud-a", GitCli.cloneOf(remote, dir, "a")), dir.resolve("wa"), logA)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> linesWith(logA, "Leadership taken") > 0);
            try (AgentProcess b = AgentProcess.start(env("cloud-b", GitCli.cloneOf(remote, dir, "b")), dir.resolve("wb"), logB)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> linesWith(logB, "DigitalFTE started") > 0);
                for (int i = 0; i < 3; i++) {
                    send(i);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> tasksOn(remote).size() == 3);
                assertThat(linesWith(logA, "New task EMAIL_")).as("the leader polls").isEqualTo(3);
                assertThat(linesWith(logB, "New task EMAIL_")).as("the standby does not").isZero();

                a.kill();
                for (int i = 3; i < 6; i++) {
                    send(i);
                }
                // the standby takes over within seconds of the death (3 intervals of 1 s here, about 20 s by default)
                await().atMost(Duration.ofSeconds(60)).until(() -> tasksOn(remote).size() == 6);
                assertThat(linesWith(logB, "Leadership taken")).isPositive();
                assertThat(linesWith(logB, "New task EMAIL_")).isEqualTo(3);
            }
        }
        assertThat(tasksOn(remote)).hasSize(6).allSatisfy((id, folders) -> assertThat(folders).as(id).isEqualTo(1L));
        assertThat(List.of(mail.getReceivedMessagesForDomain(ASSISTANT))).hasSize(6);
    }
}
