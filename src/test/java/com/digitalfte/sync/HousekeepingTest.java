package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import com.digitalfte.support.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault's history packed when loose objects pile up, at most once an interval, as git itself counts them. */
class HousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void looseObjectsPastTheLimitArePackedOnceTheIntervalIsOverAndNotBefore() throws Exception {
        GitCli.run(dir, "init", "-q", "-b", "main", "vault");
        Path vault = dir.resolve("vault");
        MovableClock clock = new MovableClock("2026-12-01T09:00:00Z", ZoneOffset.UTC);
        try (Git git = Git.open(vault.toFile())) {
            // a month of small task files: 2100 files in one commit, each its own loose object
            commitFiles(git, 2100);
            // and replaced heartbeats: unreachable, ten of them over an hour old, one just written
            List<Path> oldHeartbeats = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                oldHeartbeats.add(looseBlob(git, vault, "old heartbeat " + i));
            }
            for (Path f : oldHeartbeats) {
                Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            }
            looseBlob(git, vault, "the latest heartbeat");
            assertThat(countObjects(vault)).contains("count: 2114", "in-pack: 0");
            Housekeeping housekeeping = new Housekeeping(git, clock, Duration.ofHours(1), 2000);

            assertThat(housekeeping.run()).as("just started").isFalse();
            clock.advance(Duration.ofMinutes(59));
            assertThat(housekeeping.run()).as("within the hour").isFalse();
            assertThat(countObjects(vault)).contains("count: 2114");

            clock.set(Instant.now());
            clock.advance(Duration.ofMinutes(1));
            assertThat(housekeeping.run()).isTrue();
            assertThat(countObjects(vault)).as("the reachable packed, the old unreachable pruned, the young one kept")
                    .contains("count: 1", "in-pack: 2103");
            assertThat(GitCli.run(vault, "fsck", "--no-progress")).doesNotContain("missing", "error");
            assertThat(GitCli.run(vault, "ls-tree", "-r", "--name-only", "main")).contains("Done/EMAIL_2099.md");

            // few loose objects: nothing to do, even an hour on
            commitFiles(git, 10);
            clock.advance(Duration.ofHours(1));
            assertThat(housekeeping.run()).isFalse();
            assertThat(countObjects(vault)).contains("count: 14");
        }
    }

    @Test
    void theSmallPacksFetchesLeavePastFiftyArePackedIntoOne() throws Exception {
        GitCli.run(dir, "init", "-q", "-b", "main", "vault");
        Path vault = dir.resolve("vault");
        MovableClock clock = new MovableClock("2026-12-01T09:00:00Z", ZoneOffset.UTC);
        try (Git git = Git.open(vault.toFile())) {
            Housekeeping housekeeping = new Housekeeping(git, clock, Duration.ofHours(1), 2000);
            // as every fetch of a few new objects does: a pack of its own
            for (int i = 0; i < 51; i++) {
                commitFiles(git, 2);
                GitCli.run(vault, "repack", "-d", "-q");
            }
            assertThat(countObjects(vault)).contains("count: 0", "packs: 51");
            clock.advance(Duration.ofHours(1));
            assertThat(housekeeping.run()).isTrue();
            assertThat(countObjects(vault)).contains("count: 0", "packs: 1");
            assertThat(GitCli.run(vault, "fsck", "--no-progress")).doesNotContain("missing", "error");
        }
    }

    @Test
    void aRemoteOnThisDiskIsPackedTooAndThePacksItReplacedGoOnceTheyAreOld() throws Exception {
        GitCli.run(dir, "init", "-q", "--bare", "-b", "main", "vault.git");
        Path remote = dir.resolve("vault.git");
        GitCli.run(dir, "init", "-q", "-b", "main", "vault");
        Path vault = dir.resolve("vault");
        MovableClock clock = new MovableClock("2026-12-01T09:00:00Z", ZoneOffset.UTC);
        try (Git git = Git.open(vault.toFile()); Git bare = Git.open(remote.toFile())) {
            // as pushes to a path received by JGit leave it: a pack of their own each
            for (int i = 0; i < 51; i++) {
                commitFiles(bare, 2);
                GitCli.run(remote, "repack", "-d", "-q");
            }
            try (var packs = Files.newDirectoryStream(remote.resolve("objects/pack"), "*.pack")) {
                for (Path pack : packs) {
                    Files.setLastModifiedTime(pack, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
                }
            }
            Housekeeping housekeeping = new Housekeeping(git, Housekeeping.onDisk(remote.toUri().toString()), clock, Duration.ofHours(1), 2000);
            clock.advance(Duration.ofHours(1));
            assertThat(housekeeping.run()).isTrue();
            assertThat(countObjects(remote)).contains("count: 0", "packs: 1");
            assertThat(GitCli.run(remote, "fsck", "--no-progress")).doesNotContain("missing", "error");
            assertThat(GitCli.run(remote, "rev-list", "--count", "main").strip()).isEqualTo("51");
        }
    }

    @Test
    void onlyARemoteOnThisDiskIsLookedAfterHere() throws Exception {
        GitCli.run(dir, "init", "-q", "--bare", "-b", "main", "vault.git");
        GitCli.run(dir, "init", "-q", "-b", "main", "clone");
        Path bare = dir.resolve("vault.git");
        assertThat(Housekeeping.onDisk(bare.toString())).isEqualTo(bare);
        assertThat(Housekeeping.onDisk("file://" + bare)).isEqualTo(bare);
        assertThat(Housekeeping.onDisk(dir.resolve("clone").toString())).isEqualTo(dir.resolve("clone/.git"));
        assertThat(Housekeeping.onDisk("git@github.com:owner/vault.git")).isNull();
        assertThat(Housekeeping.onDisk("ssh://git@host:2222/srv/vault.git")).isNull();
        assertThat(Housekeeping.onDisk("https://git.example.com/owner/vault.git")).isNull();
        assertThat(Housekeeping.onDisk("")).isNull();
    }

    @Test
    void aFetchNeverPacksTheHistoryOnItsOwnHowManyPacksThereAre() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path agent = GitCli.cloneOf(remote, dir, "agent");
        Path other = GitCli.cloneOf(remote, dir, "other");
        // past gc.autoPackLimit: JGit's own gc at the end of a fetch would pack these into one, whatever gc.auto says
        for (int i = 0; i < 55; i++) {
            Files.writeString(agent.resolve("note" + i + ".md"), "note " + i + "\n");
            GitCli.run(agent, "add", "-A");
            GitCli.run(agent, "-c", "gc.auto=0", "commit", "-q", "-m", "note " + i);
            GitCli.run(agent, "repack", "-d", "-q");
        }
        try (VaultSync sync = new VaultSync(agent, "origin", "main", "agent", dir.resolve("sync.jsonl"))) {
            for (int i = 0; i < 3; i++) {
                Files.writeString(other.resolve("news.md"), "news " + i + "\n");
                GitCli.run(other, "add", "-A");
                GitCli.run(other, "-c", "gc.auto=0", "commit", "-q", "-m", "news " + i);
                GitCli.pushRetrying(other);
                assertThat(sync.sync().result()).isIn("pulled", "pushed");
            }
            assertThat(Files.readString(agent.resolve("news.md"))).isEqualTo("news 2\n");
            // a gc leaves its packs beside the ones it replaced for an hour, but only a gc writes a bitmap index
            try (var bitmaps = Files.newDirectoryStream(agent.resolve(".git/objects/pack"), "*.bitmap")) {
                assertThat(bitmaps).as("the history waits for housekeeping, under the sync lock").isEmpty();
            }
        }
    }

    private static Path looseBlob(Git git, Path repo, String text) throws Exception {
        try (ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            String name = inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)).name();
            inserter.flush();
            return repo.resolve(".git/objects/" + name.substring(0, 2) + "/" + name.substring(2));
        }
    }

    private static String countObjects(Path repo) {
        return GitCli.run(repo, "count-objects", "-v");
    }

    /** One commit on main of {@code n} new files, written as loose objects as the agent's commits are. */
    private static void commitFiles(Git git, int n) throws Exception {
        try (ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            String stamp = Long.toString(System.nanoTime());
            TreeFormatter done = new TreeFormatter();
            java.util.List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add("EMAIL_" + i + ".md");
            }
            java.util.Collections.sort(names);
            for (String name : names) {
                done.append(name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB,
                        ("---\nid: " + name + "\nbatch: " + stamp + "\n---\nDone.\n").getBytes(StandardCharsets.UTF_8)));
            }
            TreeFormatter root = new TreeFormatter();
            root.append("Done", FileMode.TREE, inserter.insert(done));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(root));
            ObjectId head = git.getRepository().resolve("refs/heads/main");
            if (head != null) {
                commit.setParentId(head);
            }
            PersonIdent who = new PersonIdent("agent", "agent@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(n + " file(s)");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = git.getRepository().updateRef("refs/heads/main");
            update.setNewObjectId(id);
            update.forceUpdate();
        }
    }
}
