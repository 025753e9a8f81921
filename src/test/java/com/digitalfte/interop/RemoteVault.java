package com.digitalfte.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LogCapture;
import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A shared vault on a real git server, as the owner and a cloud agent see it. */
final class RemoteVault {

    private RemoteVault() {
    }

    /** The owner puts a new mail task into Needs_Action/ on the server (from a clone of the bare repository). */
    static void ownerQueues(Path bare, String id, Path dir) throws IOException {
        Path owner = dir.resolve("owner-" + id);
        GitCli.run(dir, "clone", "-q", bare.toString(), owner.toString());
        String task = TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "kim@example.com")
                .with("subject", "About " + id).with("message_id", "<" + id + "@example.com>").withSection(TaskFile.ORIGINAL, "Can we meet?")
                .render();
        Files.createDirectories(owner.resolve("Needs_Action"));
        Files.writeString(owner.resolve("Needs_Action/" + id + ".md"), task);
        GitCli.run(owner, "add", "-A");
        GitCli.run(owner, "commit", "-q", "-m", "a task for the cloud");
        GitCli.run(owner, "push", "-q", "origin", "main");
    }

    /** A cloud agent on this clone, syncing every second through its remote origin. */
    static Map<String, String> cloudAgent(Path vault, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "cloud");
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("VAULT_SYNC_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("GIT_TIMEOUT", "10");
        env.put("MAIL_PROVIDER", "imap");
        env.put("CHANNELS_DIR", dir.resolve("no-channels").toString());
        return env;
    }

    /** The server's branch has the draft in Updates/, and the task left Needs_Action/ by a claim of the cloud's. */
    static boolean claimedAndDrafted(Path bare, String id) {
        List<String> files = GitCli.filesOn(bare, "main");
        return files.contains("Updates/" + id + ".md") && !files.contains("Needs_Action/" + id + ".md");
    }

    static void assertClaimedBeforeDrafted(Path bare, String id) {
        String history = GitCli.run(bare, "log", "--reverse", "--format=%s", "--name-status", "main");
        assertThat(history).as("the claim reached the server before the draft")
                .containsSubsequence("In_Progress/cloud/" + id + ".md", "Updates/" + id + ".md");
    }

    /** Nothing was drafted: the task is still in Needs_Action/ on the server and here. */
    static void assertNotTaken(Path bare, Path vault, String id) {
        assertThat(GitCli.filesOn(bare, "main")).contains("Needs_Action/" + id + ".md").noneMatch(f -> f.contains(id) && !f.startsWith("Needs_Action/"));
        assertThat(vault.resolve("Updates/" + id + ".md")).doesNotExist();
        assertThat(vault.resolve("In_Progress/cloud/" + id + ".md")).doesNotExist();
    }

    /**
     * The agent keeps being refused, and says why in one line in its log, once, and in each refused
     * line of Logs/vault_sync.jsonl.
     */
    static void assertRefusedInOneLine(Path vault, LogCapture syncLogger, String reason) {
        // three refused syncs take 2 to 4 s here (one a second, each a new ssh or TLS connection); lighttpd's wait on a wrong
        // token (3.1 s a sync) is off, see HttpsGitServer
        await().atMost(Duration.ofSeconds(60)).until(() -> syncLog(vault).stream().filter(l -> "refused".equals(l.get("result"))).count() >= 3);
        assertThat(lastRefusal(vault)).contains(reason);
        List<String> errors = syncLogger.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
        assertThat(errors).as("one line, said once").singleElement().satisfies(l -> assertThat(l).contains(reason).doesNotContain("\n"));
    }

    static List<Map<String, Object>> syncLog(Path vault) {
        return JsonLines.tail(vault.resolve("Logs/vault_sync.jsonl"), 1000);
    }

    /** The reason the last refused sync gave in Logs/vault_sync.jsonl, or "" before any. */
    static String lastRefusal(Path vault) {
        return syncLog(vault).stream().filter(l -> "refused".equals(l.get("result"))).reduce((a, b) -> b)
                .map(l -> String.valueOf(l.get("error"))).orElse("");
    }
}
