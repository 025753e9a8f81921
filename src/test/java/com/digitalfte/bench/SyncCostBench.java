package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.sync.SyncResult;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync cost on a vault of 10,000 task files: the agent's sync (JGit: status, add, commit, fetch,
 * merge, push) against the {@code git} command line doing the same steps, each on its own clone of
 * its own copy of the remote, in the same run.
 */
class SyncCostBench {

    private static final int FILES = Integer.getInteger("bench.files", 10_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);

    @TempDir
    Path dir;

    @Test
    void noOpAndHundredChangedFiles() throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed"));
        GitCli.run(seed, "init", "-q", "-b", "main");
        Files.createDirectories(seed.resolve("Done"));
        for (int i = 0; i < FILES; i++) {
            String id = "EMAIL_done%05d".formatted(i);
            Files.writeString(seed.resolve("Done/" + id + ".md"), TaskFile.create(id, "email_reply").with("from", "c" + i + "@example.com")
                    .with("subject", "Question " + i).withSection(TaskFile.ORIGINAL, "Question number " + i + "\n".repeat(3))
                    .withSection(TaskFile.DRAFT, "Answer number " + i).render());
        }
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "10,000 tasks");
        Path remoteJgit = dir.resolve("jgit.git");
        Path remoteCli = dir.resolve("cli.git");
        GitCli.run(dir, "clone", "-q", "--bare", seed.toString(), remoteJgit.toString());
        GitCli.run(dir, "clone", "-q", "--bare", seed.toString(), remoteCli.toString());
        Path jgitClone = GitCli.cloneOf(remoteJgit, dir, "agent");
        Path cliClone = GitCli.cloneOf(remoteCli, dir, "cli");

        List<Long> jgitNoop = new ArrayList<>();
        List<Long> cliNoop = new ArrayList<>();
        List<Long> jgitChanged = new ArrayList<>();
        List<Long> cliChanged = new ArrayList<>();
        try (VaultSync sync = new VaultSync(jgitClone, "origin", "main", "bench", dir.resolve("sync.jsonl"))) {
            for (int warm = 0; warm < 3; warm++) {
                sync.sync();
                cliNoop(cliClone);
            }
            for (int run = 0; run < RUNS; run++) {
                long t = System.nanoTime();
                SyncResult r = sync.sync();
                jgitNoop.add(System.nanoTime() - t);
                assertThat(r.error()).isNull();
                t = System.nanoTime();
                cliNoop(cliClone);
                cliNoop.add(System.nanoTime() - t);
            }
            for (int run = 0; run < RUNS; run++) {
                touch(jgitClone, run);
                long t = System.nanoTime();
                SyncResult r = sync.sync();
                jgitChanged.add(System.nanoTime() - t);
                assertThat(r.error()).isNull();
                assertThat(r.files()).isEqualTo(100);
                touch(cliClone, run);
                t = System.nanoTime();
                cliChanged(cliClone, run);
                cliChanged.add(System.nanoTime() - t);
            }
        }
        assertThat(GitCli.run(remoteJgit, "rev-list", "--count", "main").strip()).isEqualTo(Integer.toString(1 + RUNS));
        double noopRatio = Bench.median(jgitNoop) / Bench.median(cliNoop);
        Bench.report("Sync cost on 10,000 files (SyncCostBench)", List.of(
                "| sync | JGit (the agent) median | git CLI median | ratio |",
                "|---|---|---|---|",
                "| no-op (status, fetch, nothing to merge or push) | %.0f ms | %.0f ms | %.2f |".formatted(Bench.median(jgitNoop), Bench.median(cliNoop), noopRatio),
                "| 100 changed files (status, add, commit, fetch, push) | %.0f ms | %.0f ms | %.2f |".formatted(Bench.median(jgitChanged),
                        Bench.median(cliChanged), Bench.median(jgitChanged) / Bench.median(cliChanged)),
                "",
                "%d files of about %d bytes, %d runs each after 3 warm-up runs; the CLI runs as separate `git` processes."
                        .formatted(FILES, Files.size(jgitClone.resolve("Done/EMAIL_done00000.md")), RUNS)));
    }

    private static void cliNoop(Path clone) {
        GitCli.run(clone, "status", "--porcelain");
        GitCli.run(clone, "fetch", "-q", "origin");
        GitCli.run(clone, "merge", "-q", "--ff-only", "origin/main");
    }

    private static void cliChanged(Path clone, int run) {
        GitCli.run(clone, "status", "--porcelain");
        GitCli.run(clone, "add", "-A");
        GitCli.run(clone, "commit", "-q", "-m", "run " + run);
        GitCli.run(clone, "fetch", "-q", "origin");
        GitCli.run(clone, "merge", "-q", "--ff-only", "origin/main");
        GitCli.run(clone, "push", "-q", "origin", "main");
    }

    private static void touch(Path clone, int run) throws IOException {
        for (int i = 0; i < 100; i++) {
            Path file = clone.resolve("Done/EMAIL_done%05d.md".formatted(run * 100 + i));
            Files.writeString(file, "\nseen again in run " + run + "\n", StandardOpenOption.APPEND);
        }
    }
}
