package com.digitalfte.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that refuses the agent is not a remote that is out of reach: refused, no claim is taken
 * and the owner is told once what to fix; hung, nothing that does not need the remote waits for it.
 */
class RemoteFailuresTest {

    @RegisterExtension
    static WireMockExtension gitServer = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    /** A clone whose origin now points at {@code url}. */
    private Path cloneWithRemoteAt(String url) {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path clone = GitCli.cloneOf(remote, dir, "clone");
        GitCli.run(clone, "remote", "set-url", "origin", url);
        return clone;
    }

    private static void newTask(Path vault, String id, String folder, boolean drafted) throws IOException {
        TaskFile task = TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "kim@example.com")
                .with("subject", "About " + id).with("message_id", "<" + id + "@example.com>").withSection(TaskFile.ORIGINAL, "hello");
        if (drafted) {
            task.withSection(TaskFile.DRAFT, "Thanks, Kim.");
        }
        Path tmp = vault.resolve(".state/" + id + ".tmp");
        Files.createDirectories(tmp.getParent());
        Files.writeString(tmp, task.render());
        Files.createDirectories(vault.resolve(folder));
        Files.move(tmp, vault.resolve(folder + "/" + id + ".md"));
    }

    @Test
    void aRemoteThatRefusesTheCredentialsTakesNoClaimAndIsReportedOnce() throws Exception {
        gitServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"git\"")));
        Path vault = cloneWithRemoteAt(gitServer.baseUrl() + "/vault.git");
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("VAULT_SYNC_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("MAIL_PROVIDER", "imap");
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        try (LogCapture log = LogCapture.of(VaultSync.class); LogCapture drafting = LogCapture.of(com.digitalfte.draft.DraftService.class);
             TestAgent cloud = TestAgent.start(env)) {
            newTask(vault, "EMAIL_refused", "Needs_Action", false);
            Path syncLog = vault.resolve("Logs/vault_sync.jsonl");
            await().atMost(Duration.ofSeconds(20)).until(() -> JsonLines.tail(syncLog, 100).stream()
                    .filter(l -> "refused".equals(l.get("result"))).count() >= 4);

            assertThat(vault.resolve("Needs_Action/EMAIL_refused.md")).as("no work starts without the claim").exists();
            assertThat(vault.resolve("In_Progress/all/EMAIL_refused.md")).doesNotExist();
            assertThat(vault.resolve("Updates/EMAIL_refused.md")).doesNotExist();
            assertThat(JsonLines.tail(syncLog, 1).get(0).get("error").toString()).contains("refused the credentials", "GIT_TOKEN");
            List<String> errors = log.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
            assertThat(errors).as("said once, not at every poll").singleElement()
                    .satisfies(l -> assertThat(l).contains("Vault sync refused", "refused the credentials"));
            assertThat(log.lines()).noneMatch(l -> l.contains("\tat ") || l.contains("Exception"));
            assertThat(drafting.lines()).as("no line at every poll").noneMatch(l -> l.contains("EMAIL_refused"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("## Problems", "sync refused", "refused the credentials"));
        }
    }

    @Test
    void aHungRemoteHoldsUpNoApprovalAndEveryRemoteOperationTimesOut() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hung.isClosed()) {
                    try {
                        held.add(hung.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path vault = cloneWithRemoteAt("http://127.0.0.1:" + hung.getLocalPort() + "/vault.git");
            Map<String, String> env = LocalAgentEnv.smtp(vault, mail.getSmtp().getPort(), dir);
            env.put("GIT_REMOTE", "origin");
            env.put("GIT_TIMEOUT", "2");
            env.put("VAULT_SYNC_INTERVAL", "1");
            try (TestAgent local = TestAgent.start(env)) {
                Path syncLog = vault.resolve("Logs/vault_sync.jsonl");
                // the first sync is waiting for the remote while the owner approves
                await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
                newTask(vault, "EMAIL_hung", "Approved", true);
                await().atMost(Duration.ofSeconds(10)).until(() -> Inboxes.repliesTo(mail, "kim@example.com").size() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(vault.resolve("Done/EMAIL_hung.md")));

                await().atMost(Duration.ofSeconds(20)).until(() -> JsonLines.tail(syncLog, 100).stream()
                        .anyMatch(l -> "unreachable".equals(l.get("result"))));
                Map<String, Object> timedOut = JsonLines.tail(syncLog, 100).stream()
                        .filter(l -> "unreachable".equals(l.get("result"))).findFirst().orElseThrow();
                assertThat(((Number) timedOut.get("ms")).longValue()).as("GIT_TIMEOUT=2").isBetween(1500L, 8000L);
                assertThat(timedOut.get("error").toString()).contains("cannot be reached", "timed out");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(Inboxes.repliesTo(mail, "kim@example.com")).hasSize(1);
    }
}
