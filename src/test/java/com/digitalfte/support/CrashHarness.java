package com.digitalfte.support;

import static org.awaitility.Awaitility.await;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the local agent as a separate JVM over a vault of approved replies and kills it with SIGKILL
 * again and again: half the time at a random moment, half the time from inside the provider, after
 * it acted and before it answered (so between the provider call and the ledger's done).
 */
public final class CrashHarness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrashHarness.class);

    /** 80 tasks and 8 kills in mvn test (4 of them between the provider's act and the ledger's done); 240 and 24 with -Pbench. */
    public static final int TASKS = Integer.getInteger("crash.tasks", 80);
    public static final int KILLS = Integer.getInteger("crash.kills", 8);

    private final Path dir;
    private final Path vaultDir;
    private final Path log;
    private final Random random;
    private final AtomicReference<AgentProcess> current = new AtomicReference<>();
    private final AtomicInteger providerCallsUntilKill = new AtomicInteger(-1);
    private final AtomicInteger killsAtProvider = new AtomicInteger();
    private final AtomicInteger killsAtRandom = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    public CrashHarness(Path dir) throws IOException {
        this.dir = dir;
        this.vaultDir = dir.resolve("vault");
        this.log = dir.resolve("agent.log");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        LOG.info("Crash harness seed {} (-Dcrash.seed={} repeats this run)", seed, seed);
        this.random = new Random(seed);
        new Vault(vaultDir).init("local", false);
    }

    public Path vault() {
        return vaultDir;
    }

    public static String recipient(int i) {
        return "c%03d@example.com".formatted(i);
    }

    public static String taskId(int i) {
        return "EMAIL_crash_%03d".formatted(i);
    }

    /**
     * {@link #TASKS} replies, one recipient each, ready to approve: the run moves them into
     * {@code Approved/} a batch before each start, as an owner would, so there is work at every kill.
     */
    public void approve(String channel) throws IOException {
        Vault vault = new Vault(vaultDir);
        for (int i = 0; i < TASKS; i++) {
            vault.write(staging(), TaskFile.create(taskId(i), "email_reply")
                    .with("channel", channel).with("from", recipient(i)).with("subject", "Order " + i)
                    .with("message_id", "<order-" + i + "@example.com>").withSection(TaskFile.DRAFT, "Thank you for order " + i + "."));
            // drafted a while ago: waiting in Pending_Approval/ until the owner moves it
            Files.setLastModifiedTime(staging().resolve(taskId(i) + ".md"),
                    java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));
        }
    }

    private Path staging() throws IOException {
        return Files.createDirectories(vaultDir.resolve(".state/staging"));
    }

    private void approveNext(int count) throws IOException {
        try (Stream<Path> files = Files.list(staging())) {
            for (Path file : files.sorted().limit(count).toList()) {
                Files.move(file, vaultDir.resolve("Approved").resolve(file.getFileName()));
            }
        }
    }

    /** Called by the provider after it acted and before it answers: kills the agent when armed. */
    public void providerActed() {
        if (providerCallsUntilKill.get() > 0 && providerCallsUntilKill.decrementAndGet() == 0) {
            AgentProcess agent = current.get();
            if (agent != null && agent.alive()) {
                try {
                    // counted first: the run's thread sees the agent dead as soon as the kill lands, before kill() returns
                    killsAtProvider.incrementAndGet();
                    agent.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Kills the agent {@link #KILLS} times while it works, then lets it finish. */
    public void run(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("AGENT_TYPE", "local");
        env.put("VAULT_PATH", vaultDir.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAX_EMAILS_PER_HOUR", "100000");
        env.put("HEARTBEAT_INTERVAL", "3600");
        int batch = (TASKS + KILLS - 1) / KILLS;
        for (int kill = 0; kill < KILLS; kill++) {
            approveNext(batch);
            AgentProcess agent = AgentProcess.start(env, dir.resolve("work"), log);
            current.set(agent);
            // even runs: killed inside the provider after 1 to 8 calls, 3 to 15 s after the start here (or after 60 s should it
            // never get there: a start-up slowed past 20 s by a loaded machine made such a run miss the provider);
            // odd runs: killed at a random moment 1.5 to 5 s after the JVM started (start-up included)
            boolean atProvider = kill % 2 == 0;
            if (atProvider) {
                providerCallsUntilKill.set(1 + random.nextInt(8));
            }
            long delay = atProvider ? 60_000 : 1500 + random.nextInt(3500);
            timer.schedule(() -> {
                if (agent.alive()) {
                    agent.kill();
                    killsAtRandom.incrementAndGet();
                }
                return null;
            }, delay, TimeUnit.MILLISECONDS);
            int atProviderBefore = killsAtProvider.get();
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> !agent.alive());
            providerCallsUntilKill.set(-1);
            if (atProvider && killsAtProvider.get() == atProviderBefore) {
                // armed for the provider, and the agent did not get there in 60 s: what it was doing instead is the finding
                LOG.warn("Run {} did not reach the provider in 60 s; the end of the agent's log:\n{}", kill + 1, logTail());
            }
            LOG.info("Kill {} of {}: {} of {} tasks done", kill + 1, KILLS, done(), TASKS);
        }
        approveNext(TASKS);
        try (AgentProcess agent = AgentProcess.start(env, dir.resolve("work"), log)) {
            current.set(agent);
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> done() == TASKS);
        }
    }

    public int killsAtProvider() {
        return killsAtProvider.get();
    }

    public int kills() {
        return killsAtProvider.get() + killsAtRandom.get();
    }

    public int done() {
        return count("Done");
    }

    public int count(String folder) {
        try (Stream<Path> files = Files.list(vaultDir.resolve(folder))) {
            return (int) files.filter(p -> p.toString().endsWith(".md")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Per task id, the states the ledger recorded, in order. */
    @SuppressWarnings("unchecked")
    public Map<String, List<String>> ledger() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<String>> states = new HashMap<>();
        for (String line : Files.readAllLines(vaultDir.resolve(".state/ledger.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<String, Object> m = json.readValue(line, Map.class);
                states.computeIfAbsent((String) m.get("id"), k -> new java.util.ArrayList<>()).add((String) m.get("state"));
            } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
                LOG.info("A torn ledger line (a kill while writing it): {}", line);
            }
        }
        return states;
    }

    public String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        AgentProcess agent = current.get();
        if (agent != null) {
            agent.close();
        }
    }
}
