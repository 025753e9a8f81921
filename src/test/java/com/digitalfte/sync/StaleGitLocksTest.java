package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.LogCapture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git lock files in a real repository, with real git processes running on it or elsewhere. */
class StaleGitLocksTest {

    private static final Duration MIN_AGE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private Path workTree;
    private Path gitDir;
    private final List<Process> gitProcesses = new ArrayList<>();

    @BeforeEach
    void repository() {
        GitCli.run(dir, "init", "-q", "vault");
        workTree = dir.resolve("vault");
        gitDir = workTree.resolve(".git");
    }

    @AfterEach
    void stopGit() throws Exception {
        for (Process git : gitProcesses) {
            git.getOutputStream().close();
            git.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFreshLockIsKept() throws Exception {
        Path lock = Files.createFile(gitDir.resolve("index.lock"));
        try (LogCapture log = LogCapture.of(StaleGitLocks.class)) {
            assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).isEmpty();
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("INFO Left the git lock index.lock in place: it is ").contains("probably still writing it");
        }
        assertThat(lock).exists();
    }

    @Test
    void anOldLockIsRemovedWhenNoGitProcessRunsOnTheRepository() throws Exception {
        Path index = old(gitDir.resolve("index.lock"));
        Path branch = old(gitDir.resolve("refs/heads/main.lock"));
        // git working on another repository holds none of this one's locks
        GitCli.run(dir, "init", "-q", "other");
        gitRunningIn(dir.resolve("other"), "cat-file", "--batch-check");
        try (LogCapture log = LogCapture.of(StaleGitLocks.class)) {
            assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).containsExactlyInAnyOrder(index, branch);
            assertThat(log.lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                    .matches("WARN Removed the git lock (index|refs/heads/main)\\.lock: 10 min old and no git process runs on this repository.*"));
        }
        assertThat(index).doesNotExist();
        assertThat(branch).doesNotExist();
    }

    @Test
    void anOldLockIsKeptWhileAGitProcessRunsInTheWorkTree() throws Exception {
        Path lock = old(gitDir.resolve("index.lock"));
        Process git = gitRunningIn(workTree, "cat-file", "--batch-check");
        try (LogCapture log = LogCapture.of(StaleGitLocks.class)) {
            assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).isEmpty();
            assertThat(log.lines()).containsExactly("INFO Left the git lock index.lock in place: git process " + git.pid()
                    + " (git cat-file) runs on this repository and probably holds it");
        }
        assertThat(lock).exists();

        git.getOutputStream().close();
        assertThat(git.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).containsExactly(lock);
    }

    @Test
    void anOldLockIsKeptWhileGitWorksOnTheRepositoryFromElsewhere() throws Exception {
        Path lock = old(gitDir.resolve("HEAD.lock"));
        Process git = gitRunningIn(dir, "-C", "vault", "cat-file", "--batch-check");
        try (LogCapture log = LogCapture.of(StaleGitLocks.class)) {
            assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).isEmpty();
            assertThat(log.lines()).singleElement().asString().contains("git process " + git.pid() + " (git cat-file) runs on this repository");
        }
        assertThat(lock).exists();
    }

    @Test
    void aLockAmongTheObjectsIsNeverTouched() throws Exception {
        Path packLock = old(gitDir.resolve("objects/pack/tmp_pack_1.lock"));
        try (LogCapture log = LogCapture.of(StaleGitLocks.class)) {
            assertThat(StaleGitLocks.clear(gitDir, workTree, MIN_AGE)).isEmpty();
            assertThat(log.lines()).isEmpty();
        }
        assertThat(packLock).exists();
    }

    /** A lock file last written ten minutes ago. */
    private static Path old(Path lock) throws Exception {
        Files.createDirectories(lock.getParent());
        Files.createFile(lock);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        return lock;
    }

    /** {@code git <args>} started in {@code folder}, waiting on its input; it has answered once, so it surely runs. */
    private Process gitRunningIn(Path folder, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(folder.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        gitProcesses.add(git);
        Writer in = new OutputStreamWriter(git.getOutputStream(), StandardCharsets.UTF_8);
        in.write("HEAD\n");
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(git.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("HEAD missing");
        return git;
    }
}
