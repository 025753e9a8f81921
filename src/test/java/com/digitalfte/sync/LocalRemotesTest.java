package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote on this disk served from one repository kept open: what git itself writes there is seen,
 * another repository moved in at the path is opened again, and housekeeping packs it through the
 * repository that serves it.
 */
class LocalRemotesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void install() {
        LocalRemotes.install();
    }

    @Test
    void fetchesAndPushesToAPathAreServedByOneRepositoryThatReadsEachPackOnceAndSeesWhatGitWritesThere() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path owner = GitCli.cloneOf(remote, dir, "owner");
        try (Git cloud = Git.open(GitCli.cloneOf(remote, dir, "cloud").toFile()); Git local = Git.open(GitCli.cloneOf(remote, dir, "local").toFile())) {
            commit(cloud, "Needs_Action/EMAIL_0.md");
            cloud.push().setRemote("origin").call();
            Repository served = LocalRemotes.held(remote);
            assertThat(served).as("held open once pushed to").isNotNull();
            Pack first = ((FileRepository) served).getObjectDatabase().getPacks().iterator().next();

            for (int i = 1; i <= 20; i++) {
                commit(cloud, "Needs_Action/EMAIL_" + i + ".md");
                cloud.push().setRemote("origin").call();
                if (i % 5 == 0) {
                    // the owner's own git, writing into the same repository
                    GitCli.run(owner, "pull", "-q", "--no-rebase", "origin", "main");
                    Files.writeString(owner.resolve("Handbook_" + i + ".md"), "rule " + i);
                    GitCli.run(owner, "add", "-A");
                    GitCli.run(owner, "commit", "-q", "-m", "owner " + i);
                    GitCli.run(owner, "push", "-q", "origin", "main");
                    cloud.pull().setRemote("origin").call();
                }
                local.fetch().setRemote("origin").call();
            }

            assertThat(LocalRemotes.held(remote)).as("the same repository throughout").isSameAs(served);
            assertThat(((FileRepository) served).getObjectDatabase().getPacks()).as("the first pack read once, not again for each call")
                    .anyMatch(p -> p == first);
            assertThat(local.getRepository().resolve("refs/remotes/origin/main").name())
                    .isEqualTo(GitCli.run(remote, "rev-parse", "main").strip());
            assertThat(GitCli.filesOn(remote, "main")).contains("Needs_Action/EMAIL_20.md", "Handbook_20.md");
            assertThat(GitCli.run(remote, "fsck", "--no-progress")).doesNotContain("missing", "error");
        }
    }

    @Test
    void anotherRepositoryMovedInAtThePathIsOpenedAgainAndOneUnusedIsClosed() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        try (Git cloud = Git.open(GitCli.cloneOf(remote, dir, "cloud").toFile())) {
            commit(cloud, "Needs_Action/EMAIL_1.md");
            cloud.push().setRemote("origin").call();
            Repository before = LocalRemotes.held(remote);

            // restored from a backup: another repository, with a history of its own, at the same path
            Files.move(remote, dir.resolve("vault.git.old"));
            Path restored = GitCli.bareRemote(dir, "vault.git");
            Path other = GitCli.cloneOf(restored, dir, "other");
            Files.writeString(other.resolve("Restored.md"), "from the backup");
            GitCli.run(other, "add", "-A");
            GitCli.run(other, "commit", "-q", "-m", "restored");
            GitCli.run(other, "push", "-q", "origin", "main");

            cloud.fetch().setRemote("origin").call();
            assertThat(cloud.getRepository().resolve("refs/remotes/origin/main").name()).isEqualTo(GitCli.run(other, "rev-parse", "HEAD").strip());
            Repository after = LocalRemotes.held(remote);
            assertThat(after).isNotNull().isNotSameAs(before);

            LocalRemotes.closeIdle(Duration.ZERO);
            assertThat(LocalRemotes.held(remote)).as("closed once unused").isNull();
            cloud.fetch().setRemote("origin").call();
            assertThat(LocalRemotes.held(remote)).as("opened again by the next call").isNotNull().isNotSameAs(after);
        }
    }

    @Test
    void aPushJgitGivesUpOnBeforeItClosesItsTransportLeavesTheRepositoryFreeToClose() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        try (Git cloud = Git.open(GitCli.cloneOf(remote, dir, "cloud").toFile())) {
            commit(cloud, "Needs_Action/EMAIL_1.md");
            cloud.push().setRemote("origin").call();
            // a source ref that does not resolve: PushCommand throws without closing the transport it opened
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cloud.push().setRemote("origin")
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/none:refs/heads/none")).call()).isNotNull();

            LocalRemotes.closeIdle(Duration.ZERO);
            assertThat(LocalRemotes.held(remote)).as("nothing still holds it").isNull();
            cloud.fetch().setRemote("origin").call();
            assertThat(cloud.getRepository().resolve("refs/remotes/origin/main")).isEqualTo(cloud.getRepository().resolve("HEAD"));
        }
    }

    @Test
    void housekeepingPacksTheRemoteThroughTheRepositoryThatServesItAndTheNextCallsGoOn() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        try (Git cloud = Git.open(GitCli.cloneOf(remote, dir, "cloud").toFile()); Git local = Git.open(GitCli.cloneOf(remote, dir, "local").toFile())) {
            for (int i = 0; i < 55; i++) {
                commit(cloud, "Needs_Action/EMAIL_" + i + ".md");
                cloud.push().setRemote("origin").call();
            }
            assertThat(packs(remote)).as("a pack a push, and the remote never packs itself").hasSizeGreaterThanOrEqualTo(55);
            for (Path pack : packs(remote)) {
                Files.setLastModifiedTime(pack, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            }
            MovableClock clock = new MovableClock("2026-12-01T09:00:00Z", ZoneOffset.UTC);
            Housekeeping housekeeping = new Housekeeping(local, Housekeeping.onDisk(remote.toString()), clock, Duration.ofHours(1), 2000);
            clock.advance(Duration.ofHours(1));

            assertThat(housekeeping.run()).isTrue();
            assertThat(packs(remote)).hasSize(1);
            assertThat(((FileRepository) LocalRemotes.held(remote)).getObjectDatabase().getPacks()).as("what the gc replaced is forgotten where it was read")
                    .hasSize(1);
            commit(cloud, "Needs_Action/EMAIL_55.md");
            cloud.push().setRemote("origin").call();
            local.fetch().setRemote("origin").call();
            assertThat(local.getRepository().resolve("refs/remotes/origin/main")).isEqualTo(cloud.getRepository().resolve("HEAD"));
            assertThat(GitCli.run(remote, "rev-list", "--count", "main").strip()).isEqualTo("56");
            assertThat(GitCli.run(remote, "fsck", "--no-progress")).doesNotContain("missing", "error");
        }
    }

    private static void commit(Git git, String file) throws Exception {
        Path path = git.getRepository().getWorkTree().toPath().resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "---\ntype: email\n---\n" + file + "\n");
        git.add().addFilepattern(".").call();
        git.commit().setMessage("add " + file).setAuthor("Agent", "agent@example.com").setCommitter("Agent", "agent@example.com").call();
    }

    private static List<Path> packs(Path remote) throws Exception {
        try (Stream<Path> files = Files.list(remote.resolve("objects/pack"))) {
            return files.filter(p -> p.toString().endsWith(".pack")).toList();
        }
    }
}
