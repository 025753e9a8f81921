package com.digitalfte.bench;

import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up and footprint of each role as a user runs it ({@code java -Xmx256m -jar target/digitalfte.jar}):
 * time until every route is started, resident memory after start and after a stretch of idle polling.
 */
class StartupBench {

    /** Seconds of idle polling, with every poll ten times as frequent as by default (120 s stand for 20 minutes). */
    private static final int IDLE = Integer.getInteger("bench.idle", 120);
    private static final Pattern STARTED = Pattern.compile("started in (\\S+) \\(build:\\S+ init:\\S+ start:(\\S+) boot:(\\S+)\\)");

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("owner@example.com", "owner@example.com", "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void eachRole() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path seed = GitCli.cloneOf(remote, dir, "seed");
        Files.writeString(seed.resolve("Company_Handbook.md"), "# Handbook\n");
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "vault");
        GitCli.run(seed, "push", "-q", "origin", "main");

        List<AgentProcess> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<String> roles = List.of("cloud", "local", "all");
        List<List<String>> options = List.of(List.of("-Xmx256m"), List.of("-Xmx256m"), List.of("-Xmx256m"));
        // start-up, each role alone on the machine: the median of three starts, then the same with a
        // class data sharing archive (AppCDS) the first start of the "all" role wrote when it stopped
        Path archive = dir.resolve("agent.jsa");
        Path dumpLog = dir.resolve("dump.log");
        try (AgentProcess agent = AgentProcess.start(env("all", "all-dump", GitCli.cloneOf(remote, dir, "dump")), dir.resolve("work-dump"), dumpLog,
                List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + archive))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.exists(dumpLog) && Files.readString(dumpLog).contains("DigitalFTE started"));
        }
        List<String> startup = new ArrayList<>();
        int variant = 0;
        for (List<String> jvm : List.of(List.of("-Xmx256m"), List.of("-Xmx256m", "-XX:SharedArchiveFile=" + archive))) {
            for (String role : roles) {
                variant++;
                List<Long> ready = new ArrayList<>();
                String camel = "";
                for (int attempt = 0; attempt < 3; attempt++) {
                    Path clone = GitCli.cloneOf(remote, dir, "start-" + variant + "-" + attempt);
                    Map<String, String> env = env(role, role + "-s" + variant + attempt, clone);
                    Path log = dir.resolve("start-" + variant + "-" + attempt + ".log");
                    long t = System.nanoTime();
                    try (AgentProcess agent = AgentProcess.start(env, dir.resolve("work-s" + variant + attempt), log, jvm)) {
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                                .until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
                        ready.add(System.nanoTime() - t);
                        Matcher m = STARTED.matcher(Files.readString(log));
                        camel = m.find() ? "routes started in " + m.group(2) + " (Camel boot " + m.group(3) + ")" : "n/a";
                    }
                }
                String shown = String.join(" ", jvm).replace(archive.toString(), "agent.jsa");
                startup.add("| %s | `%s` | %.0f ms | %s |".formatted(role, shown, Bench.median(ready), camel));
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("| role | JVM options | JVM start to \"DigitalFTE started\" (median of 3, alone) | Camel's own figures (last start) |");
        lines.add("|---|---|---|---|");
        lines.addAll(startup);
        lines.add("");
        lines.add("`agent.jsa`: written by `java -Xmx256m -XX:ArchiveClassesAtExit=agent.jsa -jar target/digitalfte.jar` (role all) when it stopped; %d MB."
                .formatted(Files.size(archive) / (1024 * 1024)));
        lines.add("");
        lines.add("| role | JVM options | RSS 5 s after start | RSS after %d s idle polling | heap used after idle |".formatted(IDLE));
        lines.add("|---|---|---|---|---|");
        List<long[]> figures = new ArrayList<>();
        try {
            for (int n = 0; n < roles.size(); n++) {
                String role = roles.get(n);
                Path clone = GitCli.cloneOf(remote, dir, role + "-" + n);
                Map<String, String> env = env(role, role + "-" + n, clone);
                Path log = dir.resolve(role + "-" + n + ".log");
                logs.add(log);
                AgentProcess agent = AgentProcess.start(env, dir.resolve("work-" + n), log, options.get(n));
                running.add(agent);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
                // a moment for the first polls, syncs and the heartbeat
                await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(agent::alive);
                figures.add(new long[] {agent.rssKb() / 1024});
            }
            await().pollDelay(Duration.ofSeconds(IDLE)).atMost(Duration.ofSeconds(IDLE + 5)).until(() -> running.stream().allMatch(AgentProcess::alive));
            for (int i = 0; i < roles.size(); i++) {
                long[] f = figures.get(i);
                lines.add("| %s | `%s` | %d MB | %d MB | %s |".formatted(roles.get(i), String.join(" ", options.get(i)), f[0],
                        running.get(i).rssKb() / 1024, heapUsed(running.get(i).pid())));
            }
        } finally {
            for (AgentProcess p : running) {
                p.close();
            }
        }
        lines.add("");
        lines.add("For the footprint, all three agents ran at once from the packaged jar, each on its own clone of one bare remote and the same IMAP/SMTP server, "
                + "polling ten times as often as by default (mail every 3 s, the vault every 25 ms, sync every 30 s, heartbeat every 6 s).");
        Bench.report("Start-up and footprint (StartupBench)", lines);
    }

    private Map<String, String> env(String role, String name, Path clone) {
        Map<String, String> env = LocalAgentEnv.mailbox("owner@example.com", mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("AGENT_TYPE", role);
        env.put("AGENT_NAME", name);
        env.put("VAULT_PATH", clone.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        // ten times the default polling: mail every 3 s, the vault every 25 ms, sync every 30 s
        env.put("MAIL_POLL_DELAY", "3000");
        env.put("VAULT_POLL_DELAY", "25");
        env.put("VAULT_SYNC_INTERVAL", "30");
        env.put("HEARTBEAT_INTERVAL", "6");
        env.put("DASHBOARD_INTERVAL", "2");
        return env;
    }

    /** Heap in use, as {@code jcmd <pid> GC.heap_info} reports it. */
    private static String heapUsed(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
            return m.find() ? (Long.parseLong(m.group(2)) / 1024) + " MB of " + (Long.parseLong(m.group(1)) / 1024) + " MB" : "n/a";
        } catch (Exception e) {
            return "n/a";
        }
    }
}
