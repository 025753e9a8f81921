package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval to execution: from the rename of a task into {@code Approved/} (as Obsidian and git move
 * files) to the moment GreenMail's SMTP server receives the reply, for each file consumer setting.
 */
class ApprovalLatencyBench {

    private static final int APPROVALS = Integer.getInteger("bench.approvals", 500);

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    private final Map<String, CompletableFuture<Long>> received = new ConcurrentHashMap<>();

    @Test
    void approvalToSmtpLatency() throws Exception {
        UserManager users = mail.getUserManager();
        MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            long now = System.nanoTime();
            received.computeIfAbsent(recipient.getEmail(), k -> new CompletableFuture<>()).complete(now);
            return deliver.handle(message, recipient);
        });
        List<String> lines = new ArrayList<>();
        lines.add("| Approved/ consumer | approvals | p50 | p99 | max |");
        lines.add("|---|---|---|---|---|");
        lines.add(run("poll every 250 ms (the default), `changed` read lock (min age 1 s)", 250, false, APPROVALS, 250));
        lines.add(run("poll every 50 ms, `changed` read lock (min age 1 s)", 50, false, APPROVALS, 50));
        lines.add(run("poll every 1000 ms, `changed` read lock (min age 1 s)", 1000, false, APPROVALS / 2, 1000));
        lines.add(run("file-watch (inotify) events, plus the poll every 5 s to reconcile", 5000, true, APPROVALS, 250));
        Bench.report("Approval to execution (ApprovalLatencyBench)", lines);
    }

    /** The same steps as claim-approved, started by file-watch events instead of a poll. */
    private static RouteBuilder watching(Path approved) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("file-watch:" + approved + "?events=CREATE&recursive=false&antInclude=*.md").routeId("claim-approved-watch")
                        .setBody(method("approvals", "claim(${header.CamelFileName})"))
                        .setHeader("taskPath", body())
                        .filter(header("taskPath").isNotNull())
                            .setHeader("executor", method("executors", "endpointFor(${header.taskPath})"))
                            .toD("${header.executor}")
                            .to("direct:vault-sync-request");
            }
        };
    }

    /** {@code approvals} approvals, each a random 20 to 20 + {@code spread} ms after the last reply went out. */
    private String run(String name, int pollDelay, boolean watch, int approvals, int spread) throws Exception {
        Path vaultDir = dir.resolve("vault-" + pollDelay + (watch ? "-watch" : ""));
        Vault vault = new Vault(vaultDir);
        vault.init("local", false);
        Path staging = Files.createDirectories(vaultDir.resolve(".state/staging"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < approvals; i++) {
            String id = "EMAIL_lat%d%s_%04d".formatted(pollDelay, watch ? "w" : "", i);
            ids.add(id);
            Path file = vault.write(staging, TaskFile.create(id, "email_reply").with("channel", "imap")
                    .with("from", id.toLowerCase() + "@example.com").with("subject", "Latency " + i).withSection(TaskFile.DRAFT, "Thanks."));
            // the draft sat in Pending_Approval/ a while before the owner moved it
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(120)));
        }
        Map<String, String> env = LocalAgentEnv.smtp(vaultDir, mail.getSmtp().getPort(), dir);
        env.put("VAULT_POLL_DELAY", Integer.toString(pollDelay));
        env.put("MAX_EMAILS_PER_HOUR", "1000000");
        List<Long> latencies = new ArrayList<>();
        Random random = new Random(42);
        try (TestAgent agent = TestAgent.start(env)) {
            if (watch) {
                agent.agent().camelContext().addRoutes(watching(vaultDir.resolve("Approved")));
            }
            for (String id : ids) {
                // the owner's next approval comes at a random moment after the last reply went out, so it
                // falls anywhere in the poll cycle
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(20 + random.nextInt(spread + 1), TimeUnit.MILLISECONDS)).join();
                CompletableFuture<Long> reply = received.computeIfAbsent(id.toLowerCase() + "@example.com", k -> new CompletableFuture<>());
                long start = System.nanoTime();
                Files.move(staging.resolve(id + ".md"), vaultDir.resolve("Approved/" + id + ".md"));
                latencies.add(reply.get(30, TimeUnit.SECONDS) - start);
            }
        }
        assertThat(latencies).hasSize(approvals);
        String p = Bench.percentiles(latencies);
        System.out.println(name + ": " + p);
        String[] parts = p.split(" ");
        return "| " + name + " | " + parts[0].substring(2) + " | " + parts[1].substring(4) + " ms | " + parts[3].substring(4) + " ms | "
                + parts[5].substring(4) + " ms |";
    }
}
