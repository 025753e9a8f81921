package com.digitalfte.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.vault.TaskFile;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as systemd and Ctrl-C stop the agent: its routes stop, a last sync carries what it has
 * not pushed yet, and the log ends with the line that says it stopped.
 */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @RegisterExtension
    static WireMockExtension model = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void sigtermMakesALastSyncAndTheLogEndsWithTheAgentStopped() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "local");
        Map<String, String> env = LocalAgentEnv.synced("local", vault, dir);
        // no sync of its own while the test runs: only the last one can carry the note
        env.put("VAULT_SYNC_INTERVAL", "3600");
        env.put("VAULT_WATCH_INTERVAL", "3600");
        Path log = dir.resolve("agent.log");
        AgentProcess agent = AgentProcess.start(env, dir.resolve("work"), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
            // the sync at start-up is over
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(vault.resolve("Logs/vault_sync.jsonl")));
            Files.writeString(vault.resolve("Plans/stop-note.md"), "written just before the agent was stopped\n");
            assertThat(GitCli.filesOn(remote, "main")).doesNotContain("Plans/stop-note.md");
        } finally {
            agent.close();
        }

        assertThat(agent.alive()).isFalse();
        assertThat(GitCli.filesOn(remote, "main")).contains("Plans/stop-note.md");
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("DigitalFTE local is stopping: the current work finishes, then a last sync"))
                .anySatisfy(l -> assertThat(l).contains("Last sync: pushed"));
        assertThat(lines.get(lines.size() - 1)).endsWith("DigitalFTE local stopped");
    }

    @Test
    void aDraftInFlightAtSigtermIsFinishedAndGoesOutWithTheLastSync() throws Exception {
        model.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withFixedDelay(2000)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1767225600,"model":"stub",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Thanks, the order ships on Monday."},"finish_reason":"stop"}]}
                        """)));
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "cloud");
        Map<String, String> env = LocalAgentEnv.synced("cloud", vault, dir);
        env.put("DRAFTER", "openai");
        env.put("OPENAI_BASE_URL", model.baseUrl() + "/v1");
        env.put("OPENAI_MODEL", "stub");
        // only the last sync can carry the draft
        env.put("VAULT_SYNC_INTERVAL", "3600");
        env.put("VAULT_WATCH_INTERVAL", "3600");
        Path log = dir.resolve("cloud.log");
        AgentProcess agent = AgentProcess.start(env, dir.resolve("work"), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
            Files.createDirectories(vault.resolve("Needs_Action"));
            Path tmp = vault.resolve(".state/EMAIL_stopping.tmp");
            Files.createDirectories(tmp.getParent());
            Files.writeString(tmp, TaskFile.create("EMAIL_stopping", "email_reply").with("channel", "imap").with("from", "kim@example.com")
                    .with("subject", "When does my order ship?").withSection(TaskFile.ORIGINAL, "Hello, when does it ship?").render());
            Files.move(tmp, vault.resolve("Needs_Action/EMAIL_stopping.md"));
            // the model has the request: the draft is in flight when the agent is told to stop
            await().atMost(Duration.ofSeconds(30)).until(() -> !model.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).isEmpty());
        } finally {
            agent.close();
        }

        assertThat(agent.alive()).isFalse();
        assertThat(GitCli.filesOn(remote, "main")).contains("Updates/EMAIL_stopping.md").doesNotContain("In_Progress/cloud/EMAIL_stopping.md");
        assertThat(GitCli.run(remote, "show", "main:Updates/EMAIL_stopping.md")).contains("Thanks, the order ships on Monday.");
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1)).endsWith("DigitalFTE cloud stopped");
    }
}
