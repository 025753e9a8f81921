package com.digitalfte.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.vault.TaskFile;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drafting 30 tasks with a model that takes one second a draft (an OpenAI-compatible stub): one
 * agent and three agents (each its own JVM on its own clone of one bare remote), one draft at a time
 * and {@code DRAFT_CONCURRENCY=4}; the speed-up against one call at a time, each agent's share, and
 * what the claims cost (rejected pushes).
 */
class ScaleOutBench {

    private static final int TASKS = Integer.getInteger("bench.scaleout.tasks", 30);
    private static final int MODEL_MILLIS = 1000;
    /** Tasks each agent gets to draft before the measured ones (-Dbench.scaleout.warmup=0: cold agents). */
    private static final int WARM_UP = Integer.getInteger("bench.scaleout.warmup", 4);

    @RegisterExtension
    static WireMockExtension model = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(64).jettyAcceptors(2)).build();

    @TempDir
    Path dir;

    @Test
    void oneAndThreeAgentsWithOneAndFourDraftsAtOnce() throws Exception {
        model.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withFixedDelay(MODEL_MILLIS)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1767225600,"model":"stub",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Thanks, we will be in touch."},"finish_reason":"stop"}]}
                        """)));
        List<String> lines = new ArrayList<>();
        lines.add("| agents | DRAFT_CONCURRENCY | %d tasks drafted in (first claim to last draft on the remote) | speed-up over one call at a time | drafts per agent | claim pushes |".formatted(TASKS));
        lines.add("|---|---|---|---|---|---|");
        double serial = TASKS * MODEL_MILLIS / 1000.0;
        // -Dbench.scaleout.runs=1x4,3x4 runs those rows alone (agents x DRAFT_CONCURRENCY)
        for (String run : System.getProperty("bench.scaleout.runs", "1x1,1x4,3x1,3x4").split(",")) {
            String[] ac = run.strip().split("x");
            lines.add(run(Integer.parseInt(ac[0]), Integer.parseInt(ac[1]), serial));
        }
        Bench.report("Drafting scale-out, a model of " + MODEL_MILLIS + " ms a draft (ScaleOutBench)", lines);
    }

    private String run(int agents, int concurrency, double serialSeconds) throws Exception {
        Path base = Files.createTempDirectory(dir, "a" + agents + "-c" + concurrency + "-");
        Path remote = GitCli.bareRemote(base, "vault.git");
        List<Path> clones = new ArrayList<>();
        List<AgentProcess> running = new ArrayList<>();
        try {
            for (int i = 0; i < agents; i++) {
                Path clone = GitCli.cloneOf(remote, base, "cloud-" + i);
                clones.add(clone);
                Map<String, String> env = new HashMap<>();
                env.put("AGENT_TYPE", "cloud");
                env.put("AGENT_NAME", "cloud-" + i);
                env.put("VAULT_PATH", clone.toString());
                env.put("GIT_REMOTE", "origin");
                env.put("MAIL_PROVIDER", "imap");
                env.put("DRAFTER", "openai");
                env.put("OPENAI_BASE_URL", model.baseUrl() + "/v1");
                env.put("OPENAI_MODEL", "stub");
                env.put("DRAFT_CONCURRENCY", Integer.toString(concurrency));
                env.put("CHANNELS_DIR", base.resolve("none").toString());
                // the drafting is measured here, not how fast the tasks reach the agents (PropagationBench)
                env.put("VAULT_WATCH_INTERVAL", "1");
                running.add(AgentProcess.start(env, base.resolve("work-" + i), base.resolve("agent-" + i + ".log")));
            }
            // every agent up and its heartbeat published, as in a deployment that has been running
            await().atMost(Duration.ofSeconds(60)).until(() -> GitCli.run(remote, "branch", "--list", "digitalfte/heartbeat/*")
                    .strip().split("\n").length == agents);
            Path seed = GitCli.cloneOf(remote, base, "seed");
            Files.createDirectories(seed.resolve("Needs_Action"));
            if (WARM_UP > 0) {
                // as in a deployment that has drafted before: each JVM's first drafts load and compile the
                // drafting code (the first batch of a cold agent took 3.5 s for a 1 s model on 2 cores)
                for (int i = 0; i < WARM_UP * agents; i++) {
                    String id = "EMAIL_warm%03d".formatted(i);
                    Files.writeString(seed.resolve("Needs_Action/" + id + ".md"), TaskFile.create(id, "email_reply").with("channel", "imap")
                            .with("from", "w" + i + "@example.com").with("subject", "Warm-up " + i).withSection(TaskFile.ORIGINAL, "Hello?").render());
                }
                GitCli.run(seed, "add", "-A");
                GitCli.run(seed, "commit", "-q", "-m", "warm-up tasks");
                GitCli.pushRetrying(seed);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                        GitCli.filesOn(remote, "main").stream().filter(f -> f.startsWith("Updates/EMAIL_warm")).count() == (long) WARM_UP * agents);
                GitCli.run(seed, "pull", "-q", "--no-rebase");
                Files.createDirectories(seed.resolve("Needs_Action"));
            }
            Instant measuredFrom = Instant.now();
            for (int i = 0; i < TASKS; i++) {
                String id = "EMAIL_scale%03d".formatted(i);
                Files.writeString(seed.resolve("Needs_Action/" + id + ".md"), TaskFile.create(id, "email_reply").with("channel", "imap")
                        .with("from", "c" + i + "@example.com").with("subject", "Question " + i).withSection(TaskFile.ORIGINAL, "Hello?").render());
            }
            GitCli.run(seed, "add", "-A");
            GitCli.run(seed, "commit", "-q", "-m", "tasks");
            GitCli.pushRetrying(seed);
            await().atMost(Duration.ofSeconds(30 + 3L * TASKS)).pollInterval(Duration.ofMillis(100)).until(() ->
                    GitCli.filesOn(remote, "main").stream().filter(f -> f.startsWith("Updates/EMAIL_scale")).count() == TASKS);
            Instant allDrafted = Instant.now();
            // from the first claim an agent began, the moment the work started, to the last draft on the remote
            Instant firstClaim = claimsSince(clones, measuredFrom).stream()
                    .map(l -> Instant.parse(String.valueOf(l.get("timestamp"))).minusMillis(((Number) l.get("ms")).longValue()))
                    .min(Instant::compareTo).orElseThrow();
            double seconds = Duration.between(firstClaim, allDrafted).toMillis() / 1000.0;
            Map<String, Integer> perAgent = new TreeMap<>();
            for (String f : GitCli.filesOn(remote, "main")) {
                if (f.startsWith("Updates/EMAIL_scale")) {
                    String agent = GitCli.run(remote, "show", "main:" + f).replaceAll("(?s).*drafted_on: (\\S+).*", "$1");
                    perAgent.merge(agent, 1, Integer::sum);
                }
            }
            assertThat(perAgent.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TASKS);
            long won = 0;
            long lost = 0;
            for (Map<String, Object> claim : claimsSince(clones, measuredFrom)) {
                if ("claimed".equals(claim.get("result"))) {
                    won++;
                } else {
                    lost++;
                }
            }
            return "| %d | %d | %.1f s | %.2f× | %s | %d lost of %d claim pushes (%.2f pushes a claim) |".formatted(agents, concurrency, seconds,
                    serialSeconds / seconds, perAgent, lost, won + lost, won == 0 ? 0.0 : (double) (won + lost) / won);
        } finally {
            for (AgentProcess p : running) {
                p.close();
            }
        }
    }

    /** The claim pushes the agents made since the measured tasks were pushed (claims.jsonl of each clone). */
    private static List<Map<String, Object>> claimsSince(List<Path> clones, Instant since) {
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Path clone : clones) {
            for (Map<String, Object> claim : JsonLines.tail(clone.resolve("Logs/claims.jsonl"), 100_000)) {
                Instant began = Instant.parse(String.valueOf(claim.get("timestamp"))).minusMillis(((Number) claim.get("ms")).longValue());
                if (!began.isBefore(since)) {
                    claims.add(claim);
                }
            }
        }
        return claims;
    }
}
