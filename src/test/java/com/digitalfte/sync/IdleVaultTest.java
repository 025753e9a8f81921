package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud and a local agent with nothing to do, syncing every second: the vault's history gets no
 * commit at all, while each still sees the other alive (heartbeats ride on branches of their own).
 */
class IdleVaultTest {

    @TempDir
    Path dir;

    /** Commits on a branch of the remote; 0 while it has none. */
    private static int commitsOn(Path remote, String ref) {
        if (GitCli.run(remote, "branch", "--list", ref).isBlank()) {
            return 0;
        }
        return Integer.parseInt(GitCli.run(remote, "rev-list", "--count", ref).strip());
    }

    private static int syncs(Path vault) {
        return JsonLines.tail(vault.resolve("Logs/vault_sync.jsonl"), Integer.MAX_VALUE).size();
    }

    private static Instant lastSeen(Path heartbeat) throws Exception {
        return Instant.parse(Files.readString(heartbeat).replaceAll("(?s).*\"last_seen\" : \"([^\"]+)\".*", "$1"));
    }

    @Test
    void anIdleVaultMakesNoCommitsAndTheAgentsStillSeeEachOther() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud");
        Path localVault = GitCli.cloneOf(remote, dir, "local");
        try (TestAgent cloud = TestAgent.start(LocalAgentEnv.synced("cloud", cloudVault, dir)); TestAgent local = TestAgent.start(LocalAgentEnv.synced("local", localVault, dir))) {
            // settled: the local Dashboard lists both agents as alive and synced, as committed
            await().atMost(Duration.ofSeconds(30)).until(() -> GitCli.filesOn(remote, "main").contains("Dashboard.md")
                    && GitCli.run(remote, "show", "main:Dashboard.md").matches("(?s).*\\| cloud \\| cloud \\|[^\\n]*, ok \\| ok \\|.*")
                    && GitCli.run(remote, "show", "main:Dashboard.md").matches("(?s).*\\| local \\| local \\|[^\\n]*, ok \\| ok \\|.*"));
            int commits = commitsOn(remote, "main");
            int heartbeats = commitsOn(remote, "digitalfte/heartbeat/cloud");
            String dashboard = Files.readString(localVault.resolve("Dashboard.md"));
            int cloudSyncs = syncs(cloudVault);
            int localSyncs = syncs(localVault);

            await().atMost(Duration.ofSeconds(40)).until(() -> syncs(cloudVault) >= cloudSyncs + 10 && syncs(localVault) >= localSyncs + 10);

            assertThat(commitsOn(remote, "main")).as("commits while idle").isEqualTo(commits);
            assertThat(commitsOn(remote, "digitalfte/heartbeat/cloud")).as("the cloud's heartbeats went out").isGreaterThan(heartbeats);
            assertThat(lastSeen(localVault.resolve("Updates/agents/cloud.json"))).isAfter(Instant.now().minusSeconds(10));
            assertThat(lastSeen(cloudVault.resolve("Updates/agents/local.json"))).isAfter(Instant.now().minusSeconds(10));
            assertThat(Files.readString(localVault.resolve("Dashboard.md"))).as("the owner's copy is fresh").isNotEqualTo(dashboard);
        }
        assertThat(GitCli.filesOn(remote, "main")).noneMatch(f -> f.startsWith("Updates/agents/"));
    }
}
