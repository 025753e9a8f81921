package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month compressed: a cloud and a local agent (the packaged jar, {@code -Xmx256m} each) over a
 * git remote, syncing, beating and refreshing the Dashboard every second, through 30 "days" of
 * {@code soak.mails} mails each: drafted on the cloud, approved on the local side, sent over SMTP.
 * Each day: both agents' RSS and live heap (after a full collection), their {@code .state/} and
 * {@code .git} sizes, the remote's packs, and the median sync time of that day. Flat curves are what the issue asks for.
 */
class SoakBench {

    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "pw-soak-123456";
    private static final int DAYS = Integer.getInteger("soak.days", 30);
    private static final int MAILS = Integer.getInteger("soak.mails", 10);
    private static final Duration DAY = Duration.ofSeconds(Integer.getInteger("soak.day.seconds", 15));

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private Map<String, String> env(String type, Path vault) {
        Map<String, String> env = LocalAgentEnv.syncedWithMail(type, vault, dir, ASSISTANT, PASSWORD, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("MAX_EMAILS_PER_HOUR", "1000000");
        env.put("LOG_FILE_LEVEL", "OFF");
        // the hourly look at the history's loose objects, compressed like the rest: about once a day
        env.put("VAULT_GC_INTERVAL", Long.toString(DAY.toSeconds()));
        return env;
    }

    @Test
    void aMonthCompressed() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud");
        Path localVault = GitCli.cloneOf(remote, dir, "local");
        Process daemon = null;
        if ("daemon".equals(System.getProperty("soak.remote"))) {
            // the remote served as a server serves it (git daemon, git receive-pack), not read in the agents' processes
            int port = freePort();
            daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
                    "--port=" + port, "--base-path=" + dir, dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("daemon.log").toFile()).start();
            for (Path clone : List.of(cloudVault, localVault)) {
                GitCli.run(clone, "remote", "set-url", "origin", "git://127.0.0.1:" + port + "/vault.git");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }
        List<String> lines = new ArrayList<>();
        lines.add("| day | tasks done | cloud RSS | local RSS | cloud .state | local .state | cloud live heap | local live heap | local .git | remote packs | syncs that day (both) | median sync | p90 sync |");
        lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        try (AgentProcess cloud = AgentProcess.start(env("cloud", cloudVault), dir.resolve("work-cloud"), dir.resolve("cloud.log"), jvmOptions("cloud"));
             AgentProcess local = AgentProcess.start(env("local", localVault), dir.resolve("work-local"), dir.resolve("local.log"), jvmOptions("local"))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> started(dir.resolve("cloud.log")) && started(dir.resolve("local.log")));
            int sent = 0;
            for (int day = 1; day <= DAYS; day++) {
                long dayStart = System.nanoTime();
                int cloudSyncsBefore = syncs(cloudVault).size();
                int localSyncsBefore = syncs(localVault).size();
                for (int i = 0; i < MAILS; i++) {
                    sent++;
                    GreenMailUtil.sendTextEmail(ASSISTANT, "customer" + sent + "@example.com", "Day " + day + " question " + i,
                            "Could you send me a quote for item " + sent + "?", mail.getSmtp().getServerSetup());
                }
                int expected = sent;
                // the owner approves each draft as it arrives, until the day's replies are out
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    approveAll(localVault);
                    return count(localVault.resolve("Done")) >= expected;
                });
                long left = DAY.toNanos() - (System.nanoTime() - dayStart);
                if (left > 0) {
                    // the rest of the day idle: syncs, heartbeats and Dashboard refreshes go on
                    await().pollDelay(Duration.ofNanos(left)).atMost(Duration.ofNanos(left).plusSeconds(5)).until(() -> true);
                }
                List<Long> syncMs = new ArrayList<>();
                syncs(cloudVault).stream().skip(cloudSyncsBefore).forEach(s -> syncMs.add(((Number) s.get("ms")).longValue()));
                syncs(localVault).stream().skip(localSyncsBefore).forEach(s -> syncMs.add(((Number) s.get("ms")).longValue()));
                syncMs.sort(null);
                // RSS before the full collection that counting the live heap makes
                long cloudRss = cloud.rssKb();
                long localRss = local.rssKb();
                lines.add("| %d | %d | %d MB | %d MB | %d kB | %d kB | %.1f MB | %.1f MB | %d kB | %d | %d | %d ms | %d ms |".formatted(day, count(localVault.resolve("Done")),
                        cloudRss / 1024, localRss / 1024, size(cloudVault.resolve(".state")) / 1024, size(localVault.resolve(".state")) / 1024,
                        cloud.liveHeapKb(histogram("cloud", day)) / 1024.0, local.liveHeapKb(histogram("local", day)) / 1024.0,
                        size(localVault.resolve(".git")) / 1024, count(remote.resolve("objects/pack"), ".pack"), syncMs.size(), at(syncMs, 0.5), at(syncMs, 0.9)));
                System.out.println(lines.get(lines.size() - 1));
            }
            assertThat(cloud.alive()).isTrue();
            assertThat(local.alive()).isTrue();
        }
        assertThat(mail.getReceivedMessages()).hasSizeGreaterThanOrEqualTo(2 * DAYS * MAILS);
        lines.add("");
        lines.add("%d days of %s each, %d mails a day; VAULT_SYNC_INTERVAL=1, HEARTBEAT_INTERVAL=1, DASHBOARD_INTERVAL=1, VAULT_GC_INTERVAL=%d."
                .formatted(DAYS, DAY, MAILS, DAY.toSeconds()));
        lines.add("Packed during the run: cloud %d time(s), local %d time(s).".formatted(packs(dir.resolve("cloud.log")), packs(dir.resolve("local.log"))));
        if (daemon != null) {
            daemon.destroy();
            lines.add("The remote served by git daemon (git upload-pack, git receive-pack).");
        }
        Bench.report("A month compressed (SoakBench)", lines);
    }

    /**
     * {@code -Xmx256m}, and what {@code -Dsoak.jvm} adds, with {@code {agent}} for cloud or local (a flight
     * recording of each, say: {@code -Dsoak.jvm=-XX:StartFlightRecording=filename=/tmp/{agent}.jfr}).
     */
    private static List<String> jvmOptions(String agent) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        for (String option : System.getProperty("soak.jvm", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option.replace("{agent}", agent));
            }
        }
        return options;
    }

    /** Where the day's class histogram of an agent is kept, with {@code -Dsoak.histograms=<folder>}; null without. */
    private static Path histogram(String agent, int day) throws IOException {
        String folder = System.getProperty("soak.histograms");
        if (folder == null) {
            return null;
        }
        return Files.createDirectories(Path.of(folder)).resolve(agent + "-day" + day + ".txt");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long packs(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("Vault history packed")).count();
    }

    private static boolean started(Path log) throws IOException {
        return Files.exists(log) && Files.readString(log).contains("DigitalFTE started");
    }

    private static List<Map<String, Object>> syncs(Path vault) {
        return JsonLines.tail(vault.resolve("Logs/vault_sync.jsonl"), Integer.MAX_VALUE);
    }

    private static void approveAll(Path vault) throws IOException {
        Path pending = vault.resolve("Pending_Approval");
        if (!Files.isDirectory(pending)) {
            return;
        }
        try (Stream<Path> files = Files.list(pending)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).toList()) {
                try {
                    Files.move(f, vault.resolve("Approved").resolve(f.getFileName()));
                } catch (IOException movedMeanwhile) {
                    // the agent or a sync moved it first: the next look sees where it went
                }
            }
        }
    }

    private static long count(Path folder) throws IOException {
        return count(folder, ".md");
    }

    private static long count(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    private static long size(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        long[] total = new long[1];
        // git packs and prunes while this walks: a file or folder gone meanwhile counts as nothing
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException gone) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)));
    }
}
