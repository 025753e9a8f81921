package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original layout: the vault is a folder of the owner's project repository, shared through the
 * project's remote. The agent commits, pushes, checks out and resets vault paths only, and leaves
 * the owner's index as it found it.
 */
class NestedVaultTest {

    @TempDir
    Path dir;

    private Path remote;
    private Path project;
    private Path vault;

    @BeforeEach
    void aProjectWithTheVaultInside() throws Exception {
        remote = GitCli.bareRemote(dir, "project.git");
        Path seed = GitCli.cloneOf(remote, dir, "seed");
        Files.writeString(seed.resolve("README.md"), "# The owner's project\n");
        Files.createDirectories(seed.resolve("vault/Needs_Action"));
        Files.writeString(seed.resolve("vault/Company_Handbook.md"), "# Rules\n");
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "the project");
        GitCli.run(seed, "push", "-q", "origin", "main");
        project = GitCli.cloneOf(remote, dir, "project");
        vault = project.resolve("vault");
        new Vault(vault).init("agent", false);
    }

    /** What the owner has staged and not committed: a private note and an edit of the README. */
    private void ownerStagesWorkOfTheirOwn() throws Exception {
        Files.writeString(project.resolve("private-note.md"), "not for anybody else\n");
        Files.writeString(project.resolve("README.md"), "# The owner's project, edited\n");
        GitCli.run(project, "add", "private-note.md", "README.md");
    }

    private static String task(String id) {
        return TaskFile.create(id, "email_reply").with("from", "ann@example.com").withSection(TaskFile.ORIGINAL, "hello").render();
    }

    @Test
    void aSyncCommitsAndPushesVaultPathsOnlyAndLeavesTheOwnersIndexAsItWas() throws Exception {
        ownerStagesWorkOfTheirOwn();
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_1.md"), task("EMAIL_1"));
        String stagedBefore = GitCli.run(project, "diff", "--cached", "--name-status");

        try (VaultSync sync = new VaultSync(vault, "origin", "main", "local", vault.resolve("Logs/vault_sync.jsonl"))) {
            SyncResult r = sync.sync();
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.pushed()).isEqualTo(1);
        }

        assertThat(GitCli.run(remote, "show", "--name-only", "--format=", "main").strip().split("\n"))
                .contains("vault/Done/EMAIL_1.md").allSatisfy(f -> assertThat(f).startsWith("vault/"));
        assertThat(GitCli.filesOn(remote, "main")).doesNotContain("private-note.md");
        assertThat(GitCli.run(remote, "show", "main:README.md")).isEqualTo("# The owner's project\n");
        assertThat(GitCli.run(project, "diff", "--cached", "--name-status")).isEqualTo(stagedBefore)
                .contains("A\tprivate-note.md", "M\tREADME.md");
        assertThat(GitCli.run(project, "status", "--porcelain", "--", "vault")).isEmpty();
    }

    @Test
    void aClaimTheRemoteRejectsIsUndoneWithoutTouchingTheOwnersIndex() throws Exception {
        Path other = GitCli.cloneOf(remote, dir, "other");
        Files.createDirectories(other.resolve("vault/Needs_Action"));
        Files.writeString(project.resolve("vault/Needs_Action/EMAIL_2.md"), task("EMAIL_2"));
        Files.writeString(other.resolve("vault/Needs_Action/EMAIL_2.md"), task("EMAIL_2"));
        GitCli.run(other, "add", "-A");
        GitCli.run(other, "commit", "-q", "-m", "a task");
        GitCli.run(other, "push", "-q", "origin", "main");
        try (VaultSync sync = new VaultSync(vault, "origin", "main", "cloud-a", vault.resolve("Logs/vault_sync.jsonl"))) {
            assertThat(sync.sync().ok()).isTrue();
            // another agent claims the task first
            Files.createDirectories(other.resolve("vault/In_Progress/cloud-b"));
            GitCli.run(other, "mv", "vault/Needs_Action/EMAIL_2.md", "vault/In_Progress/cloud-b/EMAIL_2.md");
            GitCli.run(other, "commit", "-q", "-m", "cloud-b: claim EMAIL_2.md");
            GitCli.pushRetrying(other);
            ownerStagesWorkOfTheirOwn();
            String stagedBefore = GitCli.run(project, "diff", "--cached", "--name-status");

            GitClaimService claims = new GitClaimService(new Vault(vault), sync, "cloud-a");
            // the push is rejected and undone; the next try fetches first and finds the task taken
            assertThat(claims.claim(vault.resolve("Needs_Action/EMAIL_2.md"))).isEmpty();
            assertThat(GitCli.run(project, "diff", "--cached", "--name-status")).isEqualTo(stagedBefore);
            assertThat(claims.claim(vault.resolve("Needs_Action/EMAIL_2.md"))).isEmpty();

            assertThat(GitCli.run(project, "diff", "--cached", "--name-status")).isEqualTo(stagedBefore);
            assertThat(vault.resolve("In_Progress/cloud-a/EMAIL_2.md")).doesNotExist();
            assertThat(vault.resolve("In_Progress/cloud-b/EMAIL_2.md")).exists();
        }
        assertThat(GitCli.filesOn(remote, "main")).contains("vault/In_Progress/cloud-b/EMAIL_2.md")
                .doesNotContain("vault/In_Progress/cloud-a/EMAIL_2.md", "private-note.md");
    }

    @Test
    void theRemotesChangesOutsideTheVaultAreLeftForTheOwnerToPull() throws Exception {
        Path laptop = GitCli.cloneOf(remote, dir, "laptop");
        Files.writeString(laptop.resolve("README.md"), "# Edited on the laptop\n");
        GitCli.run(laptop, "commit", "-q", "-am", "readme");
        GitCli.run(laptop, "push", "-q", "origin", "main");
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_3.md"), task("EMAIL_3"));

        try (VaultSync sync = new VaultSync(vault, "origin", "main", "cloud", vault.resolve("Logs/vault_sync.jsonl"))) {
            SyncResult r = sync.sync();
            assertThat(r.result()).isEqualTo("refused");
            assertThat(r.error()).contains("outside the vault (README.md)", "git -C", "pull");
        }
        assertThat(project.resolve("README.md")).hasContent("# The owner's project");
        assertThat(GitCli.run(project, "status", "--porcelain")).doesNotContain("README.md");
        assertThat(GitCli.filesOn(remote, "main")).doesNotContain("vault/Done/EMAIL_3.md");
    }

    @Test
    void theOwnersOwnCommitsOutsideTheVaultAreTheirsToPush() throws Exception {
        Files.writeString(project.resolve("README.md"), "# Committed, not pushed\n");
        GitCli.run(project, "commit", "-q", "-am", "my readme");
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_4.md"), task("EMAIL_4"));

        try (VaultSync sync = new VaultSync(vault, "origin", "main", "local", vault.resolve("Logs/vault_sync.jsonl"))) {
            SyncResult r = sync.sync();
            assertThat(r.result()).isEqualTo("refused");
            assertThat(r.error()).contains("my readme", "outside the vault (README.md)", "git push");
        }
        assertThat(GitCli.run(remote, "show", "main:README.md")).isEqualTo("# The owner's project\n");
        assertThat(List.of(GitCli.run(remote, "log", "--format=%s", "main").split("\n"))).containsExactly("the project");
    }
}
