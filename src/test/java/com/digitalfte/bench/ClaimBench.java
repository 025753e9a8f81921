package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.sync.GitClaimService;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims (a compare-and-swap push to one bare remote) per second: one agent alone, then three
 * agents on three clones racing for the same tasks.
 */
class ClaimBench {

    private static final int TASKS = Integer.getInteger("bench.claims", 300);

    @TempDir
    Path dir;

    @Test
    void claimsPerSecond() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("| agents | tasks | wall time | claims/s | claim latency (won claims) | lost races |");
        lines.add("|---|---|---|---|---|---|");
        lines.add(race(1));
        lines.add(race(3));
        Bench.report("Claims through one bare remote (ClaimBench)", lines);
    }

    private String race(int agents) throws Exception {
        Path base = Files.createDirectories(dir.resolve("race-" + agents));
        Path remote = GitCli.bareRemote(base, "vault.git");
        Path seed = GitCli.cloneOf(remote, base, "seed");
        Files.createDirectories(seed.resolve("Needs_Action"));
        for (int i = 0; i < TASKS; i++) {
            String id = "EMAIL_claim%04d".formatted(i);
            Files.writeString(seed.resolve("Needs_Action/" + id + ".md"),
                    TaskFile.create(id, "email_reply").with("from", "c" + i + "@example.com").withSection(TaskFile.ORIGINAL, "hi").render());
        }
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "tasks");
        GitCli.run(seed, "push", "-q", "origin", "main");

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger won = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        List<VaultSync> syncs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(agents);
        long start;
        try {
            List<Runnable> work = new ArrayList<>();
            for (int a = 0; a < agents; a++) {
                String name = "cloud-" + (char) ('a' + a);
                Path clone = GitCli.cloneOf(remote, base, name);
                Vault vault = new Vault(clone);
                VaultSync sync = new VaultSync(clone, "origin", "main", name, base.resolve(name + "-sync.jsonl"));
                syncs.add(sync);
                GitClaimService claims = new GitClaimService(vault, sync, name);
                Random random = new Random(a);
                work.add(() -> {
                    try {
                        while (true) {
                            List<Path> open = list(clone.resolve("Needs_Action"));
                            if (open.isEmpty()) {
                                sync.sync();
                                if (list(clone.resolve("Needs_Action")).isEmpty()) {
                                    return;
                                }
                                continue;
                            }
                            Collections.shuffle(open, random);
                            for (Path file : open.subList(0, Math.min(20, open.size()))) {
                                long t = System.nanoTime();
                                if (claims.claim(file).isPresent()) {
                                    latencies.add(System.nanoTime() - t);
                                    won.incrementAndGet();
                                } else {
                                    lost.incrementAndGet();
                                }
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            work.forEach(w -> running.add(pool.submit(w)));
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            syncs.forEach(VaultSync::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> onRemote = GitCli.filesOn(remote, "main");
        assertThat(won.get()).isEqualTo(TASKS);
        assertThat(onRemote.stream().filter(f -> f.startsWith("In_Progress/")).count()).isEqualTo(TASKS);
        String p = Bench.percentiles(latencies).replaceFirst("^n=\\d+ ", "");
        return "| %d | %d | %.1f s | **%.1f** | %s | %d |".formatted(agents, TASKS, seconds, TASKS / seconds, p, lost.get());
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        } catch (Exception e) {
            return new ArrayList<>();
        }
    }
}
