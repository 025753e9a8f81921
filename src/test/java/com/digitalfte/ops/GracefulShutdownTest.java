package com.digitalfte.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as systemd and Ctrl-C stop the agent: its routes stop, a last sync carries what it has
 * not pushed yet, and the log ends with the line that says it stopped.
 */
class GracefulShutdownTest {

    @TempDir
    Path dir;

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
}
