package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultSyncTest {

    @TempDir
    Path dir;

    @Test
    void changesTravelBetweenTwoClonesThroughABareRemote() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path a = GitCli.cloneOf(remote, dir, "a");
        Path b = GitCli.cloneOf(remote, dir, "b");
        try (VaultSync syncA = new VaultSync(a, "origin", "main", "cloud", a.resolve("Logs/vault_sync.jsonl"));
             VaultSync syncB = new VaultSync(b, "origin", "main", "local", b.resolve("Logs/vault_sync.jsonl"))) {
            Files.createDirectories(a.resolve("Updates"));
            Files.writeString(a.resolve("Updates/EMAIL_1.md"), "---\nid: EMAIL_1\ntype: email_reply\n---\n");
            Files.writeString(a.resolve(".env"), "MAIL_PASSWORD=hunter22\n");
            Files.createDirectories(a.resolve(".state"));
            Files.writeString(a.resolve(".state/ledger.jsonl"), "{}\n");
            Files.writeString(a.resolve("notes.txt"), "not a vault file\n");

            SyncResult first = syncA.sync();
            assertThat(first.ok()).isTrue();
            assertThat(first.pushed()).isEqualTo(1);
            assertThat(GitCli.filesOn(remote, "main")).containsExactly("Updates/EMAIL_1.md");

            Files.createDirectories(b.resolve("Done"));
            Files.writeString(b.resolve("Done/EMAIL_0.md"), "---\nid: EMAIL_0\ntype: email_reply\n---\n");
            SyncResult second = syncB.sync();
            assertThat(second.ok()).isTrue();
            assertThat(second.pulled()).isEqualTo(1);
            assertThat(b.resolve("Updates/EMAIL_1.md")).exists();
            assertThat(GitCli.filesOn(remote, "main")).containsExactlyInAnyOrder("Updates/EMAIL_1.md", "Done/EMAIL_0.md");

            // a move on one side is a move on the other after both synced
            Files.createDirectories(b.resolve("Pending_Approval"));
            Files.move(b.resolve("Updates/EMAIL_1.md"), b.resolve("Pending_Approval/EMAIL_1.md"));
            assertThat(syncB.sync().ok()).isTrue();
            assertThat(syncA.sync().ok()).isTrue();
            assertThat(a.resolve("Updates/EMAIL_1.md")).doesNotExist();
            // the folder the pull emptied stays, as Obsidian's tree shows it
            assertThat(a.resolve("Updates")).isDirectory();
            assertThat(a.resolve("Pending_Approval/EMAIL_1.md")).exists();
            assertThat(a.resolve("Done/EMAIL_0.md")).exists();
        }
        assertThat(JsonLines.tail(a.resolve("Logs/vault_sync.jsonl"), 10)).hasSize(2)
                .allSatisfy(line -> assertThat(line).containsKeys("timestamp", "pulled", "pushed", "files", "ms", "result"));
    }

    @Test
    void aPullCutShortWhileWritingTheFilesLosesNoneOfThemHereOrOnTheRemote() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path a = GitCli.cloneOf(remote, dir, "a");
        Path b = GitCli.cloneOf(remote, dir, "b");
        try (VaultSync syncA = new VaultSync(a, "origin", "main", "cloud", a.resolve("Logs/vault_sync.jsonl"));
             VaultSync syncB = new VaultSync(b, "origin", "main", "local", b.resolve("Logs/vault_sync.jsonl"))) {
            Files.createDirectories(a.resolve("Updates"));
            for (String id : java.util.List.of("EMAIL_a", "EMAIL_b", "EMAIL_c")) {
                Files.writeString(a.resolve("Updates/" + id + ".md"), "---\nid: " + id + "\ntype: email_reply\n---\n");
            }
            assertThat(syncA.sync().pushed()).isEqualTo(1);

            // the second file cannot be written here this time (something is in the way): the pull stops there
            Files.createDirectories(b.resolve("Updates/EMAIL_b.md"));
            Files.writeString(b.resolve("Updates/EMAIL_b.md/in-the-way.txt"), "x\n");
            assertThat(syncB.sync().result()).isEqualTo("error");
            org.eclipse.jgit.util.FileUtils.delete(b.resolve("Updates/EMAIL_b.md").toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);

            // the next sync writes what the last one did not, and deletes nothing on the remote
            assertThat(syncB.sync().ok()).isTrue();
            assertThat(b.resolve("Updates/EMAIL_a.md")).exists();
            assertThat(b.resolve("Updates/EMAIL_b.md")).isRegularFile().content().contains("id: EMAIL_b");
            assertThat(b.resolve("Updates/EMAIL_c.md")).exists();
            assertThat(syncB.sync().ok()).isTrue();
            assertThat(GitCli.filesOn(remote, "main")).containsExactlyInAnyOrder("Updates/EMAIL_a.md", "Updates/EMAIL_b.md", "Updates/EMAIL_c.md");
        }
    }

    @Test
    void aNoOpSyncCommitsNothing() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path a = GitCli.cloneOf(remote, dir, "a");
        try (VaultSync sync = new VaultSync(a, "origin", "main", "cloud", a.resolve("Logs/vault_sync.jsonl"))) {
            Files.writeString(a.resolve("Dashboard.md"), "# Dashboard\n");
            assertThat(sync.sync().files()).isEqualTo(1);
            String head = GitCli.run(a, "rev-parse", "HEAD");
            SyncResult again = sync.sync();
            assertThat(again.files()).isZero();
            assertThat(again.pushed()).isZero();
            assertThat(again.result()).isEqualTo("up-to-date");
            assertThat(GitCli.run(a, "rev-parse", "HEAD")).isEqualTo(head);
        }
    }

    @Test
    void anUnreachableRemoteLosesNothingAndTheBacklogGoesOutLater() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path a = GitCli.cloneOf(remote, dir, "a");
        Path moved = dir.resolve("vault-away.git");
        try (VaultSync sync = new VaultSync(a, "origin", "main", "cloud", a.resolve("Logs/vault_sync.jsonl"))) {
            Files.move(remote, moved);
            Files.writeString(a.resolve("Dashboard.md"), "# one\n");
            SyncResult offline = sync.sync();
            assertThat(offline.ok()).isFalse();
            assertThat(offline.result()).isEqualTo("unreachable");
            assertThat(offline.files()).isEqualTo(1);
            Files.writeString(a.resolve("Company_Handbook.md"), "# rules\n");
            assertThat(sync.sync().ok()).isFalse();

            Files.move(moved, remote);
            SyncResult back = sync.sync();
            assertThat(back.ok()).isTrue();
            assertThat(back.pushed()).isEqualTo(2);
        }
        assertThat(GitCli.filesOn(remote, "main")).containsExactlyInAnyOrder("Dashboard.md", "Company_Handbook.md");
    }

    @Test
    void aVaultInsideALargerWorkTreeStagesOnlyItsOwnFolder() throws Exception {
        Path remote = GitCli.bareRemote(dir, "project.git");
        Path work = GitCli.cloneOf(remote, dir, "project");
        Files.writeString(work.resolve("README.md"), "project readme, edited but not for the agent to commit\n");
        Path vault = work.resolve("AI_Employee_Vault");
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_9.md"), "---\nid: EMAIL_9\ntype: email_reply\n---\n");
        try (VaultSync sync = new VaultSync(vault, "origin", "main", "local", vault.resolve("Logs/vault_sync.jsonl"))) {
            assertThat(sync.sync().ok()).isTrue();
        }
        assertThat(GitCli.filesOn(remote, "main")).containsExactly("AI_Employee_Vault/Done/EMAIL_9.md");
        assertThat(GitCli.run(work, "status", "--porcelain")).contains("README.md");
    }

    @Test
    void withoutAnyRepositoryTheVaultGetsItsOwnHistory() throws Exception {
        Path vault = dir.resolve("vault");
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_5.md"), "---\nid: EMAIL_5\ntype: email_reply\n---\n");
        try (VaultSync sync = new VaultSync(vault, "", "main", "all", vault.resolve("Logs/vault_sync.jsonl"))) {
            SyncResult r = sync.sync();
            assertThat(r.result()).isEqualTo("committed");
        }
        assertThat(GitCli.run(vault, "log", "--name-only", "--format=%an")).contains("DigitalFTE all", "Done/EMAIL_5.md");
    }

    @Test
    void aVaultInsideASourceCheckoutWithoutRemoteKeepsItsHistoryApart() throws Exception {
        Path work = dir.resolve("checkout");
        Files.createDirectories(work);
        GitCli.run(work, "init", "-q");
        Path vault = work.resolve("vault");
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve(".gitignore"), ".state/\nLogs/\n");
        Files.writeString(vault.resolve("Done/EMAIL_7.md"), "---\nid: EMAIL_7\ntype: email_reply\n---\n");
        try (VaultSync sync = new VaultSync(vault, "", "main", "all", vault.resolve("Logs/vault_sync.jsonl"))) {
            assertThat(sync.sync().result()).isEqualTo("committed");
        }
        assertThat(vault.resolve(".git")).doesNotExist();
        assertThat(GitCli.run(work, "log", "--all", "--oneline").strip()).isEmpty();
        assertThat(GitCli.run(vault, "--git-dir=.state/history.git", "--work-tree=.", "log", "--name-only", "--format="))
                .contains("Done/EMAIL_7.md");
        try (VaultSync again = new VaultSync(vault, "", "main", "all", vault.resolve("Logs/vault_sync.jsonl"))) {
            Files.writeString(vault.resolve("Done/EMAIL_8.md"), "---\nid: EMAIL_8\ntype: email_reply\n---\n");
            assertThat(again.sync().files()).isEqualTo(1);
        }
    }

    @Test
    void aFileSystemFailureSaysWhatHappenedToThePathNotThePathAlone() {
        assertThat(VaultSync.describe(new java.nio.file.NoSuchFileException("/v/Needs_Action/EMAIL_1.md")))
                .isEqualTo("a file went away while it was read (moved on by a route or the owner): /v/Needs_Action/EMAIL_1.md");
        assertThat(VaultSync.describe(new java.nio.file.FileSystemException("/v/.git/index", null, "No space left on device")))
                .isEqualTo("No space left on device: /v/.git/index");
        assertThat(VaultSync.describe(new java.nio.file.AccessDeniedException("/v/Done"))).isEqualTo("no permission to write or read /v/Done");
        assertThat(VaultSync.describe(new IllegalStateException("the remote rejected the push 5 times in a row")))
                .isEqualTo("the remote rejected the push 5 times in a row");
    }
}
