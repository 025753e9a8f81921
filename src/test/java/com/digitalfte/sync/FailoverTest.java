package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the cloud stopped and its heartbeat old, the local agent drafts; with the cloud back, only the cloud does. */
class FailoverTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String type, Path vault) {
        Map<String, String> env = LocalAgentEnv.synced(type, vault, dir);
        env.put("FAILOVER_AFTER", "4");
        return env;
    }

    private static void pushTask(Path clone, String id) {
        try {
            GitCli.run(clone, "pull", "-q", "origin", "main");
            Files.createDirectories(clone.resolve("Needs_Action"));
            Files.writeString(clone.resolve("Needs_Action/" + id + ".md"), TaskFile.create(id, "email_reply").with("channel", "imap")
                    .with("from", "dora@example.com").with("subject", id).withSection(TaskFile.ORIGINAL, "hello").render());
            GitCli.run(clone, "add", "-A");
            GitCli.run(clone, "commit", "-q", "-m", "task " + id);
            GitCli.pushRetrying(clone);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String draftedOn(Path remote, String id) {
        for (String f : GitCli.filesOn(remote, "main")) {
            if (f.endsWith("/" + id + ".md") && (f.startsWith("Updates/") || f.startsWith("Pending_Approval/"))) {
                String text = GitCli.run(remote, "show", "main:" + f);
                return text.replaceAll("(?s).*drafted_on: (\\S+).*", "$1");
            }
        }
        return null;
    }

    @Test
    void theLocalAgentDraftsOnlyWhileTheCloudIsAway() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud");
        Path localVault = GitCli.cloneOf(remote, dir, "local");
        Path feeder = GitCli.cloneOf(remote, dir, "feeder");

        // the cloud ran once, then stopped: its heartbeat is on the remote and grows old
        try (TestAgent cloud = TestAgent.start(env("cloud", cloudVault))) {
            // heartbeats travel on a branch of their own, never in the vault's history
            await().atMost(Duration.ofSeconds(20)).until(() -> GitCli.run(remote, "branch", "--list", "digitalfte/heartbeat/cloud").contains("cloud"));
        }
        try (TestAgent local = TestAgent.start(env("local", localVault))) {
            pushTask(feeder, "EMAIL_while_away");
            await().atMost(Duration.ofSeconds(40)).until(() -> "local".equals(draftedOn(remote, "EMAIL_while_away")));

            try (TestAgent cloud = TestAgent.start(env("cloud", cloudVault))) {
                // the local agent sees a fresh cloud heartbeat after its next pull
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Path hb = localVault.resolve("Updates/agents/cloud.json");
                    if (!Files.exists(hb)) {
                        return false;
                    }
                    String seen = Files.readString(hb).replaceAll("(?s).*\"last_seen\" : \"([^\"]+)\".*", "$1");
                    return Duration.between(Instant.parse(seen), Instant.now()).getSeconds() < 3;
                });
                for (int i = 0; i < 3; i++) {
                    pushTask(feeder, "EMAIL_cloud_back" + i);
                }
                for (int i = 0; i < 3; i++) {
                    String id = "EMAIL_cloud_back" + i;
                    await().atMost(Duration.ofSeconds(40)).until(() -> draftedOn(remote, id) != null);
                    assertThat(draftedOn(remote, id)).as(id).isEqualTo("cloud");
                }
            }
        }
        assertThat(GitCli.filesOn(remote, "main")).noneMatch(f -> f.startsWith("Updates/agents/"));
        assertThat(Files.readString(localVault.resolve("Logs/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".json")))
                .contains("\"target\":\"EMAIL_while_away\"");
    }
}
