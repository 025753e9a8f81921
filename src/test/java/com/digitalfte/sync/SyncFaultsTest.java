package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network and the process fail; the vault loses nothing and every task ends in one folder. */
class SyncFaultsTest {

    @TempDir
    Path dir;

    private static Map<String, String> cloudEnv(Path vault) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "cloud");
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("VAULT_SYNC_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "60");
        env.put("MAIL_PROVIDER", "imap");
        env.put("CHANNELS_DIR", vault.resolveSibling("no-channels").toString());
        return env;
    }

    private static void newTask(Path vault, String id) throws Exception {
        Path tmp = vault.resolve(".state/" + id + ".tmp");
        Files.createDirectories(tmp.getParent());
        Files.writeString(tmp, TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "x@example.com")
                .with("subject", id).withSection(TaskFile.ORIGINAL, "hello").render());
        Files.move(tmp, vault.resolve("Needs_Action/" + id + ".md"));
    }

    /** Every task file on the remote's branch, by id, with the number of folders it is in. */
    private static Map<String, Long> copiesOnRemote(Path remote) {
        return GitCli.filesOn(remote, "main").stream().filter(f -> f.matches("[A-Za-z_]+/(?:[a-z-]+/)?[A-Z]+_\\w+\\.md"))
                .collect(Collectors.groupingBy(f -> f.replaceAll(".*/", ""), Collectors.counting()));
    }

    @Test
    void aRemoteThatDisappearsMidRunAndComesBackLosesNothing() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "cloud");
        try (TestAgent cloud = TestAgent.start(cloudEnv(vault))) {
            newTask(vault, "EMAIL_before");
            await().atMost(Duration.ofSeconds(20)).until(() -> GitCli.filesOn(remote, "main").contains("Updates/EMAIL_before.md"));

            Path away = dir.resolve("vault-moved-away.git");
            // a push in flight at the move fails in JGit's own receiving thread (the remote is served in
            // this JVM): that thread's exception is the fault this test makes, not a failure of the agent
            Files.move(remote, away);
            for (int i = 0; i < 5; i++) {
                newTask(vault, "EMAIL_offline" + i);
            }
            // the queue keeps moving on the local disk while the remote is gone
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> {
                try (var s = Files.list(vault.resolve("Updates"))) {
                    return s.filter(p -> p.getFileName().toString().startsWith("EMAIL_offline")).count() == 5;
                }
            });
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    com.digitalfte.audit.JsonLines.tail(vault.resolve("Logs/vault_sync.jsonl"), 5))
                    .anySatisfy(l -> assertThat(l).containsEntry("result", "unreachable")));

            // a push in flight at the move goes on writing at the old path (objects, a ref): that is
            // not the remote, and the agent must push what it holds again once the remote is back
            if (Files.exists(remote)) {
                FileUtils.delete(remote.toFile(), FileUtils.RECURSIVE);
            }
            Files.move(away, remote);
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).until(() -> GitCli.filesOn(remote, "main").stream()
                    .filter(f -> f.startsWith("Updates/EMAIL_offline")).count() == 5);
        }
        assertThat(copiesOnRemote(remote)).hasSize(6).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(GitCli.filesOn(remote, "main")).noneMatch(f -> f.startsWith("Needs_Action/") || f.startsWith("In_Progress/"));
    }

    @Test
    void pushesRejectedWhileTheRemoteKeepsMovingGoThroughInTheEnd() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "cloud");
        Path other = GitCli.cloneOf(remote, dir, "busy-owner");
        int noise = 40;
        try (TestAgent cloud = TestAgent.start(cloudEnv(vault))) {
            for (int i = 0; i < 5; i++) {
                newTask(vault, "EMAIL_busy" + i);
            }
            // meanwhile somebody else pushes to the same branch as fast as git lets them
            Files.createDirectories(other.resolve("Plans"));
            for (int i = 0; i < noise; i++) {
                Files.writeString(other.resolve("Plans/note" + i + ".md"), "note " + i + "\n");
                GitCli.run(other, "add", "-A");
                GitCli.run(other, "commit", "-q", "-m", "note " + i);
                GitCli.pushRetrying(other);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> GitCli.filesOn(remote, "main").stream()
                    .filter(f -> f.startsWith("Updates/EMAIL_busy")).count() == 5);
        }
        List<String> files = GitCli.filesOn(remote, "main");
        assertThat(files.stream().filter(f -> f.startsWith("Plans/note")).count()).isEqualTo(noise);
        assertThat(copiesOnRemote(remote)).hasSize(5).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(files).noneMatch(f -> f.startsWith("Needs_Action/") || f.startsWith("In_Progress/"));
    }

    @Test
    void aProcessKilledBetweenCommitAndPushLosesNothing() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "cloud");
        Files.createDirectories(vault.resolve("Updates"));
        Files.writeString(vault.resolve("Updates/EMAIL_k.md"), TaskFile.create("EMAIL_k", "email_reply").render());
        VaultSync dying = new VaultSync(vault, "origin", "main", "cloud", vault.resolve("Logs/vault_sync.jsonl"));
        assertThat(dying.commitLocalChanges()).isEqualTo(1);
        // the process dies here: committed, never pushed; nothing of it reached the remote
        assertThat(GitCli.filesOn(remote, "main")).isEmpty();

        try (VaultSync restarted = new VaultSync(vault, "origin", "main", "cloud", vault.resolve("Logs/vault_sync.jsonl"))) {
            SyncResult r = restarted.sync();
            assertThat(r.ok()).isTrue();
            assertThat(r.pushed()).isEqualTo(1);
        }
        assertThat(GitCli.filesOn(remote, "main")).containsExactly("Updates/EMAIL_k.md");
        assertThat(GitCli.run(vault, "status", "--porcelain")).doesNotContain("Updates/");
    }

    @Test
    void aFetchInterruptedByADeadRemoteIsAnErrorAndTheNextSyncRecovers() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "cloud");
        try (VaultSync sync = new VaultSync(vault, "origin", "main", "cloud", vault.resolve("Logs/vault_sync.jsonl"))) {
            Files.writeString(vault.resolve("Dashboard.md"), "# one\n");
            assertThat(sync.sync().ok()).isTrue();
            // the remote's objects vanish mid-life, as when a disk or a server dies
            Path objects = remote.resolve("objects");
            Path hidden = dir.resolve("objects-hidden");
            Files.move(objects, hidden);
            Files.writeString(vault.resolve("Dashboard.md"), "# two\n");
            assertThat(sync.sync().ok()).isFalse();
            Files.move(hidden, objects);
            assertThat(sync.sync().ok()).isTrue();
        }
        assertThat(GitCli.run(remote, "show", "main:Dashboard.md")).isEqualTo("# two\n");
        assertThat(List.of(GitCli.run(remote, "fsck").split("\n"))).noneMatch(l -> l.startsWith("error"));
    }
}
