package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JGit's merge does not follow renames: two clones that move one task to two folders both keep
 * their copy after a pull that reports "Merged". The invariant check after every pull repairs it.
 */
class RenameRenameTest {

    @TempDir
    Path dir;

    private static final String TASK = "---\nid: EMAIL_1\ntype: email_reply\n---\n## Original\n\n> hi\n";

    private Path[] twoClonesWithOneTask() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path seed = GitCli.cloneOf(remote, dir, "seed");
        Files.createDirectories(seed.resolve("Needs_Action"));
        Files.writeString(seed.resolve("Needs_Action/EMAIL_1.md"), TASK);
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "a task");
        GitCli.run(seed, "push", "-q", "origin", "main");
        return new Path[] {remote, GitCli.cloneOf(remote, dir, "a"), GitCli.cloneOf(remote, dir, "b")};
    }

    private static void moveAndCommit(Path clone, String to) throws Exception {
        Files.createDirectories(clone.resolve(to).getParent());
        GitCli.run(clone, "mv", "Needs_Action/EMAIL_1.md", to);
        GitCli.run(clone, "commit", "-q", "-m", "move to " + to);
    }

    @Test
    void jgitMergesTwoRenamesOfOneFileIntoTwoCopies() throws Exception {
        Path[] r = twoClonesWithOneTask();
        moveAndCommit(r[1], "In_Progress/a/EMAIL_1.md");
        GitCli.run(r[1], "push", "-q", "origin", "main");
        moveAndCommit(r[2], "In_Progress/b/EMAIL_1.md");
        try (Git git = Git.open(r[2].toFile())) {
            git.fetch().setRemote("origin").call();
            MergeResult merge = git.merge().include(git.getRepository().resolve("refs/remotes/origin/main")).call();
            assertThat(merge.getMergeStatus()).isEqualTo(MergeResult.MergeStatus.MERGED);
        }
        // the regression itself: the task now sits in two folders
        assertThat(r[2].resolve("In_Progress/a/EMAIL_1.md")).exists();
        assertThat(r[2].resolve("In_Progress/b/EMAIL_1.md")).exists();
    }

    @Test
    void theSyncRepairsItTowardTheRemotesClaim() throws Exception {
        Path[] r = twoClonesWithOneTask();
        moveAndCommit(r[1], "In_Progress/a/EMAIL_1.md");
        GitCli.run(r[1], "push", "-q", "origin", "main");
        moveAndCommit(r[2], "In_Progress/b/EMAIL_1.md");

        List<VaultInvariant.Repair> repairs = new ArrayList<>();
        try (VaultSync sync = new VaultSync(new Vault(r[2]), new VaultSync.Options("origin", "main", "b", 30, java.time.Duration.ofSeconds(60)), r[2].resolve("Logs/vault_sync.jsonl"),
                new com.digitalfte.secrets.SecretGuard(List.of()), listener(repairs), com.digitalfte.sync.CommitFilter.ALL)) {
            assertThat(sync.sync().ok()).isTrue();
        }
        assertThat(repairs).singleElement().satisfies(rep -> {
            assertThat(rep.id()).isEqualTo("EMAIL_1");
            assertThat(rep.kept()).isEqualTo("In_Progress/a/EMAIL_1.md");
            assertThat(rep.removed()).containsExactly("In_Progress/b/EMAIL_1.md");
        });
        assertThat(GitCli.filesOn(r[0], "main")).containsExactly("In_Progress/a/EMAIL_1.md");
    }

    @Test
    void aLaterStateWinsOverAnEarlierOne() throws Exception {
        Path[] r = twoClonesWithOneTask();
        moveAndCommit(r[1], "Done/EMAIL_1.md");
        GitCli.run(r[1], "push", "-q", "origin", "main");
        moveAndCommit(r[2], "Pending_Approval/EMAIL_1.md");
        List<VaultInvariant.Repair> repairs = new ArrayList<>();
        try (VaultSync sync = new VaultSync(new Vault(r[2]), new VaultSync.Options("origin", "main", "local", 30, java.time.Duration.ofSeconds(60)), r[2].resolve("Logs/vault_sync.jsonl"),
                new com.digitalfte.secrets.SecretGuard(List.of()), listener(repairs), com.digitalfte.sync.CommitFilter.ALL)) {
            assertThat(sync.sync().ok()).isTrue();
        }
        assertThat(repairs).singleElement().extracting(VaultInvariant.Repair::kept).isEqualTo("Done/EMAIL_1.md");
        assertThat(GitCli.filesOn(r[0], "main")).containsExactly("Done/EMAIL_1.md");
        GitCli.run(r[1], "pull", "-q", "origin", "main");
        assertThat(r[1].resolve("Done/EMAIL_1.md")).exists();
        assertThat(r[1].resolve("Pending_Approval/EMAIL_1.md")).doesNotExist();
    }

    private static SyncListener listener(List<VaultInvariant.Repair> repairs) {
        return new SyncListener() {
            @Override
            public void quarantined(String vaultPath, com.digitalfte.secrets.SecretGuard.Finding finding, String as) {
            }

            @Override
            public void repaired(VaultInvariant.Repair repair) {
                repairs.add(repair);
            }
        };
    }
}
