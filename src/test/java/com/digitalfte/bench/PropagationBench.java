package com.digitalfte.bench;

import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents with the default settings, a cloud and a local one, each its own JVM on its own clone
 * of a remote served by {@code git daemon} (a network remote, not a path), once as it is and once
 * behind a proxy that adds 100 ms each way: 20 emails at random times, each drafted by the cloud and
 * approved on the local side. Measured: email arrival to the draft in the local
 * {@code Pending_Approval/}, and approval to {@code Done/} on the cloud's clone; then a minute of
 * idling (connections, bytes, CPU).
 */
class PropagationBench {

    private static final int EMAILS = Integer.getInteger("bench.propagation.emails", 20);
    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "pw-propagation-1";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir
    Path dir;

    @Test
    void emailToApprovalRequestAndApprovalToDoneAcrossTwoMachines() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("| remote | email → local Pending_Approval/ | approval → cloud's Done/ | idle minute: connections, bytes, CPU (cloud + local) |");
        lines.add("|---|---|---|---|");
        lines.add(run("git daemon on 127.0.0.1", 0));
        lines.add(run("git daemon behind +100 ms each way", 100));
        Bench.report("Propagation between two machines, default settings (PropagationBench)", lines);
    }

    private String run(String label, long delayMillis) throws Exception {
        Path base = Files.createDirectories(dir.resolve("delay-" + delayMillis));
        Path served = Files.createDirectories(base.resolve("served"));
        GitCli.bareRemote(served, "vault.git");
        int daemonPort;
        try (ServerSocket free = new ServerSocket(0)) {
            daemonPort = free.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--base-path=" + served,
                "--listen=127.0.0.1", "--port=" + daemonPort, served.toString()).redirectErrorStream(true)
                .redirectOutput(base.resolve("daemon.log").toFile()).start();
        try (LatencyProxy proxy = new LatencyProxy(daemonPort, delayMillis)) {
            String url = "git://127.0.0.1:" + proxy.port() + "/vault.git";
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> GitCli.run(base, "ls-remote", url) != null);
            Path cloudVault = GitCli.cloneOf(served.resolve("vault.git"), base, "cloud");
            Path localVault = GitCli.cloneOf(served.resolve("vault.git"), base, "local");
            GitCli.run(cloudVault, "remote", "set-url", "origin", url);
            GitCli.run(localVault, "remote", "set-url", "origin", url);
            Map<String, String> cloudEnv = env("cloud", cloudVault, base);
            Map<String, String> localEnv = env("local", localVault, base);
            try (AgentProcess cloud = AgentProcess.start(cloudEnv, base.resolve("work-cloud"), base.resolve("cloud.log"));
                 AgentProcess local = AgentProcess.start(localEnv, base.resolve("work-local"), base.resolve("local.log"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> GitCli.run(served.resolve("vault.git"), "branch", "--list",
                        "digitalfte/heartbeat/*").strip().split("\n").length == 2);
                List<Long> toPending = Collections.synchronizedList(new ArrayList<>());
                List<Long> toDone = Collections.synchronizedList(new ArrayList<>());
                measure(cloudVault, localVault, toPending, toDone);
                long connections = proxy.connections.get();
                long bytes = proxy.bytes.get();
                long cpu = cpuMillis(cloud) + cpuMillis(local);
                long idleStart = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(61)).until(() -> true);
                double minutes = (System.nanoTime() - idleStart) / 60e9;
                System.out.println(label + ": cloud syncs " + msOf(cloudVault.resolve("Logs/vault_sync.jsonl")) + ", cloud claims "
                        + msOf(cloudVault.resolve("Logs/claims.jsonl")) + ", local syncs " + msOf(localVault.resolve("Logs/vault_sync.jsonl")));
                return "| %s | %s | %s | %d connections, %d bytes, %.1f%% of a core (a day: %d connections, %.1f MB) |".formatted(label,
                        Bench.percentiles(toPending), Bench.percentiles(toDone),
                        proxy.connections.get() - connections, proxy.bytes.get() - bytes,
                        100.0 * (cpuMillis(cloud) + cpuMillis(local) - cpu) / (minutes * 60_000.0),
                        Math.round((proxy.connections.get() - connections) * 1440 / minutes),
                        (proxy.bytes.get() - bytes) * 1440 / minutes / 1e6);
            }
        } finally {
            daemon.destroy();
        }
    }

    private Map<String, String> env(String type, Path vault, Path base) {
        Map<String, String> env = LocalAgentEnv.mailbox(ASSISTANT, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("MAIL_PASSWORD", PASSWORD);
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("MAIL_SENT_COPY", "server");
        // the hourly limit is a setting of its own; here every approval is to go out
        env.put("MAX_EMAILS_PER_HOUR", "1000");
        env.put("CLUSTER_DIR", base.resolve("cluster").toString());
        env.put("CHANNELS_DIR", base.resolve("none").toString());
        return env;
    }

    /** Sends the emails at random moments; approves each request a moment after it appears; times both legs. */
    private void measure(Path cloudVault, Path localVault, List<Long> toPending, List<Long> toDone) throws Exception {
        Random random = new Random(42);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> approvedAt = new ConcurrentHashMap<>();
        Set<String> seenPending = ConcurrentHashMap.newKeySet();
        Set<String> seenDone = ConcurrentHashMap.newKeySet();
        long nextSend = System.nanoTime();
        int sent = 0;
        while (seenDone.size() < EMAILS) {
            long now = System.nanoTime();
            if (sent < EMAILS && now >= nextSend) {
                String subject = "Question " + sent;
                GreenMailUtil.sendTextEmail(ASSISTANT, "q" + sent + "@example.com", subject, "Hello, question " + sent + "?",
                        mail.getSmtp().getServerSetup());
                sentAt.put(subject, System.nanoTime());
                sent++;
                nextSend = System.nanoTime() + Duration.ofMillis(2000 + random.nextInt(4000)).toNanos();
            }
            for (Path p : list(localVault.resolve("Pending_Approval"))) {
                String subject = subjectOf(p);
                if (subject != null && sentAt.containsKey(subject) && seenPending.add(subject)) {
                    toPending.add(System.nanoTime() - sentAt.get(subject));
                    Files.move(p, localVault.resolve("Approved").resolve(p.getFileName()));
                    approvedAt.put(p.getFileName().toString(), System.nanoTime());
                }
            }
            for (Path p : list(cloudVault.resolve("Done"))) {
                String name = p.getFileName().toString();
                if (approvedAt.containsKey(name) && seenDone.add(name)) {
                    toDone.add(System.nanoTime() - approvedAt.get(name));
                }
            }
            await().pollDelay(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
    }

    private static List<Path> list(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".md") && !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static String subjectOf(Path file) {
        try {
            return Files.readString(file).replaceAll("(?s).*\nsubject: ([^\n]*)\n.*", "$1");
        } catch (Exception movedOn) {
            return null;
        }
    }

    /** How long the lines of a sync or claim log took: the count, the median and the longest. */
    private static String msOf(Path log) {
        List<Long> ms = com.digitalfte.audit.JsonLines.tail(log, 100_000).stream()
                .map(l -> ((Number) l.get("ms")).longValue() * 1_000_000).toList();
        return ms.isEmpty() ? "none" : Bench.percentiles(ms);
    }

    /** User and system CPU time of a process so far, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(AgentProcess p) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).replaceAll("^.*\\) ", "").split(" ");
        return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10;
    }
}
